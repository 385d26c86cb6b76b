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
  if (api !== 'product-ingestion') {
    const why = apiReason.startsWith('api: auto')
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
  if (offers > 1 && planInput) {
    throw new InputError(
      planInput,
      `changes one offer's plans, but offer-id names ${offers}: give one offer-id (resources ` +
        'files may change several offers: each names its offer in its product reference).',
    );
  }
  if (operationId) {
    throw new InputError(
      'operation-id',
      `is set together with ${first}, which starts a configure job of its own. Set one of them.`,
    );
  }
  const vm = (['plan-id', 'vm-image-version', 'vm-image'] as const).filter((n) =>
    given.includes(n),
  );
  let lifecycle: LifecycleSpec[] = [];
  if (given.includes('vm-image-deprecate')) {
    if (!given.includes('plan-id')) {
      throw new InputError(
        'plan-id',
        'is required with vm-image-deprecate: the versions are retired in the plans it names.',
      );
    }
    const parsed = parseLifecycle(getInput('vm-image-deprecate'));
    if ('error' in parsed) throw new InputError('vm-image-deprecate', parsed.error);
    lifecycle = parsed.specs;
  }
  // plan-id alone is enough to retire versions; a new version needs all three.
  const retireOnly = lifecycle.length > 0 && vm.length === 1;
  if (vm.length > 0 && vm.length < 3 && !retireOnly) {
    const missing = (['plan-id', 'vm-image-version', 'vm-image'] as const).find(
      (n) => !vm.includes(n),
    )!;
    throw new InputError(
      missing,
      `is required with ${vm.join(' and ')}: a new VM image version needs the plans, the version ` +
        'and its images.',
    );
  }
  let vmImageVersion = '';
  let vmImages: VmImageSpec[] = [];
  if (vm.length === 3) {
    const version = parseVersion(getInput('vm-image-version').trim());
    if (typeof version !== 'string') throw new InputError('vm-image-version', version.error);
    vmImageVersion = version;
    const images = parseVmImages(getInput('vm-image'));
    if ('error' in images) throw new InputError('vm-image', images.error);
    vmImages = images.images;
    if (lifecycle.some((l) => l.version === vmImageVersion)) {
      throw new InputError(
        'vm-image-deprecate',
        `names ${vmImageVersion}, the version vm-image-version adds: retire older versions only.`,
      );
    }
  }
  const planIds = listOf(getInput('plan-id')).map((id) => pathSegment('plan-id', id));
  const repeated = planIds.find((id, i) => planIds.indexOf(id) !== i);
  if (repeated) {
    throw new InputError(
      'plan-id',
      `'${printable(repeated)}' is listed twice. List each plan once.`,
    );
  }
  return {
    planIds,
    vmImageVersion,
    vmImages,
    lifecycle,
    resourcePatterns: getInput('resources')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  };
}
