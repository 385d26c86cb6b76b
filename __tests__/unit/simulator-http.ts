/** Asking a simulator directly over HTTP on loopback, as a client of its API would (no action). */
import type { Simulator } from '../../simulator/common.js';
import { INGESTION_DEFAULTS } from '../../simulator/ingestion-server.js';
import { SIMULATOR_DEFAULTS } from '../../simulator/server.js';

/**
 * A request with the simulator's token and its API's version (`query` may override it); the status,
 * the headers and the JSON answer (or null).
 */
export async function call(
  s: Simulator,
  method: 'GET' | 'POST',
  path: string,
  query: Record<string, string> = {},
  body?: unknown,
) {
  const url = new URL(path, s.url);
  const version =
    s.api === 'product-ingestion'
      ? { $version: INGESTION_DEFAULTS.version }
      : { 'api-version': SIMULATOR_DEFAULTS.apiVersion };
  for (const [k, v] of Object.entries({ ...version, ...query })) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // JSON.parse's answer: the tests read what they expect off it.
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
