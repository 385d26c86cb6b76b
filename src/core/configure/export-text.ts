/**
 * An exported resource as file text: keys sorted at every depth (`$schema` first), lists in their
 * order, 2-space indentation, a final newline. The same resource is always the same bytes, so a
 * re-export of an unchanged offer changes no file. Pure.
 */
import { isPlainObject } from './canonical.js';

// Code-unit order, the same on every machine (no locale).
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A copy with every object's keys in file order; a `__proto__` key stays a plain field. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value).sort((a, b) =>
    a === '$schema' ? -1 : b === '$schema' ? 1 : byCodeUnit(a, b),
  );
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    Object.defineProperty(out, key, {
      value: sortedKeys(value[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** The file's text for a resource. */
export function exportText(resource: unknown): string {
  return `${JSON.stringify(sortedKeys(resource), null, 2)}\n`;
}
