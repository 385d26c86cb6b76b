/**
 * Resources from `resources` files against the draft: which draft resource each one changes, the
 * resource to send (the file's fields merged onto the draft's), and the fields that change (by
 * dotted path, list order and read-only fields ignored). Pure: throws `ConfigureError` for what the
 * user must change.
 */
import { isAbsent, isPlainObject, matchLists, sameValue } from './canonical.js';
import { ConfigureError, configureError } from './configure-error.js';
import { shortJson, shown } from './display.js';
import { mergeResource } from './merge.js';
import { fieldNotes } from './notes.js';
import { findOverlap } from './overlap.js';
import { findPlaceholder } from './placeholder.js';
import { READ_ONLY_FIELDS, withoutReadOnly } from './read-only.js';
import { currentSchema, resourceType } from './schema.js';
import { fileSubject } from './subjects.js';
import { durableIdOf, externalIdOf, planExternalId, refersTo, resolveRef, sameId } from './tree.js';
import type { FieldChange, FileResource, PlannedChange, ProductRef, Resource } from './types.js';

export { READ_ONLY_FIELDS } from './read-only.js';

/** A resource's diff lists at most this many fields; the rest are counted. */
export const MAX_FIELD_CHANGES = 20;

// Not content: the schema (its version may differ), the id (matched on) and read-only fields.
const NOT_CONTENT = new Set(['$schema', 'id', ...READ_ONLY_FIELDS]);

/**
 * The fields that differ between two whole resources (every field of `after` when there is no
 * `before`): set, changed or removed, by dotted path, bounded.
 */
export function diffResource(before: Resource | undefined, after: Resource): FieldChange[] {
  return fieldChanges(before, after).slice(0, MAX_FIELD_CHANGES);
}

function fieldChanges(before: Resource | undefined, after: Resource): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of keysOf(after, before)) {
    if (!NOT_CONTENT.has(key)) compareInto(changes, key, before?.[key], after[key]);
  }
  return changes;
}

/** `after`'s keys, then those only `before` has (removed). */
function keysOf(after: Record<string, unknown>, before?: Record<string, unknown>): string[] {
  const keys = Object.keys(after);
  return before ? [...keys, ...Object.keys(before).filter((k) => !Object.hasOwn(after, k))] : keys;
}

/** Objects are compared field by field; anything else (lists included) as a whole. */
function compareInto(out: FieldChange[], path: string, before: unknown, after: unknown): void {
  if (sameValue(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after) && !isAbsent(before) && !isAbsent(after)) {
    for (const key of keysOf(after, before)) {
      compareInto(out, `${path}.${key}`, before[key], after[key]);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && !isAbsent(before) && !isAbsent(after)) {
    out.push(listChange(path, before, after));
    return;
  }
  const change: FieldChange = { path };
  if (!isAbsent(before)) change.before = shortJson(before);
  if (!isAbsent(after)) change.after = shortJson(after);
  out.push(change);
}

/** Only what differs is shown: `[… 2 unchanged, {"versionNumber":"1.4.0",…}]`. */
function listChange(path: string, before: unknown[], after: unknown[]): FieldChange {
  const { removed, added } = matchLists(before, after);
  const unchanged = before.length - removed.length;
  const show = (items: unknown[]) =>
    unchanged === 0
      ? shortJson(items)
      : shown(`[… ${unchanged} unchanged${items.map((i) => `, ${JSON.stringify(i)}`).join('')}]`);
  return { path, before: show(removed), after: show(added) };
}

/**
 * The draft resource a file's resource changes: the one with its `id`; else the one of its type
 * with its `identity.externalId`; else, for a resource without identity (one per product or plan,
 * like the listing or the properties), the one of its type for the same product and plan.
 */
export function matchDraft(
  tree: readonly Resource[],
  wanted: Resource,
  product: ProductRef,
): Resource | undefined {
  const id = durableIdOf(wanted);
  const byId = id ? tree.find((r) => sameId(durableIdOf(r), id)) : undefined;
  if (byId) return byId;
  const type = resourceType(wanted);
  if (!type) return undefined;
  const sameType = tree.filter((r) => resourceType(r) === type);
  const externalId = externalIdOf(wanted);
  if (externalId !== undefined) return sameType.find((r) => externalIdOf(r) === externalId);
  let candidates = sameType.filter(
    (r) => externalIdOf(r) === undefined && sameOwner(r, wanted, tree, product),
  );
  // A listing exists once per language.
  if (candidates.length > 1 && typeof wanted.languageId === 'string') {
    candidates = candidates.filter((r) => r.languageId === wanted.languageId);
  }
  if (candidates.length > 1) {
    // No subject: `planResources` says which file; the reason stands alone.
    throw configureError(
      '',
      `has neither id nor identity and matches ${candidates.length} ${type} resources of the draft: give its id`,
    );
  }
  return candidates[0];
}

/** Same product (when the file names one) and same plan (or neither has one). */
function sameOwner(
  draft: Resource,
  wanted: Resource,
  tree: readonly Resource[],
  product: ProductRef,
): boolean {
  if (wanted.product !== undefined && !refersTo(wanted.product, product)) return false;
  if (wanted.plan === undefined || wanted.plan === null) {
    return draft.plan === undefined || draft.plan === null;
  }
  const plan = resolveRef(wanted.plan, tree, product, 'plan');
  return plan !== undefined && typeof draft.plan === 'string' && sameId(plan, draft.plan);
}

/** What each file resource changes in the draft, in the order the files gave them. */
export function planResources(
  tree: readonly Resource[],
  files: readonly FileResource[],
  product: ProductRef,
): PlannedChange[] {
  const changes = files.map((fr) => {
    const several = files.some((o) => o.file === fr.file && o.index !== fr.index);
    return planResource(tree, fr, product, fileSubject(fr.file, fr.index, several));
  });
  const overlap = findOverlap(changes);
  if (overlap) throw overlap;
  return changes;
}

function planResource(
  tree: readonly Resource[],
  { file, index, resource }: FileResource,
  product: ProductRef,
  subject: string,
): PlannedChange {
  const type = resourceType(resource);
  if (!type) {
    throw configureError(
      subject,
      'has no $schema naming its type (https://schema.mp.microsoft.com/schema/{type}/{version})',
    );
  }
  if (type === 'submission') {
    // A submission publishes: the step does that itself, after the changes are in.
    throw configureError(subject, 'is a submission: the step publishes by itself; leave it out');
  }
  if (resource.product !== undefined && !refersTo(resource.product, product)) {
    throw configureError(
      subject,
      `is for another product (${shortJson(resource.product)}), not offer ${shown(product.externalId)}`,
    );
  }
  const { draft, label, change } = about(subject, () => {
    const draft = matchDraft(tree, resource, product);
    const label = labelOf(type, resource, draft, tree);
    const change = draft
      ? changeOf(tree, draft, resource, product, subject, label)
      : newResource(resource);
    return { draft, label, change };
  });
  return {
    kind: 'resource',
    file,
    index,
    resourceId: durableIdOf(draft ?? resource),
    label,
    ...change,
  };
}

/** Reasons given alone (several matches, a placeholder with nothing to keep), about the file. */
function about<T>(subject: string, plan: () => T): T {
  try {
    return plan();
  } catch (e) {
    throw e instanceof ConfigureError ? configureError(subject, e.message) : e;
  }
}

type Planned = Pick<
  Extract<PlannedChange, { kind: 'resource' }>,
  'status' | 'fields' | 'fieldsLeftOut' | 'resource' | 'notes'
>;

/**
 * Not in the draft: sent as written (read-only fields out, current host), every field shown. A
 * placeholder an export wrote has no draft value to keep: refused, never sent as text.
 */
function newResource(resource: Resource): Planned {
  const placeholder = findPlaceholder(withoutReadOnly(resource));
  if (placeholder !== undefined) {
    throw configureError(
      '',
      `is not in the draft, so the placeholder at ${shown(placeholder, 100)} has no value to ` +
        'keep: write the value instead, or give the id of the resource it was exported from',
    );
  }
  return {
    status: 'new',
    ...bounded(fieldChanges(undefined, resource)),
    resource: toSend(resource),
  };
}

/**
 * A draft resource the file changes: the file merged onto it is sent; the fields shown are those
 * the merge changes, references compared by what they name.
 */
function changeOf(
  tree: readonly Resource[],
  draft: Resource,
  resource: Resource,
  product: ProductRef,
  subject: string,
  label: string,
): Planned {
  const before = withoutReadOnly(draft);
  const after = mergeResource(draft, withResolvedRefs(resource, tree, product));
  const all = fieldChanges(before, after);
  const planned: Planned = {
    status: all.length > 0 ? 'change' : 'already-there',
    ...bounded(all),
  };
  if (all.length > 0) planned.resource = mergeResource(draft, resource);
  const notes = fieldNotes(subject, label, draft, resource);
  if (notes.length > 0) planned.notes = notes;
  return planned;
}

function bounded(all: FieldChange[]): Pick<Planned, 'fields' | 'fieldsLeftOut'> {
  return all.length > MAX_FIELD_CHANGES
    ? { fields: all.slice(0, MAX_FIELD_CHANGES), fieldsLeftOut: all.length - MAX_FIELD_CHANGES }
    : { fields: all };
}

/** References by external id turned into the draft's durable ids, to compare with the draft. */
function withResolvedRefs(
  resource: Resource,
  tree: readonly Resource[],
  product: ProductRef,
): Resource {
  const copy: Resource = { ...resource };
  if (copy.product !== undefined) {
    copy.product = resolveRef(copy.product, tree, product, 'product') ?? copy.product;
  }
  if (copy.plan !== undefined) {
    copy.plan = resolveRef(copy.plan, tree, product, 'plan') ?? copy.plan;
  }
  return copy;
}

/** As written, without read-only fields (a copy of a resource as read has them), current host. */
function toSend(resource: Resource): Resource {
  const copy = structuredClone(withoutReadOnly(resource));
  if (copy.$schema !== undefined) copy.$schema = currentSchema(copy.$schema);
  return copy;
}

/**
 * `listing 'Contoso VM'`, `plan 'gen2'`, `plan-listing 'gen2'`: the type and a name people know
 * (its external id, else its plan's, else its title, alias or name).
 */
function labelOf(
  type: string,
  wanted: Resource,
  draft: Resource | undefined,
  tree: readonly Resource[],
): string {
  const both = draft ? [wanted, draft] : [wanted];
  const name = [
    ...both.map(externalIdOf),
    ...both.map((r) => planExternalId(r.plan, tree)),
    ...both.flatMap((r) => [r.title, r.alias, r.name]),
  ].find((n): n is string => typeof n === 'string' && n.trim() !== '');
  return name ? `${type} '${shown(name)}'` : type;
}
