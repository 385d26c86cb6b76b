/**
 * The sign-in inputs (`auth-type`, `access-token`, `tenant-id`, `client-id`, `client-secret`,
 * `authority-host`), checked before any request; `src/auth` signs in with what they say.
 */
import { AUTH_TYPES, type AuthSettings } from '../auth/settings.js';
import { InputError, printable } from './errors.js';
import type { GetInput } from './fields.js';

/**
 * Entra's public authority hosts (global, US Government, China). Any other host gets no instance
 * discovery: MSAL would otherwise ask the public cloud whether that host is an authority.
 */
const PUBLIC_AUTHORITY_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
]);

/** `getInput` gives each input's default when it is empty. Secrets are taken as given, never quoted. */
export function readAuth(getInput: GetInput): AuthSettings {
  const read = (name: string) => getInput(name).trim();
  // Quoted lowercased when it is wrong, as it is compared.
  const authType = read('auth-type').toLowerCase();
  const known = AUTH_TYPES.find((t) => t === authType);
  if (!known) {
    throw new InputError(
      'auth-type',
      `'${printable(authType)}' is not one of: ${AUTH_TYPES.join(', ')}.`,
    );
  }
  return {
    authType: known,
    accessToken: read('access-token'),
    tenantId: id(
      'tenant-id',
      read('tenant-id'),
      'the Directory (tenant) ID, a GUID, or a domain such as contoso.onmicrosoft.com',
    ),
    clientId: id('client-id', read('client-id'), 'the Application (client) ID, a GUID'),
    clientSecret: read('client-secret'),
    ...parseAuthorityHost(read('authority-host')),
  };
}

function parseAuthorityHost(raw: string): { authorityHost: string; publicCloud: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(
      'authority-host',
      `'${printable(raw)}' is not a URL. Use e.g. https://login.microsoftonline.com.`,
    );
  }
  if (url.protocol !== 'https:') {
    throw new InputError(
      'authority-host',
      `'${url.origin}' must use https: Microsoft Entra ID is only reached over https.`,
    );
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    // A user and password in the URL are a credential: never quoted back.
    const shown = url.username || url.password ? raw.replace(/\/\/[^/]*@/, '//***@') : raw;
    throw new InputError(
      'authority-host',
      `'${printable(shown)}' must be just https:// and a host, e.g. https://login.microsoftonline.us.`,
    );
  }
  const host = url.hostname.toLowerCase();
  return { authorityHost: url.origin, publicCloud: PUBLIC_AUTHORITY_HOSTS.has(host) && !url.port };
}

/** Tenant and client ids: a GUID, or for tenants a domain such as `contoso.onmicrosoft.com`. */
function id(input: string, value: string, example: string): string {
  if (value && !/^[0-9A-Za-z.-]+$/.test(value)) {
    throw new InputError(input, `'${printable(value)}' is not an id: use ${example}.`);
  }
  return value;
}
