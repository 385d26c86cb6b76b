/**
 * What a publish pushes: the draft against the latest preview, in the words a release engineer
 * uses (`listing searchResultSummary`, `plan gen2 version 1.4.0`, `new plan gen3`). Resources are
 * matched by durable id; `$schema`, `id` and read-only fields do not count. Pure.
 */
import { isPlainObject, sameJson } from './canonical.js';
import { shown } from './display.js';
import { READ_ONLY_FIELDS } from './read-only.js';
import { resourceType } from './schema.js';
import { durableIdOf, externalIdOf, findPlan, planExternalId, sameId } from './tree.js';
import type { PlannedChange, Resource } from './types.js';

/** At most this many entries; the rest are counted in one more. */
export const MAX_PUSHES = 20;
/** An entry names at most this many fields; the rest are counted. */
const MAX_FIELDS = 5;

const NOT_CONTENT = new Set(['$schema', 'id', ...READ_ONLY_FIELDS]);
const TECH_CONFIG = new Set([
  'virtual-machine-plan-technical-configuration',
  'core-virtual-machine-plan-technical-configuration',
]);

/** How each type is called, when it belongs to the offer (its plan's are `plan <name> …`). */
const OFFER_WORDS: Record<string, string> = {
  listing: 'listing',
  property: 'properties',
  'price-and-availability-offer': 'availability',
  product: 'product',
};
const PLAN_WORDS: Record<string, string> = {
  'plan-listing': 'listing',
  'price-and-availability-plan': 'price',
};

/** A pair of the same resource: in the draft (`after`) and in the preview (`before`). */
interface Pair {
  type: string;
  before?: Resource;
  after?: Resource;
}

/**
 * What publishing `draft` would change relative to the latest preview `preview`, one entry per
 * difference, sorted, at most `MAX_PUSHES` then `and N more`; each entry one bounded line.
 */
export function describePushes(draft: readonly Resource[], preview: readonly Resource[]): string[] {
  const plans = (ref: unknown) => planName(ref, draft, preview);
  const pairs = pair(draft, preview);
  const planPairs = pairs.filter((p) => p.type === 'plan');
  const newPlans = new Set(
    planPairs.filter((p) => !p.before).map((p) => ownName(p.after!, draft, preview)),
  );
  const gonePlans = new Set(
    planPairs.filter((p) => !p.after).map((p) => ownName(p.before!, draft, preview)),
  );
  const entries = pairs.flatMap((p) => {
    const plan = p.type === 'plan' ? undefined : (p.after ?? p.before)!.plan;
    const name = plan === undefined || plan === null ? undefined : plans(plan);
    // A new plan's own new resources, and a removed plan's, are told by the plan's entry.
    if (name !== undefined && !TECH_CONFIG.has(p.type)) {
      if ((!p.before && newPlans.has(name)) || (!p.after && gonePlans.has(name))) return [];
    }
    return describePair(p, name, (r) => ownName(r, draft, preview));
  });
  const sorted = [...new Set(entries.map((e) => shown(e, 200)))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const more = sorted.length - MAX_PUSHES;
  return more > 0 ? [...sorted.slice(0, MAX_PUSHES), `and ${more} more`] : sorted;
}

/** Each resource of either tree with its match in the other (submissions are no content). */
function pair(draft: readonly Resource[], preview: readonly Resource[]): Pair[] {
  const used = new Set<Resource>();
  const pairs: Pair[] = [];
  for (const after of draft) {
    const type = resourceType(after);
    if (type === 'submission') continue;
    const id = durableIdOf(after);
    const before = id ? preview.find((r) => !used.has(r) && sameId(durableIdOf(r), id)) : undefined;
    if (before) used.add(before);
    pairs.push({ type, after, ...(before ? { before } : {}) });
  }
  for (const before of preview) {
    const type = resourceType(before);
    if (type !== 'submission' && !used.has(before)) pairs.push({ type, before });
  }
  return pairs;
}

/** The name of the plan a reference names: its external id, else the durable id written. */
function planName(ref: unknown, draft: readonly Resource[], preview: readonly Resource[]): string {
  const name = planExternalId(ref, draft, preview);
  if (name !== undefined) return shown(name, 60);
  return typeof ref === 'string' && ref ? shown(ref, 100) : 'a plan';
}

/** A plan's own name: its external id, else as a reference to it is named. */
function ownName(plan: Resource, draft: readonly Resource[], preview: readonly Resource[]): string {
  const name = externalIdOf(plan);
  return name !== undefined ? shown(name, 60) : planName(durableIdOf(plan), draft, preview);
}

function describePair(
  p: Pair,
  plan: string | undefined,
  nameOf: (plan: Resource) => string,
): string[] {
  const { type, before, after } = p;
  if (type === 'plan') {
    const name = nameOf((after ?? before)!);
    if (!before) return [`new plan ${name}`];
    if (!after) return [`plan ${name} removed`];
    const fields = changedFields(before, after);
    return fields.length ? [`plan ${name} ${fieldList(fields)}`] : [];
  }
  if (TECH_CONFIG.has(type)) return techConfigWords(`plan ${plan ?? 'a plan'}`, before, after);
  const words = wordsFor(type, plan);
  if (!after) return [`${words} removed`];
  if (!before) return [`new ${words}`];
  const fields = changedFields(before, after);
  if (fields.length === 0) return [];
  return [type === 'price-and-availability-plan' ? words : `${words} ${fieldList(fields)}`];
}

/** `listing`, `plan gen2 listing`, `plan gen2 price`, `plan gen2 reseller`. */
function wordsFor(type: string, plan: string | undefined): string {
  const name = shown(type, 60) || 'resource';
  if (plan === undefined) return OFFER_WORDS[type] ?? name;
  return `plan ${plan} ${PLAN_WORDS[type] ?? name}`;
}

/** Top-level content fields whose values differ, in the draft's order then the preview's. */
function changedFields(before: Resource | undefined, after: Resource | undefined): string[] {
  const keys = new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})]);
  return [...keys].filter((k) => !NOT_CONTENT.has(k) && !sameJson(before?.[k], after?.[k]));
}

/** `title, description and 2 more`: field names, bounded. */
function fieldList(fields: readonly string[]): string {
  const names = fields.slice(0, MAX_FIELDS).map((f) => shown(f, 40));
  const more = fields.length - MAX_FIELDS;
  return more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
}

/**
 * `plan gen2 version 1.4.0` for each version added, `… version 1.2.0 deprecated` when only its
 * lifecycleState moved, `… removed` or `… changed` otherwise, and the other fields that differ.
 */
function techConfigWords(
  plan: string,
  before: Resource | undefined,
  after: Resource | undefined,
): string[] {
  const was = versionsOf(before);
  const now = versionsOf(after);
  const words: string[] = [];
  for (const [number, version] of now) {
    const old = was.get(number);
    const name = `${plan} version ${shown(number, 40)}`;
    if (!old) words.push(name);
    else if (sameJson(old, version)) continue;
    else if (sameJson({ ...old, lifecycleState: null }, { ...version, lifecycleState: null })) {
      const state =
        typeof version.lifecycleState === 'string' ? version.lifecycleState : 'generallyAvailable';
      words.push(`${name} ${shown(state, 40)}`);
    } else words.push(`${name} changed`);
  }
  for (const number of was.keys()) {
    if (!now.has(number)) words.push(`${plan} version ${shown(number, 40)} removed`);
  }
  // A new technical configuration is told by its versions: its settings are the plan's own.
  if (before && after) {
    const fields = changedFields(before, after).filter((f) => f !== 'vmImageVersions');
    if (fields.length) words.push(`${plan} technical configuration ${fieldList(fields)}`);
  }
  if (before && !after) words.push(`${plan} technical configuration removed`);
  return words;
}

/** A technical configuration's versions by number (entries without one are not versions). */
function versionsOf(techConfig: Resource | undefined): Map<string, Record<string, unknown>> {
  const list = Array.isArray(techConfig?.vmImageVersions) ? techConfig.vmImageVersions : [];
  const versions = new Map<string, Record<string, unknown>>();
  for (const v of list) {
    if (isPlainObject(v) && typeof v.versionNumber === 'string') versions.set(v.versionNumber, v);
  }
  return versions;
}

/**
 * The draft as it will be once the planned changes are in: each sent resource replaces the
 * draft's resource of the same durable id, or joins the tree. References by external id are
 * turned into the tree's durable ids, so they compare with the preview's by what they name.
 */
export function applyChanges(
  draft: readonly Resource[],
  changes: readonly PlannedChange[],
): Resource[] {
  const tree = [...draft];
  for (const change of changes) {
    if (change.status === 'already-there' || !change.resource) continue;
    const sent = withTreeRefs(change.resource, draft);
    const id = change.resourceId || durableIdOf(sent);
    const at = id ? tree.findIndex((r) => sameId(durableIdOf(r), id)) : -1;
    if (at >= 0) tree[at] = sent;
    else tree.push(sent);
  }
  return tree;
}

/** `product` and `plan` given as `{"externalId": …}`, as the tree's durable ids when it has them. */
function withTreeRefs(resource: Resource, tree: readonly Resource[]): Resource {
  const copy: Resource = { ...resource };
  const product = copy.product;
  if (isPlainObject(product) && typeof product.externalId === 'string') {
    const found = tree.find(
      (r) => resourceType(r) === 'product' && externalIdOf(r) === product.externalId,
    );
    if (found && durableIdOf(found)) copy.product = durableIdOf(found);
  }
  const plan = copy.plan;
  if (isPlainObject(plan) && typeof plan.externalId === 'string') {
    const found = findPlan(tree, plan.externalId);
    if (found && durableIdOf(found)) copy.plan = durableIdOf(found);
  }
  return copy;
}
