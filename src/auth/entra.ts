/**
 * The @azure/identity credentials that do the Microsoft Entra ID work, behind a small factory that
 * tests replace. A new credential is made for each token: @azure/identity keeps its own cache, and
 * a token the API refused must not come back from it.
 */
import type { TokenCredential } from '@azure/identity';

type Identity = typeof import('@azure/identity');

/**
 * @azure/identity (with MSAL) is about a quarter of the bundle and as much of its start-up time; it
 * is loaded on first use, so a run with an access token never pays for it.
 */
let identity: Promise<Identity> | undefined;
function lazy(make: (id: Identity) => TokenCredential): TokenCredential {
  return {
    getToken: async (scopes, options) =>
      make(await (identity ??= import('@azure/identity'))).getToken(scopes, options),
  };
}

/** An API's Entra resource (`https://cloudpartner.azure.com`) as a v2 scope. */
export function scopeOf(resource: string): string {
  return `${resource}/.default`;
}

export interface EntraOptions {
  authorityHost: string;
  /** Off for Entra's public hosts; on elsewhere, so MSAL never asks the public cloud about the host. */
  disableInstanceDiscovery: boolean;
}

export interface CredentialFactory {
  clientSecret(
    tenantId: string,
    clientId: string,
    clientSecret: string,
    options: EntraOptions,
  ): TokenCredential;
  clientAssertion(
    tenantId: string,
    clientId: string,
    getAssertion: () => Promise<string>,
    options: EntraOptions,
  ): TokenCredential;
  /** `az account get-access-token --resource …` (with `--tenant` when a tenant is given). */
  azureCli(tenantId: string | undefined): TokenCredential;
  /** System-assigned without a client id; user-assigned with one. */
  managedIdentity(clientId: string | undefined): TokenCredential;
}

/** How long `az account get-access-token` may take. */
const AZ_TIMEOUT_MS = 60_000;

export const identityCredentials: CredentialFactory = {
  clientSecret: (tenantId, clientId, clientSecret, options) =>
    lazy((id) => new id.ClientSecretCredential(tenantId, clientId, clientSecret, options)),
  clientAssertion: (tenantId, clientId, getAssertion, options) =>
    lazy((id) => new id.ClientAssertionCredential(tenantId, clientId, getAssertion, options)),
  azureCli: (tenantId) =>
    lazy(
      (id) =>
        new id.AzureCliCredential({
          ...(tenantId ? { tenantId } : {}),
          processTimeoutInMs: AZ_TIMEOUT_MS,
        }),
    ),
  managedIdentity: (clientId) =>
    lazy((id) =>
      clientId
        ? new id.ManagedIdentityCredential({ clientId })
        : new id.ManagedIdentityCredential(),
    ),
};
