/**
 * GitHub's OIDC ID token, the client assertion of a federated sign-in. The runner offers one only
 * when the job has `permissions: id-token: write`, through two environment variables.
 */
import { AuthError } from './errors.js';

/** The audience Entra expects of a federated credential's token. */
export const GITHUB_AUDIENCE = 'api://AzureADTokenExchange';

export interface IdTokenRequest {
  url: string;
  /** The runner's bearer token for that URL (a secret). */
  token: string;
}

/** Where to ask for an ID token, or undefined when the runner offers none. */
export function idTokenRequest(
  env: Record<string, string | undefined>,
): IdTokenRequest | undefined {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim();
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim();
  return url && token ? { url, token } : undefined;
}

export function missingIdTokenMessage(reason: string): string {
  return (
    `oidc sign-in (${reason}) needs a GitHub OIDC token, but this job has none ` +
    '(ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). Add to the job ' +
    '(or the workflow): `permissions: { id-token: write, contents: read }`. Pull requests from forks ' +
    'never get an ID token; for those, skip this step or sign in another way (client-secret is not ' +
    'available to forks either).'
  );
}

/** Asks the runner for an ID token for Entra; an `AuthError` says what GitHub answered. */
export async function fetchGitHubIdToken(
  request: IdTokenRequest,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 30_000,
): Promise<string> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new AuthError('ACTIONS_ID_TOKEN_REQUEST_URL is not a URL; the runner set it wrongly.');
  }
  url.searchParams.set('audience', GITHUB_AUDIENCE);
  let response: Response;
  try {
    response = await fetchImpl(url, {
      headers: { authorization: `Bearer ${request.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new AuthError(`Could not ask GitHub for an OIDC token at ${url.origin} (${why(error)}).`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new AuthError(
      `GitHub did not issue an OIDC token: HTTP ${response.status} from ${url.origin}` +
        `${text.trim() ? ` (${text.trim().slice(0, 200)})` : ''}. Check the job has ` +
        '`permissions: id-token: write`.',
    );
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '') {
    throw new AuthError(
      `GitHub answered the OIDC token request from ${url.origin} without a token.`,
    );
  }
  return value;
}

/** A network failure's code (`ECONNREFUSED`), else its innermost message. */
function why(error: unknown): string {
  let message = String(error);
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const {
      code,
      errors,
      message: text,
    } = e as { code?: unknown; errors?: unknown; message?: unknown };
    if (typeof code === 'string') return code;
    if (typeof text === 'string' && text) message = text;
    e = Array.isArray(errors) && errors.length > 0 ? errors[0] : (e as { cause?: unknown }).cause;
  }
  return message;
}

/** The `sub` claim of a JWT (not verified: only to explain a federated-credential mismatch). */
export function tokenSubject(jwt: string): string | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      sub?: unknown;
    };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
