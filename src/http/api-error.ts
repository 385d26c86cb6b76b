/**
 * A failed API call, described for the person reading the log: which endpoint, what the service
 * answered, and what to do. `transient` failures are retried and waited through; the rest end the wait.
 * Every message a user reads about a failed call is worded here.
 */
import { htmlToText, lineOf, tidy } from '../core/html.js';

type ApiErrorKind = 'http' | 'network' | 'body';

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

/** No answer: the connection failed or stalled, in words, with the code when there is one. */
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

const EXCERPT_CHARS = 200;

/** A short, single-line, printable excerpt of a body, for error messages. */
function excerpt(text: string): string {
  const line = tidy(text).replace(/\s+/g, ' ');
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}

/** Nested `error.details[]` read at most: levels, entries, and characters of each. */
const MAX_DETAIL_DEPTH = 4;
const MAX_DETAILS = 10;
const DETAIL_CHARS = 300;

const isRecord = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object';
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

interface ServiceError {
  code?: string;
  message?: string;
  /** `code: target: message` of each `error.details[]` entry, nested ones after their parent. */
  details: string[];
  /** More details than were read. */
  more: boolean;
}

/**
 * The service's `{"error":{"code","message","details":[{code,message,target,details}]}}`, when the
 * body has it: every text on one line, the details bounded (depth, count, length).
 */
function serviceError(text: string): ServiceError {
  const found: ServiceError = { details: [], more: false };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return found;
  }
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error)) return found;
  found.code = lineOf(error.code) || undefined;
  found.message = lineOf(error.message) || undefined;
  const visit = (items: unknown, depth: number) => {
    if (!Array.isArray(items)) return;
    for (const item of items) {
      if (!isRecord(item)) continue;
      if (found.details.length >= MAX_DETAILS) {
        found.more = true;
        return;
      }
      const line = [item.code, item.target, item.message].map(lineOf).filter(Boolean).join(': ');
      if (line) found.details.push(clip(line, DETAIL_CHARS));
      if (depth < MAX_DETAIL_DEPTH) visit(item.details, depth + 1);
      else if (Array.isArray(item.details) && item.details.length > 0) found.more = true;
    }
  };
  visit(error.details, 1);
  return found;
}

/** `message (details: a; b; …)`: the service's message and what its details add, on one line. */
function withDetails(message: string | undefined, e: ServiceError): string | undefined {
  if (e.details.length === 0) return message;
  const details = `details: ${e.details.join('; ')}${e.more ? '; …' : ''}`;
  return message ? `${message} (${details})` : details;
}

/** Answers worth another try: the service timed out, asked us to slow down, or failed for now. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** The service answered with an error status: what it said, and what to do about that status. */
export function httpError(
  endpoint: string,
  status: number,
  text: string,
  retryAfterMs?: number,
  guidance?: string,
): ApiError {
  const found = serviceError(text);
  const { code } = found;
  // The details' messages belong to the service's message: a conflict may be told only there.
  const message = withDetails(found.message, found);
  // An HTML error page (a gateway's) reads better as its text.
  const plain = text.trimStart().startsWith('<') ? htmlToText(text) : text;
  const said =
    code || message
      ? `${[code, message].filter(Boolean).join(': ')}`
      : plain.trim()
        ? `"${excerpt(plain)}"`
        : 'no body';
  return new ApiError(
    `${endpoint} answered HTTP ${status} (${said}).${guidance ? ` ${guidance}` : ''}`,
    {
      kind: 'http',
      endpoint,
      status,
      code,
      serviceMessage: message,
      retryAfterMs,
      transient: TRANSIENT_STATUSES.has(status),
    },
  );
}

/** A 2xx answer whose body is not JSON. */
export function notJsonError(endpoint: string, status: number, text: string): ApiError {
  return new ApiError(
    `${endpoint} answered HTTP ${status} with a body that is not JSON: "${excerpt(text)}".`,
    { kind: 'body', endpoint, status, transient: false },
  );
}

/** A 2xx answer whose JSON does not match what the action reads: the first problem, and where. */
export function shapeError(
  endpoint: string,
  status: number,
  text: string,
  issue: { path: string | null; message: string } | undefined,
): ApiError {
  const path = issue?.path;
  return new ApiError(
    `${endpoint} answered HTTP ${status} with JSON of an unexpected shape` +
      `${path ? ` at '${path}'` : ''}: ${issue?.message ?? 'invalid'}. Body: "${excerpt(text)}".`,
    { kind: 'body', endpoint, status, transient: false },
  );
}

/**
 * An answer larger than the action reads (`limit` bytes). Its status is kept: a write answered
 * 2xx so may have started something, and is looked for before it is sent again (`writes.ts`).
 */
export function tooLargeError(endpoint: string, limit: number, status: number): ApiError {
  return new ApiError(
    `${endpoint} answered HTTP ${status} with a body larger than ${limit / 1024 / 1024} MiB.`,
    { kind: 'body', endpoint, status, transient: false },
  );
}
