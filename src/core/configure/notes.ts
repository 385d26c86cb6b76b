/**
 * Warnings about a file's fields: a top-level field the draft's resource lacks is sent as a new
 * field, so a misspelt one (`sumary`) changes nothing the user meant. Each warning names the
 * closest fields of the draft. Pure.
 */
import { distance } from 'fastest-levenshtein';
import { shown } from './display.js';
import { READ_ONLY_FIELDS } from './read-only.js';
import type { Resource } from './types.js';

/** A resource gets at most this many warnings about its fields; the rest are counted. */
const MAX_NOTES = 3;

const NOT_FIELDS = new Set(['$schema', 'id', ...READ_ONLY_FIELDS]);

/**
 * Up to three of `known` within a few edits of `field` (case aside), closest first. Tighter than
 * offer ids' bound: `shortDescription` is a field of its own, not a misspelt `description`.
 */
function closestFields(field: string, known: readonly string[]): string[] {
  const f = field.toLowerCase();
  const most = Math.max(2, Math.floor(f.length / 4));
  return known
    .map((k) => ({ k, d: distance(f, k.toLowerCase()) }))
    .filter(({ d }) => d <= most)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, 3)
    .map(({ k }) => k);
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`. */
function orList(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}` : items.join('');
}

/**
 * `file listing.json: field 'sumary' is not a field of plan-listing 'gen2' in the draft; did you
 * mean 'summary'?`, for each top-level field of `file` that `draft` does not have.
 */
export function fieldNotes(
  subject: string,
  label: string,
  draft: Resource,
  file: Resource,
): string[] {
  const known = Object.keys(draft).filter((k) => !NOT_FIELDS.has(k));
  const unknown = Object.keys(file).filter((k) => !NOT_FIELDS.has(k) && !Object.hasOwn(draft, k));
  const notes = unknown.slice(0, MAX_NOTES).map((field) => {
    const near = closestFields(field, known).map((k) => `'${shown(k, 60)}'`);
    const what = file[field] === null ? 'nothing to remove' : 'sent as a new field';
    return (
      `${subject}: field '${shown(field, 60)}' is not a field of ${label} in the draft; ` +
      (near.length ? `did you mean ${orList(near)}?` : what)
    );
  });
  const more = unknown.length - MAX_NOTES;
  if (more > 0) {
    notes.push(`${subject}: and ${more} more ${more === 1 ? 'field' : 'fields'} not in the draft`);
  }
  return notes;
}
