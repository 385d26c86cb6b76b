/**
 * A failed API call, described for the person reading the log: which endpoint, what the service
 * answered, and what to do. `transient` failures are retried and waited through; the rest end the wait.
 */

export type ApiErrorKind = 'http' | 'network' | 'body';

export interface ApiErrorDetails {
  kind: ApiErrorKind;
  /** `GET /api/publishers/contoso/offers/x/status`, or `Microsoft Entra ID` */
  endpoint: string;
  status?: number;
  /** The service's `error.code`, when its body had one. */
  code?: string;
  /** The service's `error.message`, when its body had one. */
  serviceMessage?: string;
  /** Milliseconds the service asked us to wait (`Retry-After`). */
  retryAfterMs?: number;
  transient: boolean;
}

export class ApiError extends Error {
  readonly details: ApiErrorDetails;
  constructor(message: string, details: ApiErrorDetails) {
    super(message);
    this.name = 'ApiError';
    this.details = details;
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get transient(): boolean {
    return this.details.transient;
  }
}

export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Network failures worth another try: the service or the path to it may come back. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  ENOTFOUND: 'the host name could not be resolved (DNS)',
  EAI_AGAIN: 'the host name could not be resolved (DNS, temporary)',
  UND_ERR_SOCKET: 'the connection closed before the answer was complete',
  UND_ERR_CLOSED: 'the connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the service did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the answer stalled before it was complete',
};

export function networkError(endpoint: string, error: unknown): ApiError {
  const code = errorCode(error);
  const what =
    (code && NETWORK_WORDS[code]) ?? (error instanceof Error ? error.message : String(error));
  return new ApiError(`${endpoint} failed: ${what}${code ? ` (${code})` : ''}.`, {
    kind: 'network',
    endpoint,
    transient: code !== undefined && TRANSIENT_NETWORK_CODES.has(code),
  });
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
