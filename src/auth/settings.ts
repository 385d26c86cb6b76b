/**
 * The authentication inputs, read and checked in one place. A problem is an `AuthError` that names
 * the input, because `main` turns an `AuthError` from authentication into the step's failure.
 */
import type { GetInput } from '../inputs.js';
import { AuthError } from './errors.js';

export const AUTH_TYPES = [
  'auto',
  'access-token',
  'client-secret',
  'oidc',
  'azure-cli',
  'managed-identity',
] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/** The defaults of `action.yml`, applied again so an empty input means its default anywhere. */
export const AUTH_DEFAULTS = {
  'auth-type': 'auto',
  'authority-host': 'https://login.microsoftonline.com',
} as const;

/**
 * Entra's public authority hosts (global, US Government, China). Any other host gets no instance
 * discovery: MSAL would otherwise ask the public cloud whether that host is an authority.
 */
export const PUBLIC_AUTHORITY_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

export interface AuthSettings {
  authType: AuthType;
  accessToken: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** `https://host[:port]`, without a trailing slash. */
  authorityHost: string;
  /** Whether the host is one of Entra's public clouds (instance discovery allowed). */
  publicCloud: boolean;
}

function fail(input: string, message: string): never {
  throw new AuthError(`Input '${input}': ${message}`);
}

function shown(value: string): string {
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function parseAuthorityHost(raw: string): { authorityHost: string; publicCloud: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(
      'authority-host',
      `'${shown(raw)}' is not a URL. Use e.g. https://login.microsoftonline.com.`,
    );
  }
  if (url.protocol !== 'https:') {
    fail(
      'authority-host',
      `'${url.origin}' must use https: Microsoft Entra ID is only reached over https.`,
    );
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    fail(
      'authority-host',
      `'${shown(raw)}' must be just https:// and a host, e.g. https://login.microsoftonline.us.`,
    );
  }
  const host = url.hostname.toLowerCase();
  return { authorityHost: url.origin, publicCloud: PUBLIC_AUTHORITY_HOSTS.has(host) && !url.port };
}

/** Tenant and client ids: a GUID, or for tenants a domain such as `contoso.onmicrosoft.com`. */
function id(input: string, value: string, example: string): string {
  if (value && !/^[0-9A-Za-z.-]+$/.test(value)) {
    fail(input, `'${shown(value)}' is not an id: use ${example}.`);
  }
  return value;
}

export function readAuthSettings(getInput: GetInput): AuthSettings {
  const read = (name: string) => getInput(name).trim();
  const rawType = (read('auth-type') || AUTH_DEFAULTS['auth-type']).toLowerCase();
  const authType = AUTH_TYPES.find((t) => t === rawType);
  if (!authType) fail('auth-type', `'${shown(rawType)}' is not one of: ${AUTH_TYPES.join(', ')}.`);
  return {
    authType,
    accessToken: read('access-token'),
    tenantId: id(
      'tenant-id',
      read('tenant-id'),
      'the Directory (tenant) ID, a GUID, or a domain such as contoso.onmicrosoft.com',
    ),
    clientId: id('client-id', read('client-id'), 'the Application (client) ID, a GUID'),
    clientSecret: read('client-secret'),
    ...parseAuthorityHost(read('authority-host') || AUTH_DEFAULTS['authority-host']),
  };
}
