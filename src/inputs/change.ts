/**
 * The inputs that change the offer before its publish (product-ingestion only): every rule about
 * them, checked before any request. The files `resources` names are read later, where I/O belongs.
 */
import type { ApiName } from '../adapters/adapter.js';
import type { VmImageSpec } from '../core/configure/types.js';
import {
  parseLifecycle,
  parseVersion,
  parseVmImages,
  type LifecycleSpec,
} from '../core/configure/vm-image.js';
import { InputError, printable } from './errors.js';
import { listOf, pathSegment, type GetInput } from './fields.js';

/** The change inputs, read and checked. */
export interface ChangeInputs {
  /** Plan external ids; empty when no VM image version is asked. */
  planIds: string[];
  vmImageVersion: string;
  vmImages: VmImageSpec[];
  /** `vm-image-deprecate`: versions of the plans to retire (deprecate, or delete if never published). */
  lifecycle: LifecycleSpec[];
  /** `resources`: paths or globs, one per line, as given. */
  resourcePatterns: string[];
}

const CHANGE_INPUTS = [
  'plan-id',
  'vm-image-version',
  'vm-image',
  'vm-image-deprecate',
  'resources',
] as const;
/** The inputs that change a VM offer's plans: one offer's plans, by their ids. */
const PLAN_INPUTS = ['plan-id', 'vm-image-version', 'vm-image', 'vm-image-deprecate'] as const;

/** The inputs that make a new VM image version. */
const VERSION_INPUTS = ['plan-id', 'vm-image-version', 'vm-image'] as const;

/** The change asked for, or none. */
export function readChange(
  getInput: GetInput,
  api: ApiName,
  offers: number,
  operationId: string,
  apiReason: string,
): ChangeInputs | undefined {
  const given = CHANGE_INPUTS.filter((name) => getInput(name).trim() !== '');
  const [first] = given;
  if (!first) return undefined;
  checkWhere(first, given, { api, offers, operationId, apiReason });
  const vm = VERSION_INPUTS.filter((n) => given.includes(n));
  const lifecycle = given.includes('vm-image-deprecate') ? readLifecycle(getInput, given) : [];
  // plan-id alone is enough to retire versions; a new version needs all three.
  const retireOnly = lifecycle.length > 0 && vm.length === 1;
  if (vm.length > 0 && vm.length < 3 && !retireOnly) {
    const missing = VERSION_INPUTS.find((n) => !vm.includes(n))!;
    throw new InputError(
      missing,
      `is required with ${vm.join(' and ')}: a new VM image version needs the plans, the version ` +
        'and its images.',
    );
  }
  const version =
    vm.length === 3 ? readNewVersion(getInput, lifecycle) : { vmImageVersion: '', vmImages: [] };
  return {
    planIds: readPlanIds(getInput),
    ...version,
    lifecycle,
    resourcePatterns: getInput('resources')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

/**
 * Where a change may go: through product-ingestion, to one offer's plans (resource files name
 * their offers), and never with `operation-id`, whose job it would not be.
 */
function checkWhere(
  first: string,
  given: readonly string[],
  step: { api: ApiName; offers: number; operationId: string; apiReason: string },
): void {
  if (step.api !== 'product-ingestion') {
    const why = step.apiReason.startsWith('api: auto')
      ? 'api: auto chose the Cloud Partner Portal API because publisher-id is given, and it ' +
        'cannot. Set api: product-ingestion, or leave publisher-id empty'
      : 'set api: product-ingestion (the Cloud Partner Portal API cannot)';
    throw new InputError(
      first,
      `changes the offer through the product-ingestion API only: ${why}; or leave ${first} empty.`,
    );
  }
  // Resource files say which offer each resource is for; plan ids are one offer's.
  const planInput = PLAN_INPUTS.find((name) => given.includes(name));
  if (step.offers > 1 && planInput) {
    throw new InputError(
      planInput,
      `changes one offer's plans, but offer-id names ${step.offers}: give one offer-id (resources ` +
        'files may change several offers: each names its offer in its product reference).',
    );
  }
  if (step.operationId) {
    throw new InputError(
      'operation-id',
      `is set together with ${first}, which starts a configure job of its own. Set one of them.`,
    );
  }
}

/** `vm-image-deprecate`, in the plans `plan-id` names. */
function readLifecycle(getInput: GetInput, given: readonly string[]): LifecycleSpec[] {
  if (!given.includes('plan-id')) {
    throw new InputError(
      'plan-id',
      'is required with vm-image-deprecate: the versions are retired in the plans it names.',
    );
  }
  const parsed = parseLifecycle(getInput('vm-image-deprecate'));
  if ('error' in parsed) throw new InputError('vm-image-deprecate', parsed.error);
  return parsed.specs;
}

/** The new version and its images; a version both added and retired is refused. */
function readNewVersion(
  getInput: GetInput,
  lifecycle: readonly LifecycleSpec[],
): { vmImageVersion: string; vmImages: VmImageSpec[] } {
  const version = parseVersion(getInput('vm-image-version').trim());
  if (typeof version !== 'string') throw new InputError('vm-image-version', version.error);
  const images = parseVmImages(getInput('vm-image'));
  if ('error' in images) throw new InputError('vm-image', images.error);
  if (lifecycle.some((l) => l.version === version)) {
    throw new InputError(
      'vm-image-deprecate',
      `names ${version}, the version vm-image-version adds: retire older versions only.`,
    );
  }
  return { vmImageVersion: version, vmImages: images.images };
}

/** `plan-id`: each a path segment, each once. */
function readPlanIds(getInput: GetInput): string[] {
  const planIds = listOf(getInput('plan-id')).map((id) => pathSegment('plan-id', id));
  const repeated = planIds.find((id, i) => planIds.indexOf(id) !== i);
  if (repeated) {
    throw new InputError(
      'plan-id',
      `'${printable(repeated)}' is listed twice. List each plan once.`,
    );
  }
  return planIds;
}
