/**
 * How the action proves who it is to the API: a given bearer token, or a Microsoft Entra ID token
 * got through @azure/identity (client secret, GitHub OIDC federation, the Azure CLI session, or a
 * managed identity), kept fresh through waits longer than a token lives.
 *
 * The first token is got here, eagerly, so that a refused sign-in is an `AuthError` (the step fails
 * with Entra's reason) instead of a failed read. A later renewal that fails is an `ApiError`: one
 * Entra refused ends the wait with its reason; one where Entra could not be reached is transient.
 */
import { formatDuration } from '../core/duration.js';
import { ApiError } from '../http/api-error.js';
import type { TokenSource } from '../http/client.js';
import { TokenCache, type TimedToken } from './cache.js';
import {
  chooseWay,
  missingInputs,
  missingInputsMessage,
  nothingConfiguredMessage,
  type Choice,
} from './choose.js';
import {
  identityCredentials,
  scopeOf,
  type CredentialFactory,
  type EntraOptions,
} from './entra.js';
import {
  AuthError,
  describeTokenFailure,
  isAzureCliMissing,
  isAzureCliSignedOut,
  type FailureContext,
} from './errors.js';
import { fetchGitHubIdToken, idTokenRequest, missingIdTokenMessage, tokenSubject } from './oidc.js';
import type { AuthSettings } from './settings.js';

export { AuthError } from './errors.js';

export interface AuthContext {
  /** The sign-in inputs, read and checked by the input reader. */
  settings: AuthSettings;
  /** The API the token is for: its Entra resource and its name, for messages. */
  api: { resource: string; title: string };
  /** Where the chosen way and its progress are logged. */
  info(message: string): void;
  /** Masks a secret (a token) in the log before anything can print it. */
  setSecret(secret: string): void;
  env: Record<string, string | undefined>;
  now(): number;
  /** Makes the @azure/identity credentials; tests pass fakes. */
  credentials?: CredentialFactory;
  /** Used to ask the runner for the GitHub OIDC token. */
  fetch?: typeof fetch;
}

/** The token source the inputs ask for, or an `AuthError` that says what to set. */
export async function createTokenSource(ctx: AuthContext): Promise<TokenSource> {
  const { settings } = ctx;
  const secrets: string[] = [];
  const mask = (secret: string) => {
    if (!secret) return;
    ctx.setSecret(secret);
    secrets.push(secret);
  };
  // Masked first: nothing here prints it, but a library's error could echo it.
  mask(settings.clientSecret);
  const choice = chooseWay(settings);
  const missing = missingInputs(choice.way, settings);
  if (missing.length > 0) throw new AuthError(missingInputsMessage(choice, missing));

  if (choice.way === 'access-token') {
    ctx.info(`Authenticating with the access-token input (${choice.reason}).`);
    const token = settings.accessToken;
    mask(token);
    return { renewable: false, token: async () => token };
  }

  const failure: FailureContext = {
    way: choice.way,
    resource: ctx.api.resource,
    authorityHost: settings.authorityHost,
    tenantId: settings.tenantId,
    clientId: settings.clientId,
    secrets,
  };
  const getToken = tokenGetter(ctx, settings, choice, failure, mask);
  ctx.info(`${describeWay(choice, settings)} (${choice.reason}).`);

  let acquired = 0;
  let latest: TimedToken | undefined;
  const cache = new TokenCache({
    acquire: async () => {
      const token = await getToken();
      if (!token?.token) throw new Error('the credential returned no token.');
      mask(token.token);
      latest = token;
      if (acquired++ > 0) ctx.info(`Got a new Entra token (${validity(token, ctx.now())}).`);
      return token;
    },
    now: ctx.now,
    onKeptAfterFailure: (error, validForMs) =>
      ctx.info(
        `Could not renew the Entra token: ${describeTokenFailure(error, failure).message} ` +
          `The current one is still valid for ${formatDuration(validForMs)}; it is used meanwhile.`,
      ),
  });

  try {
    await cache.get(false);
  } catch (error) {
    if (choice.fallback && isAzureCliMissing(error)) {
      throw new AuthError(nothingConfiguredMessage(settings, 'missing', ctx.api));
    }
    if (choice.fallback && isAzureCliSignedOut(error)) {
      throw new AuthError(nothingConfiguredMessage(settings, 'signed-out', ctx.api));
    }
    throw new AuthError(describeTokenFailure(error, failure).message);
  }
  if (latest)
    ctx.info(`Got a token (${validity(latest, ctx.now())}); it is renewed before it expires.`);

  return {
    renewable: true,
    token: async (fresh) => {
      try {
        return await cache.get(fresh);
      } catch (error) {
        // Ends the wait with Entra's reason, or (unreachable) counts as a failed read.
        const { message, transient } = describeTokenFailure(error, failure);
        throw new ApiError(message, {
          kind: transient ? 'network' : 'http',
          endpoint: 'Microsoft Entra ID',
          transient,
        });
      }
    },
  };
}

function validity(token: TimedToken, now: number): string {
  return `valid for ${formatDuration(Math.max(0, token.expiresOnTimestamp - now))}`;
}

function describeWay(choice: Choice, s: AuthSettings): string {
  switch (choice.way) {
    case 'client-secret':
      return `Authenticating with a client secret of app ${s.clientId} in tenant ${s.tenantId}`;
    case 'oidc':
      return `Authenticating with GitHub OIDC federation as app ${s.clientId} in tenant ${s.tenantId}`;
    case 'azure-cli':
      return `Authenticating with the Azure CLI session${s.tenantId ? ` for tenant ${s.tenantId}` : ''}`;
    case 'managed-identity':
      return s.clientId
        ? `Authenticating with the user-assigned managed identity ${s.clientId}`
        : 'Authenticating with the system-assigned managed identity';
    case 'access-token':
      return 'Authenticating with the access-token input';
  }
}

/** A function that makes a new credential and asks it for a token, for the chosen way. */
function tokenGetter(
  ctx: AuthContext,
  s: AuthSettings,
  choice: Choice,
  failure: FailureContext,
  mask: (secret: string) => void,
): () => Promise<TimedToken | null> {
  const credentials = ctx.credentials ?? identityCredentials;
  const scope = scopeOf(ctx.api.resource);
  const entra: EntraOptions = {
    authorityHost: s.authorityHost,
    disableInstanceDiscovery: !s.publicCloud,
  };
  switch (choice.way) {
    case 'client-secret':
      return () =>
        credentials.clientSecret(s.tenantId, s.clientId, s.clientSecret, entra).getToken(scope);
    case 'oidc': {
      const request = idTokenRequest(ctx.env);
      if (!request) throw new AuthError(missingIdTokenMessage(choice.reason));
      mask(request.token);
      // A GitHub ID token lives minutes and an Entra token an hour, so each sign-in gets a new one.
      const getAssertion = async () => {
        const jwt = await fetchGitHubIdToken(request, ctx.fetch);
        mask(jwt);
        const subject = tokenSubject(jwt);
        if (subject) failure.oidcSubject = subject;
        return jwt;
      };
      return () => {
        // MSAL calls the callback twice per sign-in (for its configuration and for the request):
        // one GitHub token serves both.
        let assertion: Promise<string> | undefined;
        const once = () => (assertion ??= getAssertion());
        return credentials.clientAssertion(s.tenantId, s.clientId, once, entra).getToken(scope);
      };
    }
    case 'azure-cli':
      return () => credentials.azureCli(s.tenantId || undefined).getToken(scope);
    case 'managed-identity':
      return () => credentials.managedIdentity(s.clientId || undefined).getToken(scope);
    case 'access-token':
      throw new Error('access-token needs no credential.');
  }
}
