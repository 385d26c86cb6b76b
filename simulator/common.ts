/** What both simulated APIs share: the JSON answers, the scripted frames, the record of requests. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Frame } from './scenarios.js';

/**
 * How a simulated service answers a write: `accept` it; act and then drop the connection, stall
 * or answer 500 (the service did start something, the client cannot tell); answer 503 or 429
 * once without acting; `conflict` (409: another client's write won the race, and runs);
 * `validation` (422) or `bad-request` (400) without acting.
 */
export type WriteFault =
  | 'accept'
  | 'drop-after-acting'
  | 'stall-after-acting'
  | '500-after-acting'
  | '503-before-acting'
  | '429-once'
  | 'conflict'
  | 'validation'
  | 'bad-request';

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  /** The request's body, when it had one (writes). */
  body?: string;
  /** Milliseconds since the simulator started. */
  at: number;
}

export interface Simulator {
  /** `cloud-partner-portal` or `product-ingestion`: the `api` input that talks to it. */
  api: string;
  url: string;
  publisherId: string;
  /** The offer id, or several comma-separated: what the `offer-id` input takes. */
  offerId: string;
  /** The operation (CPP) or configure job (ingestion) id it knows. */
  operationId: string;
  token: string;
  /** `performance.now()` when the simulator started: the origin of every request's `at`. */
  startedAt: number;
  requests: SeenRequest[];
  /** How many times a publish's status (offer status, operation, submissions, job) was read. */
  statusReads(): number;
  /** How many TCP connections clients opened. */
  connections(): number;
  /** The most requests it was answering at once. */
  peakInFlight(): number;
  close(): Promise<void>;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers with a scripted frame; `body` frames pass through `transform` first. */
export function serveFrame(
  frame: Frame,
  req: IncomingMessage,
  res: ServerResponse,
  transform: (body: unknown) => unknown = (b) => b,
): void {
  switch (frame.kind) {
    case 'body':
      return json(res, 200, transform(frame.body));
    case 'http':
      res.writeHead(frame.status, frame.headers ?? {});
      res.end(frame.body ?? '');
      return;
    case 'stall':
      return; // never answer; the socket closes when the client gives up or the server closes
    case 'reset':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('{"status": "runn');
      setTimeout(() => req.socket.destroy(), 10);
      return;
  }
}

/** The frame a scenario shows now: by reads served so far, or by time since the start. */
export function frameAt(
  frames: Frame[],
  advance: 'per-read' | 'by-time',
  reads: number,
  elapsedMs: number,
): Frame {
  if (advance === 'per-read') return frames[Math.min(reads, frames.length - 1)]!;
  return frames.filter((f) => (f.afterMs ?? 0) <= elapsedMs).at(-1) ?? frames[0]!;
}

/** Reads a request's body (writes are small). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** The words each simulated service answers a write's faults with (its own error codes). */
export interface FaultWords {
  internal: string;
  unavailable: string;
  tooMany: string;
  conflict: { code: string; message: string };
  validation: string;
  badRequest: { code: string; message: string };
}

/**
 * Answers a write the way `fault` says: `act` is what the service does when it acts (starts a
 * publish), `accepted` the answer it gives then; `onceOnly` makes a one-time fault pass next time.
 */
export function answerWrite(
  req: IncomingMessage,
  res: ServerResponse,
  fault: WriteFault,
  o: { act(): void; accepted(): void; onceOnly(): void; words: FaultWords },
): void {
  const error = (status: number, code: string, message: string, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  const { words } = o;
  switch (fault) {
    case 'accept':
      o.act();
      return o.accepted();
    case 'drop-after-acting':
      o.act();
      return void req.socket.destroy();
    case 'stall-after-acting':
      o.act();
      return; // never answers
    case '500-after-acting':
      o.act();
      return error(500, words.internal, 'Try later.');
    case '503-before-acting':
      o.onceOnly();
      return error(503, words.unavailable, 'Try later.');
    case '429-once':
      o.onceOnly();
      return error(429, words.tooMany, 'Slow down.', { 'retry-after': '1' });
    case 'conflict':
      // Another client's write won the race: it runs now.
      o.act();
      return error(409, words.conflict.code, words.conflict.message);
    case 'validation':
      return error(
        422,
        words.validation,
        "Plan 'contoso-vm-gen2' has no VM image: add one before publishing.",
      );
    case 'bad-request':
      return error(400, words.badRequest.code, words.badRequest.message);
  }
}
