/**
 * The HTTP side every simulated API shares: a real server on loopback, the record of every request,
 * the read faults a test injects (`intercept`), a service's latency, and what the benchmarks count
 * (connections, requests in flight). Each API plugs in only its router.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from './clock.js';
import type { Frame } from './lifecycle.js';

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  /** The request's body, when it had one (writes). */
  body?: string;
  /** Milliseconds since the simulator started, on its clock. */
  at: number;
}

/** What a test may answer any request with before the service routes it (`n`: its index). */
export type Intercept = (req: {
  method: string;
  path: string;
  query: Record<string, string>;
  n: number;
}) => Frame | undefined;

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path's segments, decoded. */
  parts: string[];
  seen: SeenRequest;
}

export interface HttpOptions {
  port?: number;
  /** Each answer waits this long first (real time), as a distant service's would. */
  latencyMs?: number;
  intercept?: Intercept;
  clock: Clock;
}

export interface HttpService {
  url: string;
  requests: SeenRequest[];
  connections(): number;
  peakInFlight(): number;
  close(): Promise<void>;
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** An error in the shape both APIs answer with: `{"error": {"code", "message"}}`. */
export function error(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  json(res, status, { error: { code, message } }, headers);
}

/** Answers with a frame; `body` frames pass through `transform` first. */
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

/** Reads a request's body (writes are small). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

export async function startHttp(
  options: HttpOptions,
  route: (x: Exchange) => void,
): Promise<HttpService> {
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  let connections = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.once('close', () => inFlight--);
    if (options.latencyMs) await new Promise((done) => setTimeout(done, options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      at: options.clock(),
    };
    const n = requests.push(seen) - 1;
    if (req.method === 'POST' || req.method === 'PATCH') seen.body = await readBody(req);
    const injected = options.intercept?.({
      method: seen.method,
      path: seen.path,
      query: seen.query,
      n,
    });
    if (injected) return serveFrame(injected, req, res);
    let parts: string[];
    try {
      parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return error(res, 400, 'BadRequest', 'The path is not valid.');
    }
    route({ req, res, url, parts, seen });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    peakInFlight: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
