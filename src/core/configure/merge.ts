/**
 * A resource from a file merged onto the draft's: the API takes a resource as its whole desired
 * state, so what is sent is the draft's resource with the file's fields laid over it. Objects merge
 * field by field, lists and other values are replaced whole, `null` removes a field. Read-only
 * fields are never sent. Pure.
 */
import { isPlainObject } from './canonical.js';
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

/** `patch` laid over `base`: a new value, sharing nothing with either. */
function mergeValue(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = {};
  if (isPlainObject(base)) {
    for (const [key, value] of Object.entries(base)) setField(out, key, structuredClone(value));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setField(out, key, mergeValue(isPlainObject(base) ? base[key] : undefined, value));
  }
  return out;
}

/**
 * The file's resource over the draft's: read-only fields of either left out, the draft's durable
 * id (the one matched), the file's `$schema` (else the draft's) on the current host.
 */
export function mergeResource(draft: Resource, file: Resource): Resource {
  const merged = mergeValue(withoutReadOnly(draft), withoutReadOnly(file)) as Resource;
  if (typeof draft.id === 'string' && draft.id) merged.id = draft.id;
  const schema = file.$schema ?? draft.$schema;
  if (schema !== undefined && schema !== null) merged.$schema = currentSchema(schema);
  return merged;
}
