/**
 * Where each resource of an exported offer goes: a file named by what it is and, under
 * `plans/<planExternalId>/`, by the plan it belongs to. Names never collide (case aside, for the
 * file systems that ignore it) and never leave the export's folder: every part taken from the
 * service is encoded unless it is plainly safe. Pure.
 */
import { exportText } from './export-text.js';
import { resourceType } from './schema.js';
import { durableIdOf, externalIdOf, planExternalId } from './tree.js';
import type { Resource } from './types.js';

// Names Windows reserves, with or without an extension.
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A text as one path segment: letters, digits, `-`, `_` and inner dots kept; anything else
 * (slashes, `..`, spaces, `%`) as `%XX` of its UTF-8 bytes, so two texts never share a segment.
 */
export function safeSegment(text: string): string {
  if (text === '') return '%';
  const bytes = (c: string) =>
    [...new TextEncoder().encode(c)]
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join('');
  const chars = Array.from(text);
  const encoded = chars.map((c, i) =>
    /^[A-Za-z0-9_-]$/.test(c) || (c === '.' && i > 0 && i < chars.length - 1) ? c : bytes(c),
  );
  if (RESERVED.test(text)) encoded[0] = bytes(chars[0]!);
  return encoded.join('');
}

/** The file's stem for a type: `availability` for the offer's price and availability, … */
function stemOf(type: string): string {
  switch (type) {
    case 'product':
    case 'property':
    case 'listing':
    case 'plan':
      return type;
    case 'plan-listing':
      return 'listing';
    case 'price-and-availability-offer':
      return 'availability';
    case 'price-and-availability-plan':
      return 'price-and-availability';
    default:
      // Any technical configuration (a VM or container plan's, a SaaS offer's) by the same name.
      return type.endsWith('technical-configuration')
        ? 'technical-configuration'
        : safeSegment(type);
  }
}

const LANGUAGE_TYPES = new Set(['listing', 'plan-listing']);

/** The last segment of a durable id (`…/en-us` → `en-us`), '' when it has none. */
function lastSegment(id: string): string {
  return id.split('/').filter(Boolean).at(-1) ?? '';
}

/** `plans/<plan>/` for a plan and what belongs to one, else '' (the offer's folder). */
function folderOf(resource: Resource, tree: readonly Resource[]): string {
  const ref = resourceType(resource) === 'plan' ? undefined : resource.plan;
  if (resourceType(resource) !== 'plan' && (ref === undefined || ref === null)) return '';
  const plan =
    resourceType(resource) === 'plan'
      ? (externalIdOf(resource) ?? lastSegment(durableIdOf(resource)))
      : (planExternalId(ref, tree) ?? (typeof ref === 'string' ? lastSegment(ref) : ''));
  return `plans/${safeSegment(plan)}/`;
}

interface Slot {
  resource: Resource;
  folder: string;
  stem: string;
  /** `.en-us` when the folder holds listings of several languages. */
  language: string;
}

/** Each name a slot may take, the plainer first; the last is made unique by a counter. */
function nameAt(slot: Slot, level: number): string {
  const id = durableIdOf(slot.resource);
  const base = `${slot.folder}${slot.stem}${slot.language}`;
  if (level === 0 || !id) return `${base}.json`;
  if (level === 1) return `${base}.${safeSegment(lastSegment(id))}.json`;
  // The id past its type and product (`public.main.default.en-us.azurelogosmall.1`).
  const segments = id.split('/').filter(Boolean);
  const rest = segments.length > 2 ? segments.slice(2) : segments.slice(1);
  return `${base}.${rest.map(safeSegment).join('.')}.json`;
}

/**
 * The file of each resource (same order): `product.json`, `listing.json` (`listing.<lang>.json`
 * with several languages), `plans/<plan>/technical-configuration.json`, `<type>.json`… Two that
 * would share a name both take their durable id's last segment, then their whole id, then a
 * counter (in an order that does not depend on the tree's).
 */
export function exportPaths(resources: readonly Resource[], tree: readonly Resource[]): string[] {
  const slots: Slot[] = resources.map((resource) => ({
    resource,
    folder: folderOf(resource, tree),
    stem: stemOf(resourceType(resource)),
    language: '',
  }));
  for (const slot of slots) {
    const type = resourceType(slot.resource);
    const lang = slot.resource.languageId;
    const several = slots.some(
      (o) => o !== slot && resourceType(o.resource) === type && o.folder === slot.folder,
    );
    if (LANGUAGE_TYPES.has(type) && several && typeof lang === 'string') {
      slot.language = `.${safeSegment(lang)}`;
    }
  }
  const levels = slots.map(() => 0);
  for (let level = 1; level <= 2; level++) {
    const names = slots.map((s, i) => nameAt(s, levels[i]!).toLowerCase());
    const clashing = names.map((n) => names.indexOf(n) !== names.lastIndexOf(n));
    if (!clashing.includes(true)) break;
    clashing.forEach((c, i) => {
      if (c) levels[i] = level;
    });
  }
  const names = slots.map((s, i) => nameAt(s, levels[i]!));
  return withCounters(names, resources);
}

/** Names still shared get `~1`, `~2`… (`~` is never in an encoded part), in a stable order. */
function withCounters(names: string[], resources: readonly Resource[]): string[] {
  const lower = names.map((n) => n.toLowerCase());
  const shared = names
    .map((_, i) => i)
    .filter((i) => lower.indexOf(lower[i]!) !== lower.lastIndexOf(lower[i]!))
    .sort((a, b) => order(names[a]!, resources[a]!, names[b]!, resources[b]!));
  const out = [...names];
  shared.forEach((i, n) => {
    out[i] = names[i]!.replace(/\.json$/, `~${n + 1}.json`);
  });
  return out;
}

function order(nameA: string, a: Resource, nameB: string, b: Resource): number {
  const key = (name: string, r: Resource) => [name, durableIdOf(r), exportText(r)];
  const [x, y] = [key(nameA, a), key(nameB, b)];
  const at = x.findIndex((part, i) => part !== y[i]);
  return at < 0 ? 0 : x[at]! < y[at]! ? -1 : 1;
}
