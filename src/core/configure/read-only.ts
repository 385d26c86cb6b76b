/**
 * Fields the service computes and rejects when sent back. Pure.
 */
import type { Resource } from './types.js';

/**
 * Top-level fields that are read-only: the notes name `validations` (a technical configuration's
 * certification checks). Kept to what is documented; a diff ignores them and a write drops them.
 */
export const READ_ONLY_FIELDS: readonly string[] = ['validations'];

/** A shallow copy without the read-only fields. */
export function withoutReadOnly(resource: Resource): Resource {
  const copy: Resource = { ...resource };
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  return copy;
}
