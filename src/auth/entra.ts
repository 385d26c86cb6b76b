/**
 * The @azure/identity credentials that do the Microsoft Entra ID work, behind a small factory that
 * tests replace. A new credential is made for each token: @azure/identity keeps its own cache, and
 * a token the API refused must not come back from it.
 */
import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

/** The Cloud Partner Portal API, as an Entra resource and as a v2 scope. */
export const RESOURCE = 'https://cloudpartner.azure.com';
export const SCOPE = `${RESOURCE}/.default`;

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
    new ClientSecretCredential(tenantId, clientId, clientSecret, options),
  clientAssertion: (tenantId, clientId, getAssertion, options) =>
    new ClientAssertionCredential(tenantId, clientId, getAssertion, options),
  azureCli: (tenantId) =>
    new AzureCliCredential({
      ...(tenantId ? { tenantId } : {}),
      processTimeoutInMs: AZ_TIMEOUT_MS,
    }),
  managedIdentity: (clientId) =>
    clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential(),
};
