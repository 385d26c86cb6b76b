/**
 * A product's resources as the product-ingestion service holds them: its draft resource tree
 * (product, plans, listing, technical configurations), the checks a configure request's resources
 * go through — the schema's, answered 400 at once, and the business rules, which fail the job — and
 * how accepted resources replace or join the draft. Built from the notes' "Changing the offer";
 * what differs by product type (VM, SaaS, container) is in `product-types.ts`.
 */
import { isDeepStrictEqual } from 'node:util';
import { guid } from '../service/core.js';
import {
  foreignKind,
  isProductConfiguration,
  isTechnicalConfiguration,
  isVirtualMachineConfiguration,
  productType,
} from './product-types.js';
import { technicalConfigurationProblems } from './technical-schemas.js';

/** One resource, as the service stores and answers it (a `$schema`, an `id`, its fields). */
export type Resource = Record<string, unknown>;

/** The only schema host the service takes (`product-ingestion.azureedge.net` was retired in 2024). */
export const SCHEMA_HOST = 'https://schema.mp.microsoft.com/schema/';
const RETIRED_HOST = 'https://product-ingestion.azureedge.net/schema/';

/** A schema failure: where (`target`: the resource's id, or `resources[i]`) and why. */
export interface SchemaProblem {
  target: string;
  message: string;
}

/** An entry of a failed job's `errors`. */
export interface JobError {
  resourceId: string;
  code: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A deep copy (resources are plain JSON). */
export const copy = <T>(v: T): T => structuredClone(v);

/** The resource type a `$schema` names (`plan`, `listing`, …), whatever its host. */
export function typeOf(r: unknown): string | undefined {
  if (!isObject(r) || typeof r.$schema !== 'string') return undefined;
  return /^https:\/\/[^/]+\/schema\/([^/?#]+)\/[^/?#]+$/.exec(r.$schema)?.[1];
}

/** The resource types of a configure body that are not changes: the submission it may carry. */
export const isSubmission = (r: unknown) => typeOf(r) === 'submission';

/** `externalId` of an `{"externalId": …}` reference, or of a resource's `identity`. */
const externalIdOf = (v: unknown): string | undefined =>
  isObject(v) && typeof v.externalId === 'string' ? v.externalId : undefined;

const identityOf = (r: Resource) => externalIdOf(r.identity);

const validReference = (v: unknown) => typeof v === 'string' || externalIdOf(v) !== undefined;

/**
 * The schema check of a configure request's resources (answered 400 at once): a `$schema` on the
 * service's host on every one, and each resource's own schema as far as the simulator knows it.
 */
export function schemaProblems(resources: unknown[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  resources.forEach((r, i) => {
    const target = isObject(r) && typeof r.id === 'string' ? r.id : `resources[${i}]`;
    const add = (message: string) => problems.push({ target, message });
    if (!isObject(r)) return add('a resource must be an object');
    if (typeof r.$schema !== 'string')
      return add(`$schema is required (${SCHEMA_HOST}<type>/<version>)`);
    if (r.$schema.startsWith(RETIRED_HOST))
      return add(`the schema host product-ingestion.azureedge.net was retired: use ${SCHEMA_HOST}`);
    const type = typeOf(r);
    if (!r.$schema.startsWith(SCHEMA_HOST) || !type)
      return add(`$schema must be ${SCHEMA_HOST}<type>/<version>`);
    if (r.product !== undefined && !validReference(r.product))
      add('product must be a durable id or {"externalId": …}');
    if (r.plan !== undefined && !validReference(r.plan))
      add('plan must be a durable id or {"externalId": …}');
    if (type === 'submission') {
      const targetType = isObject(r.target) ? r.target.targetType : undefined;
      if (targetType !== 'preview' && targetType !== 'live')
        add('target.targetType must be preview or live');
      else if (targetType === 'live' && typeof r.id !== 'string')
        add('a live submission needs the id of a preview');
      if (!validReference(r.product)) add('product is required');
    } else if (type === 'plan') {
      if (!validReference(r.product)) add('product is required');
      if (typeof r.id !== 'string' && identityOf(r) === undefined)
        add('identity.externalId is required');
    } else if (isTechnicalConfiguration(type)) {
      technicalConfigurationProblems(type, r, validReference).forEach(add);
    }
  });
  return problems;
}

type Versions = Record<string, unknown>[];
const versionsOf = (r: Resource | undefined): Versions =>
  Array.isArray(r?.vmImageVersions) ? (r.vmImageVersions as Versions) : [];
const imageTypesOf = (v: Record<string, unknown>): string[] =>
  (Array.isArray(v.vmImages) ? (v.vmImages as Record<string, unknown>[]) : []).map((i) =>
    String(i.imageType),
  );
/** A version without its lifecycle state (which may move on: `deprecated`, or `deleted` if never published). */
const content = (v: Record<string, unknown>) => {
  const { lifecycleState: _, ...rest } = v;
  return rest;
};

/** What was published before (in the preview and live trees): some changes may not undo it. */
export interface Published {
  /** Whether a version of a plan's technical configuration was ever published. */
  version(planId: string, versionNumber: string): boolean;
  /** The resource with this id as the preview and live trees hold it (none, one or two). */
  resources(id: string): Resource[];
}

/**
 * A container plan's cluster extension type cannot change once the plan was published to preview
 * (the container docs say so).
 */
function clusterExtensionProblems(config: Resource, published: Resource[]): string[] {
  const before = published.find((p) => typeof p.clusterExtensionType === 'string');
  if (!before || config.clusterExtensionType === before.clusterExtensionType) return [];
  return [
    `The clusterExtensionType of a plan published to preview cannot change (it is ${JSON.stringify(before.clusterExtensionType)}).`,
  ];
}

/** What the business rules made of a request's changes: the errors, or the resources to store. */
export type Checked = { errors: JobError[]; resolved: Resource[] };

/** One product's draft resources, and what a configure request's changes do to them. */
export class ResourceTree {
  private resources: Resource[];
  private fresh = 0;

  constructor(
    readonly productGuid: string,
    initial: Resource[],
  ) {
    this.resources = copy(initial);
  }

  get productId(): string {
    return `product/${this.productGuid}`;
  }

  /** The product resource. */
  product(): Resource {
    return copy(this.resources.find((r) => typeOf(r) === 'product') ?? {});
  }

  /** The draft's resources (copies). */
  list(): Resource[] {
    return copy(this.resources);
  }

  plans(): Resource[] {
    return this.list().filter((r) => typeOf(r) === 'plan');
  }

  /** The draft resource with this durable id. */
  find(id: string): Resource | undefined {
    const found = this.resources.find((r) => r.id === id);
    return found && copy(found);
  }

  /**
   * The business rules over the changes (schema-valid resources of this product's request):
   * references resolve to this product and its plans (or plans the request adds); technical
   * configurations suit the product's type, and no resource carries another type's `kind`; on a
   * VM offer every image type is among its plan's skus, version numbers are unique and every
   * existing version comes back as it was; on a container offer a published plan keeps its
   * cluster extension type.
   */
  check(changes: Resource[], published: Published): Checked {
    const errors: JobError[] = [];
    const resolved: Resource[] = [];
    const typeName = String(this.product().type ?? '');
    const own = productType(typeName);
    const error = (resourceId: string, message: string) =>
      errors.push({ resourceId, code: 'businessValidationError', message });
    const label = (r: Resource, i: number) =>
      typeof r.id === 'string' ? r.id : `${typeOf(r) ?? 'resource'} (resources[${i}])`;

    // Plans first, so that the request's other resources may refer to the plans it adds.
    const plans = new Map(this.plans().map((p) => [String(p.id), identityOf(p)]));
    const planIds = new Map<Resource, string>();
    changes.forEach((r, i) => {
      if (typeOf(r) !== 'plan') return;
      if (typeof r.id === 'string') {
        if (!plans.has(r.id)) return error(r.id, `The plan ${r.id} does not exist.`);
        planIds.set(r, r.id);
        return;
      }
      const externalId = identityOf(r);
      const known = [...plans].find(([, e]) => e === externalId)?.[0];
      const id = known ?? `plan/${this.productGuid}/${this.freshGuid('plan')}`;
      plans.set(id, externalId);
      planIds.set(r, id);
      if (!known && externalId === undefined) error(label(r, i), 'A new plan needs an externalId.');
    });
    const resolvePlan = (ref: unknown): string | undefined => {
      if (typeof ref === 'string') return plans.has(ref) ? ref : undefined;
      const externalId = externalIdOf(ref);
      return [...plans].find(([, e]) => e !== undefined && e === externalId)?.[0];
    };
    const resolveProduct = (ref: unknown): string | undefined => {
      if (typeof ref === 'string') return ref === this.productId ? ref : undefined;
      return externalIdOf(ref) === identityOf(this.product()) ? this.productId : undefined;
    };

    changes.forEach((r, i) => {
      const type = typeOf(r)!;
      const name = label(r, i);
      const out: Resource = copy(r);
      if (r.product !== undefined) {
        const product = resolveProduct(r.product);
        if (!product)
          return error(name, `The product reference ${JSON.stringify(r.product)} is not known.`);
        out.product = product;
      }
      if (r.plan !== undefined) {
        const plan = resolvePlan(r.plan);
        if (!plan) return error(name, `The plan reference ${JSON.stringify(r.plan)} is not known.`);
        out.plan = plan;
      }

      const kind = foreignKind(own, type, r.kind);
      if (kind !== undefined)
        return error(
          name,
          `A ${type} of kind ${JSON.stringify(r.kind)} does not apply to a product of type ${typeName} (kind ${kind}).`,
        );

      if (type === 'product') {
        if (r.id !== undefined && r.id !== this.productId)
          return error(name, `The product ${String(r.id)} is not known.`);
        const externalId = identityOf(r);
        if (externalId !== undefined && externalId !== identityOf(this.product()))
          return error(name, `The product's externalId cannot change to '${externalId}'.`);
        out.id = this.productId;
      } else if (type === 'plan') {
        const id = planIds.get(r);
        if (!id) return; // refused above
        out.id = id;
      } else if (isTechnicalConfiguration(type)) {
        if (type !== own.planConfiguration && type !== own.productConfiguration)
          return error(name, `A ${type} does not apply to a product of type ${typeName}.`);
        // The product's own (SaaS) is named after the product; a plan's after its plan.
        const owner = isProductConfiguration(type) ? this.productId : String(out.plan);
        const id = `${type}/${owner.replace(/^(product|plan)\//, '')}`;
        if (r.id !== undefined && r.id !== id)
          return error(name, `The id ${String(r.id)} does not match ${owner}.`);
        out.id = id;
        const existing = this.resources.find((e) => e.id === id);
        const problems = isVirtualMachineConfiguration(type)
          ? this.versionProblems(out, existing, (p, n) => published.version(p, n))
          : clusterExtensionProblems(out, published.resources(id));
        problems.forEach((m) => error(id, m));
        // Read-only: the service's own, kept from what it had (a VM plan's always has a list).
        if (existing?.validations !== undefined || isVirtualMachineConfiguration(type))
          out.validations = copy(existing?.validations ?? []);
      } else if (typeof r.id === 'string') {
        if (!this.resources.some((e) => e.id === r.id))
          return error(name, `The resource ${r.id} does not exist.`);
      } else {
        // Same type, same identity, plan and language: the one it replaces; else a new one.
        const same = this.resources.find(
          (e) =>
            typeOf(e) === type &&
            identityOf(e) === identityOf(out) &&
            e.plan === out.plan &&
            e.languageId === out.languageId,
        );
        out.id = same ? same.id : `${type}/${this.productGuid}/${this.freshGuid(type)}`;
      }
      if (resolved.some((o) => o.id === out.id))
        return error(String(out.id), `The resource ${String(out.id)} is listed more than once.`);
      resolved.push(out);
    });
    return { errors, resolved };
  }

  /** Stores checked resources: each replaces the one with its id (whole), or joins the draft. */
  apply(resolved: Resource[]): void {
    this.resources = overlay(this.resources, resolved);
  }

  /** Replaces the whole draft (an edit made elsewhere, as in Partner Center). */
  replace(resources: Resource[]): void {
    this.resources = copy(resources);
  }

  private versionProblems(
    config: Resource,
    existing: Resource | undefined,
    published: Published['version'],
  ): string[] {
    const problems: string[] = [];
    const versions = versionsOf(config);
    const skus = Array.isArray(config.skus) ? config.skus : (existing?.skus ?? []);
    const allowed = (skus as Record<string, unknown>[]).map((s) => String(s.imageType));
    const seen = new Set<string>();
    for (const v of versions) {
      const number = String(v.versionNumber);
      if (seen.has(number)) problems.push(`Version ${number} is listed more than once.`);
      seen.add(number);
      const types = imageTypesOf(v);
      if (new Set(types).size !== types.length)
        problems.push(`Version ${number} has more than one image of the same type.`);
      for (const t of types)
        if (!allowed.includes(t))
          problems.push(
            `Image type ${t} of version ${number} is not among the plan's skus (${allowed.join(', ')}).`,
          );
    }
    for (const old of versionsOf(existing)) {
      const number = String(old.versionNumber);
      const now = versions.find((v) => v.versionNumber === number);
      if (!now) {
        problems.push(
          `Version ${number} was removed: send every existing version back unchanged (vmImageVersions replaces the whole list).`,
        );
      } else if (!isDeepStrictEqual(content(now), content(old))) {
        problems.push(`Version ${number} was changed: published image versions cannot change.`);
      } else if (
        now.lifecycleState === 'deleted' &&
        old.lifecycleState !== 'deleted' &&
        published(String(config.plan), number)
      ) {
        problems.push(`Version ${number} was published: it can be deprecated, not deleted.`);
      }
    }
    return problems;
  }

  private freshGuid(type: string): string {
    return guid(`${this.productGuid}/${type}#${++this.fresh}`);
  }
}

/** `base` with `resolved` on top: each replaces the resource with its id (whole), or joins. */
export function overlay(base: Resource[], resolved: Resource[]): Resource[] {
  const out = copy(base);
  for (const r of resolved) {
    const at = out.findIndex((e) => e.id === r.id);
    if (at >= 0) out[at] = copy(r);
    else out.push(copy(r));
  }
  return out;
}

/** The technical configuration of `planId` in a tree, if it has one. */
function technicalConfigurationOf(tree: Resource[], planId: string): Resource | undefined {
  return tree.find((r) => isTechnicalConfiguration(typeOf(r)) && r.plan === planId);
}

/** Whether `tree` has this version in the plan's technical configuration. */
export const hasVersion = (tree: Resource[], planId: string, versionNumber: string) =>
  versionsOf(technicalConfigurationOf(tree, planId)).some((v) => v.versionNumber === versionNumber);

/**
 * A tree for another product than the sample's: its GUIDs and external id in place of the sample's
 * (plans get GUIDs of their own, derived from the product's), and the external id as its alias
 * unless it is the sample's.
 */
export function treeFor(
  sample: Resource[],
  sampleGuid: string,
  productGuid: string,
  externalId: string,
): Resource[] {
  let text = JSON.stringify(sample);
  if (productGuid !== sampleGuid) {
    const plans = sample
      .filter((r) => typeOf(r) === 'plan' && typeof r.id === 'string')
      .map((r) => String(r.id).split('/').at(-1)!);
    text = text.split(sampleGuid).join(productGuid);
    for (const plan of plans) text = text.split(plan).join(guid(`${productGuid}/plan/${plan}`));
  }
  const tree = JSON.parse(text) as Resource[];
  const product = tree.find((r) => typeOf(r) === 'product');
  if (product && identityOf(product) !== externalId) {
    product.identity = { ...(isObject(product.identity) ? product.identity : {}), externalId };
    product.alias = externalId;
  }
  return tree;
}

/**
 * The same offer as a core virtual machine offer: the product's type, and its plans' technical
 * configurations of the core type (the same shape plus `softwareType`).
 */
export function asCoreVirtualMachine(tree: Resource[]): Resource[] {
  const vm = productType('azureVirtualMachine').planConfiguration!;
  const core = productType('coreVirtualMachine').planConfiguration!;
  return copy(tree).map((r) => {
    const type = typeOf(r);
    if (type === 'product') return { ...r, type: 'coreVirtualMachine' };
    if (type !== vm) return r;
    const { validations, ...rest } = r;
    return {
      ...rest,
      $schema: String(r.$schema).replace(`/schema/${vm}/`, `/schema/${core}/`),
      id: String(r.id).replace(`${vm}/`, `${core}/`),
      softwareType: 'operatingSystem',
      validations,
    };
  });
}
