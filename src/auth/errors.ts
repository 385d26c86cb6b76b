/**
 * Failures to get a token, told the way users search for them: the `AADSTS…` code and Entra's own
 * description first, then what to change. Never the secret: every known secret is scrubbed from the
 * text, whatever a library or a service echoed back.
 */
import type { Way } from './settings.js';

export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** What went wrong getting a token, and whether asking again later may work. */
export interface TokenFailure {
  message: string;
  /** Entra or the network was unavailable (not a refusal): a later try may succeed. */
  transient: boolean;
  /** `AADSTS7000215`, when Entra gave one. */
  code?: string;
}

export interface FailureContext {
  way: Way;
  /** The API's Entra resource the token is for. */
  resource: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  /** Removed from every message. */
  secrets: readonly string[];
  /** The GitHub ID token's `sub` claim, for the federated-credential hint. */
  oidcSubject?: string;
}

const WAY_LABEL: Record<Way, string> = {
  'access-token': 'access-token',
  'client-secret': 'client-secret',
  oidc: 'oidc (GitHub OIDC federation)',
  'azure-cli': 'Azure CLI',
  'managed-identity': 'managed-identity',
};

/** What to do about the Entra errors users meet most, by AADSTS number. */
function hint(code: string, c: FailureContext): string | undefined {
  const federation =
    'The federated credential on the app registration must match the GitHub token exactly: issuer ' +
    'https://token.actions.githubusercontent.com, audience api://AzureADTokenExchange, and subject ' +
    'such as repo:OWNER/REPO:ref:refs/heads/main, repo:OWNER/REPO:environment:NAME or ' +
    'repo:OWNER/REPO:pull_request' +
    (c.oidcSubject ? ` (this job's token has subject '${c.oidcSubject}').` : '.');
  switch (code) {
    case 'AADSTS7000215':
      return (
        "Check client-secret: use the secret's Value (not its Secret ID) from the app's Certificates & " +
        'secrets page, and make sure it belongs to this client-id and has not been deleted.'
      );
    case 'AADSTS7000222':
      return 'The client secret has expired: create a new one and update the secret passed as client-secret.';
    case 'AADSTS700016':
      return (
        `No application with client-id '${c.clientId}' was found in tenant '${c.tenantId}'. Check ` +
        'client-id is the Application (client) ID and tenant-id is the Directory (tenant) ID of the same app.'
      );
    case 'AADSTS90002':
      return `Tenant '${c.tenantId}' was not found: check tenant-id (the Directory (tenant) ID) and authority-host.`;
    case 'AADSTS70021':
    case 'AADSTS700211':
    case 'AADSTS700212':
    case 'AADSTS700213':
      return federation;
    case 'AADSTS700024':
      return 'The GitHub ID token was not valid at the time Entra checked it: check the runner clock.';
    default:
      return undefined;
  }
}

/** Replaces every secret (at least 4 characters, as the runner's masking does) with `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/** The error and its causes, outermost first. */
function chain(error: unknown): unknown[] {
  const all: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && all.length < 6;) {
    all.push(e);
    e = typeof e === 'object' ? (e as { cause?: unknown }).cause : undefined;
  }
  return all;
}

function field(e: unknown, name: string): unknown {
  return e && typeof e === 'object' ? (e as Record<string, unknown>)[name] : undefined;
}

/** Every text the error carries: messages, MSAL's `errorMessage`, @azure/identity's `errorResponse`. */
function texts(error: unknown): string[] {
  const out: string[] = [];
  for (const e of chain(error)) {
    for (const value of [
      field(e, 'message'),
      field(e, 'errorMessage'),
      field(field(e, 'errorResponse'), 'errorDescription'),
    ]) {
      if (typeof value === 'string' && value) out.push(value);
    }
    if (typeof e === 'string') out.push(e);
  }
  return out;
}

/** An AuthError already made (e.g. GitHub refused the ID token inside the assertion callback). */
function ownAuthError(error: unknown): AuthError | undefined {
  return chain(error).find((e): e is AuthError => e instanceof AuthError);
}

/** `AADSTS7000215: Invalid client secret provided. …`, cut before Entra's trace lines. */
export function aadsts(error: unknown): { code: string; description: string } | undefined {
  for (const text of texts(error)) {
    const match = /(AADSTS\d+):\s*([^\r\n]*)/.exec(text);
    if (!match) continue;
    const description = match[2]!
      .split(/ - (?:Correlation ID|Trace ID|Timestamp):/)[0]!
      .replace(/\s*Trace ID:.*$/, '')
      .trim();
    return { code: match[1]!, description };
  }
  return undefined;
}

function traceIds(error: unknown): string {
  const all = texts(error).join('\n');
  const trace = /Trace ID:\s*([0-9A-Za-z-]+)/.exec(all)?.[1];
  const correlation = /Correlation ID:\s*([0-9A-Za-z-]+)/.exec(all)?.[1];
  const parts = [trace && `trace ID ${trace}`, correlation && `correlation ID ${correlation}`];
  const shown = parts.filter(Boolean).join(', ');
  return shown ? ` (${shown}).` : '';
}

/** MSAL's code for "no answer from the authority" (connection refused, DNS, TLS, 5xx after retries). */
function networkCode(error: unknown): string | undefined {
  for (const e of chain(error)) {
    const code = field(e, 'errorCode');
    if (code === 'network_error' || code === 'endpoints_resolution_error') return code;
    const message = field(e, 'message');
    const named =
      typeof message === 'string'
        ? /^(network_error|endpoints_resolution_error)\b/.exec(message)
        : null;
    if (named) return named[1];
  }
  return undefined;
}

function httpStatus(error: unknown): number | undefined {
  for (const e of chain(error)) {
    const status = field(e, 'status') ?? field(e, 'statusCode');
    if (typeof status === 'number') return status;
  }
  return undefined;
}

/** The first line of the innermost message, for failures that fit no known shape. */
function plainMessage(error: unknown): string {
  const all = texts(error);
  const text = all.at(-1) ?? String(error);
  const line = text.trim().split(/\r?\n/)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Turns whatever @azure/identity (or MSAL, or the Azure CLI) threw into a message a user can act on.
 * The Azure CLI's own cases (not installed, not signed in) are told by `azureCliFailure`.
 */
export function describeTokenFailure(error: unknown, c: FailureContext): TokenFailure {
  const own = ownAuthError(error);
  if (own) return { message: scrub(own.message, c.secrets), transient: false };
  if (c.way === 'azure-cli') return azureCliFailure(error, c);

  const label = WAY_LABEL[c.way];
  const entra = aadsts(error);
  if (entra) {
    const advice = hint(entra.code, c);
    const message =
      `Microsoft Entra ID refused the ${label} sign-in: ${entra.code}: ${entra.description}` +
      `${traceIds(error)}${advice ? ` ${advice}` : ''}`;
    return { message: scrub(message, c.secrets), transient: false, code: entra.code };
  }

  const managed = c.way === 'managed-identity';
  const network = networkCode(error);
  if (network) {
    const message = managed
      ? `Could not reach the managed identity endpoint (${network}).${MANAGED_IDENTITY_HINT}`
      : `Could not reach Microsoft Entra ID at ${c.authorityHost} for the ${label} sign-in ` +
        `(${network}). Check authority-host and that the runner can reach it (network, proxy, TLS ` +
        'certificate).';
    return { message: scrub(message, c.secrets), transient: true };
  }

  const status = httpStatus(error);
  const transient = status !== undefined && (status === 429 || status >= 500);
  const message =
    `Could not get a Microsoft Entra ID token (${label}): ${plainMessage(error)}` +
    `${status !== undefined ? ` (HTTP ${status})` : ''}${managed ? MANAGED_IDENTITY_HINT : ''}`;
  return { message: scrub(message, c.secrets), transient };
}

const MANAGED_IDENTITY_HINT =
  ' A managed identity exists only on a runner hosted in Azure (e.g. a self-hosted runner on an ' +
  'Azure VM) with the identity assigned to it; give client-id for a user-assigned one.';

/** @azure/identity's AzureCliCredential says so when running `az` failed with ENOENT. */
export function isAzureCliMissing(error: unknown): boolean {
  return texts(error).some((t) => /Azure CLI could not be found/i.test(t));
}

/** The Azure CLI answered, but asked for `az login`. */
export function isAzureCliSignedOut(error: unknown): boolean {
  return texts(error).some((t) => /\baz login\b/.test(t));
}

function azureCliFailure(error: unknown, c: FailureContext): TokenFailure {
  if (isAzureCliMissing(error)) {
    return {
      message:
        'The Azure CLI (az) was not found on PATH. auth-type azure-cli uses the session that the ' +
        'azure/login action leaves: run azure/login before this step on a runner with the Azure CLI, ' +
        'or choose another auth-type.',
      transient: false,
    };
  }
  if (isAzureCliSignedOut(error)) {
    return {
      message:
        'The Azure CLI has no signed-in session (az account get-access-token asked for az login). ' +
        'Run the azure/login action before this step (or az login on a self-hosted runner), or choose ' +
        'another auth-type.',
      transient: false,
    };
  }
  const entra = aadsts(error);
  const said = entra ? `${entra.code}: ${entra.description}` : plainMessage(error);
  const advice = entra ? hint(entra.code, c) : undefined;
  return {
    message: scrub(
      `The Azure CLI could not get a token for ${c.resource}: ${said}` +
        `${advice ? ` ${advice}` : ''}`,
      c.secrets,
    ),
    transient: false,
    ...(entra ? { code: entra.code } : {}),
  };
}
