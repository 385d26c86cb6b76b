/**
 * An offer as files (the offer as code): one file per resource of its tree, written so that read
 * back as `resources` they plan `already-there` against the same draft. References by external
 * id, the durable id left out where the resource is found without it (as `matchDraft` finds it),
 * read-only fields and image versions (the pipeline's job) left out, and no secret written: a SAS
 * URI or a password becomes a placeholder that a merge reads as "keep the draft's value". Pure.
 */
import { isPlainObject } from './canonical.js';
import { ConfigureError } from './configure-error.js';
import { matchDraft } from './diff.js';
import { shown } from './display.js';
import { exportPaths } from './export-paths.js';
import { exportText } from './export-text.js';
import { holdsSignature, parsePlaceholder, placeholderFor } from './placeholder.js';
import { withoutReadOnly } from './read-only.js';
import { currentSchema, resourceType } from './schema.js';
import { durableIdOf, externalIdOf, planExternalId, refersTo, sameId } from './tree.js';
import type { ProductRef, Resource } from './types.js';

/** One file of an export: its path in the offer's folder (`/`-separated) and its text. */
export interface ExportFile {
  path: string;
  text: string;
}

export interface ExportOptions {
  /** The tree's target (`draft` unless said): a note says when it is not the draft. */
  target?: string;
}

export interface OfferExport {
  /** Sorted by path. */
  files: ExportFile[];
  /** One line each for the log: placeholders written, durable ids kept, resources left out. */
  notes: string[];
}

/** What the service's publish is, not part of the offer: never exported (files refuse it). */
const NOT_EXPORTED = new Set(['submission']);

/** The offer's tree as files, and what the log should say about them. */
export function exportOffer(
  tree: readonly Resource[],
  product: ProductRef,
  options: ExportOptions = {},
): OfferExport {
  const notes: string[] = [];
  const target = options.target ?? 'draft';
  if (target !== 'draft') {
    notes.push(
      `exported from the ${shown(target, 20)} tree: read back as resources, the files are ` +
        'planned against the draft, so what the draft holds since shows as a change',
    );
  }
  const exported: { resource: Resource; file: Resource; notes: string[] }[] = [];
  for (const resource of tree) {
    const type = resourceType(resource);
    if (NOT_EXPORTED.has(type)) continue;
    if (!type) {
      notes.push(`${label(resource, tree)}: not exported: it has no $schema naming its type`);
      continue;
    }
    if (keysHoldSignature(resource)) {
      notes.push(
        `${label(resource, tree)}: not exported: a field name holds a signed URI or token`,
      );
      continue;
    }
    exported.push({ resource, ...asFile(resource, tree, product) });
  }
  const paths = exportPaths(
    exported.map((e) => e.resource),
    tree,
  );
  const files = exported.map((e, i) => ({
    path: paths[i]!,
    text: exportText(e.file),
    notes: e.notes.map((n) => `${paths[i]!}: ${n}`),
  }));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files: files.map(({ path, text }) => ({ path, text })),
    notes: [...notes, ...files.flatMap((f) => f.notes)],
  };
}

/** One resource as its file holds it, and the notes about it (without the file's name). */
function asFile(
  resource: Resource,
  tree: readonly Resource[],
  product: ProductRef,
): { file: Resource; notes: string[] } {
  const notes: string[] = [];
  const file = structuredClone(withoutReadOnly(resource));
  const type = resourceType(resource);
  // Image versions are the pipeline's (`vm-image`): a merge keeps the draft's list.
  if (type.endsWith('technical-configuration')) delete file.vmImageVersions;
  file.$schema = currentSchema(file.$schema);
  if (file.product !== undefined && refersTo(file.product, product)) {
    file.product = { externalId: product.externalId };
  }
  const plan = typeof file.plan === 'string' ? planExternalId(file.plan, tree) : undefined;
  if (plan !== undefined) file.plan = { externalId: plan };

  const secrets = { sas: new Set<string>(), fields: [] as string[] };
  const safe = withoutSecrets(file, secrets) as Resource;
  if (secrets.sas.size > 0) notes.push(placeholderNote('SAS URI', [...secrets.sas]));
  if (secrets.fields.length > 0) notes.push(placeholderNote('secret', secrets.fields));

  const id = durableIdOf(resource);
  if (id) {
    const { id: _id, ...rest } = safe;
    if (foundWithout(rest, resource, tree, product)) return { file: rest, notes };
    notes.push(
      `keeps its durable id ${shown(id, 120)}: nothing else tells it apart in the draft ` +
        '(no identity, and not one of a kind for its product, plan and language)',
    );
  }
  return { file: safe, notes };
}

/** Whether the draft's match for the file without its id is this very resource. */
function foundWithout(
  file: Resource,
  resource: Resource,
  tree: readonly Resource[],
  product: ProductRef,
): boolean {
  try {
    const found = matchDraft(tree, file, product);
    return found !== undefined && sameId(durableIdOf(found), durableIdOf(resource));
  } catch (error) {
    if (error instanceof ConfigureError) return false; // several match: the id tells them apart
    throw error;
  }
}

/**
 * A copy in which every string holding a signed URI or token, or the value of a field named like
 * a password, is a placeholder; `found` collects the blobs and the paths of the others.
 */
function withoutSecrets(
  value: unknown,
  found: { sas: Set<string>; fields: string[] },
  path = '',
  key?: string,
): unknown {
  if (typeof value === 'string') {
    const placeholder = placeholderFor(key, value);
    if (placeholder === undefined) return value;
    const parsed = parsePlaceholder(placeholder);
    if (parsed?.kind === 'sas') found.sas.add(parsed.where);
    else found.fields.push(path);
    return placeholder;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => withoutSecrets(item, found, `${path}[${i}]`, key));
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(value)) {
    Object.defineProperty(out, k, {
      value: k === '$schema' ? item : withoutSecrets(item, found, path ? `${path}.${k}` : k, k),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function keysHoldSignature(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(keysHoldSignature);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([k, v]) => holdsSignature(k) || keysHoldSignature(v));
}

/** A resource left out, for a note: its type and a name people know, else its durable id. */
function label(resource: Resource, tree: readonly Resource[]): string {
  const type = resourceType(resource) || 'resource';
  const name =
    externalIdOf(resource) ?? planExternalId(resource.plan, tree) ?? durableIdOf(resource);
  return name ? `${shown(type, 60)} '${shown(name, 100)}'` : shown(type, 60);
}

/** Names listed in a note about placeholders; the rest are counted. */
const NAMED = 5;

/**
 * `1 SAS URI written as a placeholder (acct/vhds/os.vhd): read back, the offer's value is kept`,
 * `2 secrets written as placeholders (a.password, b.clientSecret): …`.
 */
function placeholderNote(what: string, names: string[]): string {
  const one = names.length === 1;
  const listed = names.slice(0, NAMED).map((n) => shown(n, 100));
  if (names.length > NAMED) listed.push(`and ${names.length - NAMED} more`);
  const written = one
    ? `1 ${what} written as a placeholder`
    : `${names.length} ${what}s written as placeholders`;
  return (
    `${written} (${listed.join(', ')}): read back, the offer's ` +
    `${one ? 'value is' : 'values are'} kept (docs/offer-as-code.md#sas)`
  );
}
