/**
 * A resource's `$schema`: its type (the path segment after `schema/`) and the host to send it
 * with. Pure.
 */
import type { Resource } from './types.js';

/** The schema host to send: the old one was retired in 2024 and requests naming it fail. */
const SCHEMA_HOST = 'https://schema.mp.microsoft.com';
// The service may still answer with the retired host: read both, send only the current one.
const RETIRED_HOST = /^https?:\/\/product-ingestion\.azureedge\.net(?=\/)/i;

/** `listing` for `https://schema.mp.microsoft.com/schema/listing/2022-03-01-preview3`; '' if none. */
export function resourceType(resource: Resource): string {
  const schema = resource.$schema;
  if (typeof schema !== 'string') return '';
  const path = schema.replace(/[?#].*$/, '').replace(/^[a-z]+:\/\/[^/]*/i, '');
  const segments = path.split('/').filter(Boolean);
  const at = segments.findIndex((s) => s.toLowerCase() === 'schema');
  const type = at >= 0 ? segments[at + 1] : segments.at(-2);
  return (type ?? '').toLowerCase();
}

/** The `$schema` to send: the retired host replaced by the current one; anything else as is. */
export function currentSchema(schema: unknown): unknown {
  return typeof schema === 'string' ? schema.replace(RETIRED_HOST, SCHEMA_HOST) : schema;
}
