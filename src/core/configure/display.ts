/**
 * Values shown in a change line or the summary: one line, bounded, URI queries hidden. Pure.
 */
import { oneLine } from '../html.js';
import { hideQueries } from './sas.js';

/** A value shown in a diff is cut to about this many characters. */
const MAX_VALUE_CHARS = 80;

/** The text cut to `max` characters (code points, so no half surrogate pair), `…` marking a cut. */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** Text from the user or the service as one safe, bounded line. */
export function shown(text: string, max = MAX_VALUE_CHARS): string {
  return truncate(oneLine(hideQueries(text)), max);
}

/** A JSON value as one bounded line. */
export function shortJson(value: unknown, max = MAX_VALUE_CHARS): string {
  return shown(JSON.stringify(value) ?? String(value), max);
}
