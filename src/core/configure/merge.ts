/**
 * A resource from a file merged onto the draft's: the API takes a resource as its whole desired
 * state, so what is sent is the draft's resource with the file's fields laid over it. Objects merge
 * field by field, lists and other values are replaced whole, `null` removes a field. A placeholder
 * an export wrote for a secret (`placeholder.ts`) keeps the draft's value. Read-only fields are
 * never sent. Pure: throws `ConfigureError` for a placeholder the draft has no value for.
 */
import { isPlainObject } from './canonical.js';
import { configureError } from './configure-error.js';
import { shown } from './display.js';
import { parsePlaceholder, signedLocations, type Placeholder } from './placeholder.js';
import { withoutReadOnly } from './read-only.js';
import { currentSchema } from './schema.js';
import type { Resource } from './types.js';

// Own data properties, so a key like `__proto__` in a file stays a plain field.
function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** `patch` laid over `base`: a new value, sharing nothing with either. */
function mergeValue(base: unknown, patch: unknown, draft: Resource, path: string): unknown {
  if (!isPlainObject(patch)) return withKept(base, patch, draft, path);
  const out: Record<string, unknown> = {};
  if (isPlainObject(base)) {
    for (const [key, value] of Object.entries(base)) setField(out, key, structuredClone(value));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else {
      const under = isPlainObject(base) ? base[key] : undefined;
      setField(out, key, mergeValue(under, value, draft, join(path, key)));
    }
  }
  return out;
}

/**
 * A value replaced whole (a list, a string…), every placeholder in it the draft's value at the
 * same place (a list's item by its index), or for a SAS URI, one of the same blob elsewhere in
 * the draft's resource (its list was reordered).
 */
function withKept(base: unknown, value: unknown, draft: Resource, path: string): unknown {
  const placeholder = parsePlaceholder(value);
  if (placeholder) return keptValue(placeholder, base, draft, path);
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      withKept(Array.isArray(base) ? base[i] : undefined, item, draft, `${path}[${i}]`),
    );
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const under = isPlainObject(base) ? base[key] : undefined;
      setField(out, key, withKept(under, item, draft, join(path, key)));
    }
    return out;
  }
  return value;
}

function keptValue(placeholder: Placeholder, base: unknown, draft: Resource, path: string) {
  if (placeholder.kind === 'secret') {
    if (typeof base === 'string' && base !== '' && !parsePlaceholder(base)) return base;
    throw configureError(
      '',
      `${shown(path, 100)} is a placeholder for a secret kept from the offer, but the draft has ` +
        'no value there to keep: write the value (from a secret) instead of the placeholder',
    );
  }
  const holds = (text: unknown) =>
    typeof text === 'string' && signedLocations(text).includes(placeholder.where);
  if (holds(base)) return base;
  const elsewhere = stringsOf(withoutReadOnly(draft)).find(holds);
  if (elsewhere !== undefined) return elsewhere;
  throw configureError(
    '',
    `${shown(path, 100)} is the placeholder of a SAS URI of ${shown(placeholder.where, 120)}, ` +
      'but the draft has no SAS URI of that blob to keep: write the SAS URI (from a secret) ' +
      'instead of the placeholder',
  );
}

/** Every string in a value, depth first in key order. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return isPlainObject(value) ? Object.values(value).flatMap(stringsOf) : [];
}

/**
 * The file's resource over the draft's: read-only fields of either left out, the draft's durable
 * id (the one matched), the file's `$schema` (else the draft's) on the current host.
 */
export function mergeResource(draft: Resource, file: Resource): Resource {
  const merged = mergeValue(withoutReadOnly(draft), withoutReadOnly(file), draft, '') as Resource;
  if (typeof draft.id === 'string' && draft.id) merged.id = draft.id;
  const schema = file.$schema ?? draft.$schema;
  if (schema !== undefined && schema !== null) merged.$schema = currentSchema(schema);
  return merged;
}
