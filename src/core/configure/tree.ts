/**
 * Reading a product's resource tree (`GET resource-tree/…`): finding plans and technical
 * configurations by what they are, never by position (the order is not guaranteed). Pure.
 */
import { isPlainObject } from './canonical.js';
import { resourceType } from './schema.js';
import type { ProductRef, Resource } from './types.js';

const TECH_CONFIG_TYPES: readonly string[] = [
  'virtual-machine-plan-technical-configuration',
  'core-virtual-machine-plan-technical-configuration',
];

/** A resource's durable id (`plan/<guid>/<guid>`), or '' when it has none. */
export function durableIdOf(resource: Resource): string {
  return typeof resource.id === 'string' ? resource.id : '';
}

/** `identity.externalId`, when the resource has one. */
export function externalIdOf(resource: Resource): string | undefined {
  const identity = resource.identity;
  return isPlainObject(identity) && typeof identity.externalId === 'string'
    ? identity.externalId
    : undefined;
}

/** Durable ids are GUID paths: compare them without case. */
export function sameId(a: string, b: string): boolean {
  return a !== '' && a.toLowerCase() === b.toLowerCase();
}

/** Whether a reference (a durable id or `{"externalId": …}`) names this resource. */
export function refersTo(ref: unknown, target: { id: string; externalId?: string }): boolean {
  if (typeof ref === 'string') return sameId(ref, target.id);
  return (
    isPlainObject(ref) &&
    typeof ref.externalId === 'string' &&
    target.externalId !== undefined &&
    ref.externalId === target.externalId
  );
}

/** The durable id a reference names in this tree (the product, or a plan), else undefined. */
export function resolveRef(
  ref: unknown,
  tree: readonly Resource[],
  product: ProductRef,
  kind: 'product' | 'plan',
): string | undefined {
  if (typeof ref === 'string') return ref;
  if (kind === 'product') return refersTo(ref, product) ? product.id : undefined;
  if (!isPlainObject(ref) || typeof ref.externalId !== 'string') return undefined;
  const plan = findPlan(tree, ref.externalId);
  return plan ? durableIdOf(plan) || undefined : undefined;
}

/**
 * The external id of the plan a reference names: `{"externalId": …}` as written, or a durable id
 * found among the trees' plans; undefined when neither.
 */
export function planExternalId(
  ref: unknown,
  ...trees: (readonly Resource[])[]
): string | undefined {
  if (isPlainObject(ref)) return typeof ref.externalId === 'string' ? ref.externalId : undefined;
  if (typeof ref !== 'string') return undefined;
  for (const tree of trees) {
    const plan = tree.find((r) => resourceType(r) === 'plan' && sameId(durableIdOf(r), ref));
    const id = plan ? externalIdOf(plan) : undefined;
    if (id !== undefined) return id;
  }
  return undefined;
}

/** The plan whose `identity.externalId` is the plan id users know. */
export function findPlan(tree: readonly Resource[], externalId: string): Resource | undefined {
  return tree.find((r) => resourceType(r) === 'plan' && externalIdOf(r) === externalId);
}

/** The plan's technical configuration (VM or core VM), by its `plan` reference. */
export function findTechConfig(
  tree: readonly Resource[],
  planDurableId: string,
): Resource | undefined {
  return tree.find(
    (r) =>
      TECH_CONFIG_TYPES.includes(resourceType(r)) &&
      typeof r.plan === 'string' &&
      sameId(r.plan, planDurableId),
  );
}

/** Every plan's external id, in tree order: what a "did you mean" chooses from. */
export function planIds(tree: readonly Resource[]): string[] {
  const ids = tree
    .filter((r) => resourceType(r) === 'plan')
    .map(externalIdOf)
    .filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
