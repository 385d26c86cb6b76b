/**
 * Comparing JSON values by what they hold. For a plan (`sameValue`), list order does not count (a
 * list equal as a multiset is equal) and a missing field equals `null` or an empty list or object.
 * For what a publish pushes (`sameJson`), only object key order and `null` fields are ignored. Pure.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Missing, `null`, `[]` or `{}`: nothing worth a change line. */
export function isAbsent(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/** A string equal for equal values: object keys sorted, absent fields dropped, lists sorted. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => !isAbsent(value[k]))
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The same content: absent values alike, object keys and list elements in any order. */
export function sameValue(a: unknown, b: unknown): boolean {
  return (isAbsent(a) && isAbsent(b)) || canonical(a) === canonical(b);
}

/** JSON with object keys sorted and `null` fields dropped; lists keep their order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined && value[k] !== null)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Equal JSON values, whatever the order of object keys (a missing field equals `null`). */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

/**
 * Pairs two lists by equal elements (`sameValue`): what is left is removed (in `before` only) or
 * added (in `after` only). An element that lost or gained a field is both: the list is sent whole.
 */
export function matchLists(
  before: readonly unknown[],
  after: readonly unknown[],
): { removed: unknown[]; added: unknown[] } {
  const free = before.map(() => true);
  const added = after.filter((item) => {
    const at = before.findIndex((d, i) => free[i] && canonical(d) === canonical(item));
    if (at >= 0) free[at] = false;
    return at < 0;
  });
  return { removed: before.filter((_, i) => free[i]), added };
}
