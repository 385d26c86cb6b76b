/**
 * The Cloud Partner Portal API calls the action makes: GET only, with the bearer token, a bound on
 * each request, and retries with backoff for transient failures. The HTTP dispatcher and the token
 * are injected, so tests drive the real client against a loopback server or undici's MockAgent.
 */
import pRetry, { AbortError } from 'p-retry';
import { request, type Dispatcher } from 'undici';
import * as v from 'valibot';
import { ApiError, TRANSIENT_STATUSES, networkError, parseRetryAfter } from './api-error.js';
import { htmlToText, tidy } from './html.js';
import { sleep } from './sleep.js';
import {
  OffersBodySchema,
  StatusBodySchema,
  SubmissionsBodySchema,
  type StatusBody,
} from './model.js';

export interface TokenSource {
  /** A bearer token; `fresh` asks for a new one (after a 401). */
  token(fresh: boolean): Promise<string>;
  /** Whether asking again can give a different token. */
  readonly renewable: boolean;
}

export interface ClientOptions {
  baseUrl: URL;
  apiVersion: string;
  tokens: TokenSource;
  dispatcher?: Dispatcher;
  /** Bound on one request: waiting for headers, and for each chunk of the body. */
  requestTimeoutMs?: number;
  /** Retries of one read after a transient failure. */
  retries?: number;
  /** First retry delay; doubles each retry, with jitter. */
  retryMinDelayMs?: number;
  retryMaxDelayMs?: number;
  /** A short line for each retry. */
  onRetry?: (message: string) => void;
  now?: () => number;
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

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const EXCERPT_CHARS = 200;

export class CppClient {
  private readonly options: Required<Omit<ClientOptions, 'dispatcher' | 'onRetry'>> &
    Pick<ClientOptions, 'dispatcher' | 'onRetry'>;

  constructor(options: ClientOptions) {
    this.options = {
      requestTimeoutMs: 30_000,
      retries: 4,
      retryMinDelayMs: 1_000,
      retryMaxDelayMs: 30_000,
      now: Date.now,
      ...options,
    };
  }

  offerStatus(publisherId: string, offerId: string, call?: CallOptions): Promise<StatusBody> {
    return this.get(
      ['api', 'publishers', publisherId, 'offers', offerId, 'status'],
      {},
      StatusBodySchema,
      call,
    );
  }

  operation(
    publisherId: string,
    offerId: string,
    operationId: string,
    call?: CallOptions,
  ): Promise<StatusBody> {
    return this.get(
      ['api', 'publishers', publisherId, 'offers', offerId, 'operations', operationId],
      {},
      StatusBodySchema,
      call,
    );
  }

  /** The offer's running operations (`…/submissions?status=running`). */
  runningSubmissions(publisherId: string, offerId: string, call?: CallOptions) {
    return this.get(
      ['api', 'publishers', publisherId, 'offers', offerId, 'submissions'],
      { status: 'running' },
      SubmissionsBodySchema,
      call,
    );
  }

  offers(publisherId: string, call?: CallOptions) {
    return this.get(['api', 'publishers', publisherId, 'offers'], {}, OffersBodySchema, call);
  }

  private url(segments: string[], query: Record<string, string>): URL {
    const url = new URL(this.options.baseUrl.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${segments.map(encodeURIComponent).join('/')}`;
    url.searchParams.set('api-version', this.options.apiVersion);
    for (const [k, value] of Object.entries(query)) url.searchParams.set(k, value);
    return url;
  }

  private async get<S extends v.GenericSchema>(
    segments: string[],
    query: Record<string, string>,
    schema: S,
    call: CallOptions = {},
  ): Promise<v.InferOutput<S>> {
    const url = this.url(segments, query);
    const endpoint = `GET ${url.pathname}`;
    let renewed = false;
    const { retryMinDelayMs, retryMaxDelayMs, onRetry, now } = this.options;
    const retries = call.retries ?? this.options.retries;
    const deadline = call.deadline ?? Infinity;
    return pRetry(
      async () => {
        try {
          return await this.attempt(url, endpoint, schema, false, call.signal);
        } catch (error) {
          // One 401 may mean an expired token: get a fresh one and read again, once.
          if (
            error instanceof ApiError &&
            error.status === 401 &&
            !renewed &&
            this.options.tokens.renewable
          ) {
            renewed = true;
            return await this.attempt(url, endpoint, schema, true, call.signal);
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
        shouldRetry: ({ error }) => error instanceof ApiError && error.transient,
        onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
          if (
            !(error instanceof ApiError) ||
            !error.transient ||
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

  private async attempt<S extends v.GenericSchema>(
    url: URL,
    endpoint: string,
    schema: S,
    freshToken: boolean,
    signal: AbortSignal | undefined,
  ): Promise<v.InferOutput<S>> {
    const token = await this.options.tokens.token(freshToken);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'content-type': 'application/json',
          'user-agent': 'cpp-publish-wait',
        },
        dispatcher: this.options.dispatcher,
        signal,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
    } catch (error) {
      if (signal?.aborted)
        throw new AbortError(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      throw networkError(endpoint, error);
    }
    let text: string;
    try {
      text = await readText(response.body, MAX_BODY_BYTES);
    } catch (error) {
      if (signal?.aborted)
        throw new AbortError(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      if (error instanceof ApiError)
        throw new ApiError(`${endpoint}: ${error.message}`, { ...error.details, endpoint });
      throw networkError(endpoint, error);
    }
    const { statusCode } = response;
    if (statusCode < 200 || statusCode > 299) {
      const retryAfter = header(response.headers, 'retry-after');
      throw httpError(endpoint, statusCode, text, parseRetryAfter(retryAfter, this.options.now()));
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
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const path = issue ? v.getDotPath(issue) : null;
      throw new ApiError(
        `${endpoint} answered HTTP ${statusCode} with JSON of an unexpected shape` +
          `${path ? ` at '${path}'` : ''}: ${issue?.message ?? 'invalid'}. Body: "${excerpt(text)}".`,
        { kind: 'body', endpoint, status: statusCode, transient: false },
      );
    }
    return parsed.output;
  }
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
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

/** The service's `{"error":{"code","message"}}`, when the body has it. */
function serviceError(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body?.error?.code === 'string' ? body.error.code : undefined;
    const message = typeof body?.error?.message === 'string' ? body.error.message : undefined;
    return { code, message };
  } catch {
    return {};
  }
}

const GUIDANCE: Record<number, string> = {
  401:
    'The access token is missing, invalid or expired. Check the token is for the resource ' +
    'https://cloudpartner.azure.com and not expired.',
  403:
    'The identity is authenticated but has no access to this publisher. Add the service principal in ' +
    'the Cloud Partner Portal (Settings > Users) as Owner or Contributor using the Object ID of its ' +
    'enterprise application ("managed application in local directory"), not the app registration.',
  404: 'The publisher or the offer was not found. Check publisher-id and offer-id (and operation-id, if set).',
};

export function httpError(
  endpoint: string,
  status: number,
  text: string,
  retryAfterMs?: number,
): ApiError {
  const { code, message } = serviceError(text);
  // An HTML error page (a gateway's) reads better as its text.
  const plain = text.trimStart().startsWith('<') ? htmlToText(text) : text;
  const said =
    code || message
      ? `${[code, message].filter(Boolean).join(': ')}`
      : plain.trim()
        ? `"${excerpt(plain)}"`
        : 'no body';
  const guidance = GUIDANCE[status];
  return new ApiError(
    `${endpoint} answered HTTP ${status} (${said}).${guidance ? ` ${guidance}` : ''}`,
    {
      kind: 'http',
      endpoint,
      status,
      code,
      retryAfterMs,
      transient: TRANSIENT_STATUSES.has(status),
    },
  );
}
