/**
 * Comparing what a file gives with what the draft holds. List order does not count (a list equal
 * as a multiset is equal); a missing field equals `null` or an empty list or object; and a field
 * the file leaves out is not a change, since the service fills in what it was not given. Pure.
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

/**
 * Whether the draft's value already is what the file asks for: every field the file gives equal
 * (objects field by field, lists element by element in any order); fields it leaves out are free.
 */
export function covers(draft: unknown, wanted: unknown): boolean {
  if (wanted === undefined) return true;
  if (isAbsent(wanted) || isAbsent(draft)) return isAbsent(wanted) && isAbsent(draft);
  if (isPlainObject(wanted)) {
    return isPlainObject(draft) && Object.keys(wanted).every((k) => covers(draft[k], wanted[k]));
  }
  if (Array.isArray(wanted)) {
    if (!Array.isArray(draft)) return false;
    const { removed, added } = matchLists(draft, wanted);
    return removed.length === 0 && added.length === 0;
  }
  return canonical(draft) === canonical(wanted);
}

/**
 * Pairs the draft's list with the wanted one: equal elements first, then elements the draft's
 * cover; what is left is removed (draft only) or added (wanted only).
 */
export function matchLists(
  draft: readonly unknown[],
  wanted: readonly unknown[],
): { removed: unknown[]; added: unknown[] } {
  const free = draft.map(() => true);
  const unmatched: unknown[] = [];
  const take = (item: unknown, fits: (d: unknown) => boolean): boolean => {
    const at = draft.findIndex((d, i) => free[i] && fits(d));
    if (at >= 0) free[at] = false;
    return at >= 0;
  };
  for (const item of wanted) {
    if (!take(item, (d) => canonical(d) === canonical(item))) unmatched.push(item);
  }
  const added = unmatched.filter((item) => !take(item, (d) => covers(d, item)));
  return { removed: draft.filter((_, i) => free[i]), added };
}
