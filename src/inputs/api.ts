/**
 * Which API the step talks to, and where: the `api`, `api-version` and `base-url` inputs.
 */
import { API_NAMES, type ApiName } from '../adapters/adapter.js';
import { InputError, printable } from './errors.js';

const API_ALIASES = new Map<string, ApiName>([
  ['cpp', 'cloud-partner-portal'],
  ['ingestion', 'product-ingestion'],
]);

/**
 * The API an `api` input names. `auto` (also empty) picks by `publisher-id`: the Cloud Partner
 * Portal API needs one, product-ingestion does not.
 */
export function parseApi(raw: string, publisherId = ''): ApiName {
  return chooseApi(raw, publisherId).api;
}

/** The API, and why it was chosen, for the log. */
export function chooseApi(raw: string, publisherId: string): { api: ApiName; reason: string } {
  const key = raw.trim().toLowerCase() || 'auto';
  if (key === 'auto') {
    return publisherId.trim()
      ? { api: 'cloud-partner-portal', reason: 'api: auto, publisher-id given' }
      : { api: 'product-ingestion', reason: 'api: auto, no publisher-id given' };
  }
  const api = API_NAMES.find((name) => name === key) ?? API_ALIASES.get(key);
  if (!api) {
    throw new InputError(
      'api',
      `'${printable(raw)}' is not an API. Use auto (the default: cloud-partner-portal when ` +
        'publisher-id is given, else product-ingestion), cloud-partner-portal (alias cpp) or ' +
        'product-ingestion (alias ingestion).',
    );
  }
  return { api, reason: `api: ${key}` };
}

/** CPP `api-version` or ingestion `$version`: the API's own (`defaultVersion`) when empty. */
export function apiVersion(raw: string, defaultVersion: string): string {
  const version = raw.trim() || defaultVersion;
  if (!/^[0-9A-Za-z.-]+$/.test(version)) {
    throw new InputError(
      'api-version',
      `'${printable(version)}' is not an API version, e.g. ${defaultVersion}.`,
    );
  }
  return version;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError(
      'base-url',
      `'${printable(raw)}' is not a URL. Use e.g. https://cloudpartner.azure.com.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      'base-url',
      'must be a plain https URL without credentials, query or fragment.',
    );
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new InputError(
      'base-url',
      `'${url.origin}' must use https (plain http is allowed only for loopback addresses, for testing).`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}
