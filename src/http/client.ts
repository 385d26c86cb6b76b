/**
 * The one HTTP layer: every call to a publishing API goes through here. It adds the bearer token,
 * bounds each request and its body, checks the answer against a schema, and hands each try to the
 * retry policy (retry.ts); every failure is an `ApiError` worded in api-error.ts. The dispatcher
 * and the token are injected, so tests drive the real client against a loopback server or
 * undici's MockAgent.
 */
import { request, type Dispatcher } from 'undici';
import * as v from 'valibot';
import { httpError, networkError, notJsonError, shapeError, tooLargeError } from './api-error.js';
import type { Gate } from './gate.js';
import { parseRetryAfter, withRetries } from './retry.js';

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
  /** Waits between tries (default: real time); tests pass a virtual clock's. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
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

type Method = 'GET' | 'POST' | 'PATCH';

export class HttpClient {
  private readonly options: Required<
    Omit<ClientOptions, 'dispatcher' | 'onRetry' | 'gate' | 'headers' | 'sleep'>
  > &
    Pick<ClientOptions, 'dispatcher' | 'onRetry' | 'gate' | 'headers' | 'sleep'>;

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

  /**
   * A PATCH, tried once as a POST is (only 408/429 again, when `retries` allows): the caller knows
   * whether its update is safe to repeat.
   */
  async patch<S extends v.GenericSchema>(
    url: URL,
    body: unknown,
    schema: S,
    call: CallOptions = {},
  ): Promise<Answer<v.InferOutput<S>>> {
    return this.retrying(url, 'PATCH', JSON.stringify(body), schema, { retries: 0, ...call });
  }

  private retrying<S extends v.GenericSchema>(
    url: URL,
    method: Method,
    body: string | undefined,
    schema: S,
    call: CallOptions,
  ): Promise<Answer<v.InferOutput<S>>> {
    const endpoint = `${method} ${url.pathname}`;
    const { retryMinDelayMs, retryMaxDelayMs, onRetry, now, sleep, tokens } = this.options;
    return withRetries(
      (fresh) =>
        this.attempt({
          url,
          method,
          body,
          endpoint,
          schema,
          freshToken: fresh,
          signal: call.signal,
        }),
      {
        write: method !== 'GET',
        retries: call.retries ?? this.options.retries,
        minDelayMs: retryMinDelayMs,
        maxDelayMs: Math.min(retryMaxDelayMs, call.maxRetryDelayMs ?? Infinity),
        deadline: call.deadline ?? Infinity,
        now,
        sleep,
        signal: call.signal,
        renewable: tokens.renewable,
        onRetry,
      },
    );
  }

  private async attempt<S extends v.GenericSchema>(a: {
    url: URL;
    method: Method;
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
      method: Method;
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
          'user-agent': 'azure-marketplace-release',
          ...this.options.headers,
        },
        body: a.body,
        dispatcher: this.options.dispatcher,
        signal,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
    } catch (error) {
      // A cancellation is not a network failure: it ends the call as it is.
      signal?.throwIfAborted();
      throw networkError(endpoint, error);
    }
    let text: string | undefined;
    try {
      text = await readText(response.body, MAX_BODY_BYTES);
    } catch (error) {
      signal?.throwIfAborted();
      throw networkError(endpoint, error);
    }
    if (text === undefined) throw tooLargeError(endpoint, MAX_BODY_BYTES, response.statusCode);
    return { status: response.statusCode, headers: response.headers, text };
  }

  private parse<S extends v.GenericSchema>(
    a: { method: Method; endpoint: string; schema: S },
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
    if (text.trim() === '' && a.method !== 'GET') {
      return { status: statusCode, headers, body: v.parse(a.schema, undefined) };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw notJsonError(endpoint, statusCode, text);
    }
    const parsed = v.safeParse(a.schema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      throw shapeError(
        endpoint,
        statusCode,
        text,
        issue && { path: v.getDotPath(issue), message: issue.message },
      );
    }
    return { status: statusCode, headers, body: parsed.output };
  }
}

/** One header of an answer (the first, when it came more than once). */
export function header(
  headers: Dispatcher.ResponseData['headers'],
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The whole body as text; undefined when it is larger than `limit` bytes (then it is not read on). */
async function readText(
  body: Dispatcher.ResponseData['body'],
  limit: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
