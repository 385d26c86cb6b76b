/**
 * The one HTTP layer: every call to a publishing API (and its retries) goes through here. It adds
 * the bearer token, bounds each request and its body, retries transient failures with backoff and
 * `Retry-After`, renews the token once after a 401, and turns every failure into an `ApiError`
 * worded for the person reading the log. The dispatcher and the token are injected, so tests drive
 * the real client against a loopback server or undici's MockAgent.
 */
import pRetry, { AbortError } from 'p-retry';
import { request, type Dispatcher } from 'undici';
import * as v from 'valibot';
import { htmlToText, lineOf, tidy } from '../core/html.js';
import { ApiError, TRANSIENT_STATUSES, networkError, parseRetryAfter } from './api-error.js';
import type { Gate } from './gate.js';
import { sleep } from './sleep.js';

export interface TokenSource {
  /** A bearer token; `fresh` asks for a new one (after a 401). */
  token(fresh: boolean): Promise<string>;
  /** Whether asking again can give a different token. */
  readonly renewable: boolean;
}

export interface ClientOptions {
  tokens: TokenSource;
  dispatcher?: Dispatcher;
  /** Bound on one request: waiting for headers, and for each chunk of the body. */
  requestTimeoutMs?: number;
  /** Retries of one call after a transient failure. */
  retries?: number;
  /** First retry delay; doubles each retry, with jitter. */
  retryMinDelayMs?: number;
  retryMaxDelayMs?: number;
  /** A short line for each retry. */
  onRetry?: (message: string) => void;
  now?: () => number;
  /** What to do about an HTTP status, in the API's own terms (401, 403, 404 …). */
  guidance?: Partial<Record<number, string>>;
  /** Shared by every request to the service: requests in flight, and `Retry-After` for all. */
  gate?: Gate;
  /** Headers the service wants on every request (GitHub's `Accept` and API version). */
  headers?: Record<string, string>;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** The overall deadline (on the `now` clock): retries, and waits they ask for, stop there. */
  deadline?: number;
  /** The longest backoff between two tries of this call (the action passes its poll interval). */
  maxRetryDelayMs?: number;
  /** Retries for this call, instead of the client's (0 for a best-effort side lookup). */
  retries?: number;
}

/** A 2xx answer: its status, headers and parsed body. */
export interface Answer<T> {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: T;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const EXCERPT_CHARS = 200;

export class HttpClient {
  private readonly options: Required<
    Omit<ClientOptions, 'dispatcher' | 'onRetry' | 'gate' | 'headers'>
  > &
    Pick<ClientOptions, 'dispatcher' | 'onRetry' | 'gate' | 'headers'>;

  constructor(options: ClientOptions) {
    this.options = {
      requestTimeoutMs: 30_000,
      retries: 4,
      retryMinDelayMs: 1_000,
      retryMaxDelayMs: 30_000,
      now: Date.now,
      guidance: {},
      ...options,
    };
  }

  /** A GET, retried on transient failures; the body must match `schema`. */
  async get<S extends v.GenericSchema>(
    url: URL,
    schema: S,
    call: CallOptions = {},
  ): Promise<v.InferOutput<S>> {
    return (await this.retrying(url, 'GET', undefined, schema, call)).body;
  }

  /**
   * A POST, tried once. A write that failed may still have started something on the service, so
   * only the caller can decide whether sending it again is safe; only answers that prove nothing
   * was done (408/429) are retried here, and only when `retries` allows.
   */
  async post<S extends v.GenericSchema>(
    url: URL,
    body: unknown,
    schema: S,
    call: CallOptions = {},
  ): Promise<Answer<v.InferOutput<S>>> {
    return this.retrying(url, 'POST', JSON.stringify(body), schema, { retries: 0, ...call });
  }

  private retrying<S extends v.GenericSchema>(
    url: URL,
    method: 'GET' | 'POST',
    body: string | undefined,
    schema: S,
    call: CallOptions,
  ): Promise<Answer<v.InferOutput<S>>> {
    const endpoint = `${method} ${url.pathname}`;
    let renewed = false;
    const { retryMinDelayMs, retryMaxDelayMs, onRetry, now } = this.options;
    const retries = call.retries ?? this.options.retries;
    const deadline = call.deadline ?? Infinity;
    // A write is retried only when the service said it did nothing (408, 429); a read on any
    // transient failure.
    const retryable = (error: ApiError) =>
      error.transient && (method === 'GET' || error.status === 408 || error.status === 429);
    const attempt = (fresh: boolean) =>
      this.attempt({ url, method, body, endpoint, schema, freshToken: fresh, signal: call.signal });
    return pRetry(
      async () => {
        try {
          return await attempt(false);
        } catch (error) {
          // One 401 may mean an expired token: get a fresh one and try again, once. A 401 is an
          // answer, so the service did nothing: safe for a write too.
          if (
            error instanceof ApiError &&
            error.status === 401 &&
            !renewed &&
            this.options.tokens.renewable
          ) {
            renewed = true;
            return await attempt(true);
          }
          throw error;
        }
      },
      {
        retries,
        factor: 2,
        minTimeout: retryMinDelayMs,
        maxTimeout: Math.min(retryMaxDelayMs, call.maxRetryDelayMs ?? Infinity),
        randomize: true,
        maxRetryTime: Math.max(0, deadline - now()),
        signal: call.signal,
        shouldRetry: ({ error }) => error instanceof ApiError && retryable(error),
        onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
          if (
            !(error instanceof ApiError) ||
            !retryable(error) ||
            retriesLeft === 0 ||
            retryDelay === 0
          )
            return;
          // Honour Retry-After beyond the backoff, but never past the overall deadline.
          const asked = error.details.retryAfterMs ?? 0;
          const extra = Math.max(0, Math.min(asked, deadline - now()) - retryDelay);
          const total = retryDelay + extra;
          onRetry?.(
            `${error.message} Retrying in ${(total / 1000).toFixed(1)}s (${retriesLeft} left).`,
          );
          if (extra > 0) await sleep(extra, call.signal);
        },
      },
    );
  }

  private async attempt<S extends v.GenericSchema>(a: {
    url: URL;
    method: 'GET' | 'POST';
    body: string | undefined;
    endpoint: string;
    schema: S;
    freshToken: boolean;
    signal: AbortSignal | undefined;
  }): Promise<Answer<v.InferOutput<S>>> {
    const token = await this.options.tokens.token(a.freshToken);
    const send = () => this.exchange(a, token);
    const { status, headers, text } = await (this.options.gate
      ? this.options.gate.run(send, a.signal)
      : send());
    return this.parse(a, status, headers, text);
  }

  /** One request and its whole body: the part that holds a slot of the gate. */
  private async exchange(
    a: {
      url: URL;
      method: 'GET' | 'POST';
      body: string | undefined;
      endpoint: string;
      signal: AbortSignal | undefined;
    },
    token: string,
  ): Promise<{ status: number; headers: Dispatcher.ResponseData['headers']; text: string }> {
    const { url, endpoint, signal } = a;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: a.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'content-type': 'application/json',
          'user-agent': 'cpp-publish-wait',
          ...this.options.headers,
        },
        body: a.body,
        dispatcher: this.options.dispatcher,
        signal,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
    } catch (error) {
      if (signal?.aborted) throw aborted(signal);
      throw networkError(endpoint, error);
    }
    let text: string;
    try {
      text = await readText(response.body, MAX_BODY_BYTES);
    } catch (error) {
      if (signal?.aborted) throw aborted(signal);
      if (error instanceof ApiError)
        throw new ApiError(`${endpoint}: ${error.message}`, { ...error.details, endpoint });
      throw networkError(endpoint, error);
    }
    return { status: response.statusCode, headers: response.headers, text };
  }

  private parse<S extends v.GenericSchema>(
    a: { method: 'GET' | 'POST'; endpoint: string; schema: S },
    statusCode: number,
    headers: Dispatcher.ResponseData['headers'],
    text: string,
  ): Answer<v.InferOutput<S>> {
    const { endpoint } = a;
    if (statusCode < 200 || statusCode > 299) {
      const retryAfter = parseRetryAfter(header(headers, 'retry-after'), this.options.now());
      // One service: its pause applies to every request, writes included.
      if (retryAfter) this.options.gate?.slowDown(retryAfter);
      throw httpError(endpoint, statusCode, text, retryAfter, this.options.guidance[statusCode]);
    }
    // A write may be accepted with an empty body (202 + Location).
    if (text.trim() === '' && a.method === 'POST') {
      return { status: statusCode, headers, body: v.parse(a.schema, undefined) };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ApiError(
        `${endpoint} answered HTTP ${statusCode} with a body that is not JSON: "${excerpt(text)}".`,
        { kind: 'body', endpoint, status: statusCode, transient: false },
      );
    }
    const parsed = v.safeParse(a.schema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const path = issue ? v.getDotPath(issue) : null;
      throw new ApiError(
        `${endpoint} answered HTTP ${statusCode} with JSON of an unexpected shape` +
          `${path ? ` at '${path}'` : ''}: ${issue?.message ?? 'invalid'}. Body: "${excerpt(text)}".`,
        { kind: 'body', endpoint, status: statusCode, transient: false },
      );
    }
    return { status: statusCode, headers, body: parsed.output };
  }
}

function aborted(signal: AbortSignal): AbortError {
  return new AbortError(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
}

export function header(
  headers: Dispatcher.ResponseData['headers'],
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new ApiError(`the answer is larger than ${limit / 1024 / 1024} MiB.`, {
        kind: 'body',
        endpoint: '',
        transient: false,
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A short, single-line, printable excerpt of a body, for error messages. */
export function excerpt(text: string): string {
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
