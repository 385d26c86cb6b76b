/**
 * What the action signs in with: the sign-in inputs as the input reader (`src/inputs`) checked
 * them. Types only, so every auth module can use them without importing the others.
 */

export const AUTH_TYPES = [
  'auto',
  'access-token',
  'client-secret',
  'oidc',
  'azure-cli',
  'managed-identity',
] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/** A way to sign in: what `auto` resolves to. */
export type Way = Exclude<AuthType, 'auto'>;

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
