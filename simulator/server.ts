/**
 * A real HTTP server that plays the Cloud Partner Portal API on loopback, from a scripted scenario.
 * Tests, the demo and the benchmark all run the bundled action against it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  frameAt,
  json,
  readBody,
  serveFrame,
  type SeenRequest,
  type Simulator,
  type WriteFault,
} from './common.js';
import { startIngestionSimulator, type IngestionSimulatorOptions } from './ingestion-server.js';
import { afterWrites, fixtures, scenarios, type Frame, type Scenario } from './scenarios.js';

export type { SeenRequest, Simulator } from './common.js';

export interface SimulatorOptions {
  api?: 'cloud-partner-portal';
  scenario: Scenario | keyof typeof scenarios;
  publisherId?: string;
  offerId?: string;
  operationId?: string;
  /** The bearer token the simulator accepts. */
  token?: string;
  port?: number;
  apiVersion?: string;
  /** Answer the running-operations lookup with a 500, to prove it is best-effort. */
  brokenSubmissions?: boolean;
  /** How the writes are answered (default: accepted, 202 + `Location`). */
  publish?: WriteFault;
  goLive?: WriteFault;
  /**
   * Where a 202 puts the operation's address: `location` (a relative path, migrated offers),
   * `operation-location` (older docs), `non-migrated` (`/api/operations/{p}${o}$2$preview`),
   * `foreign` (another origin), `none`.
   */
  addressing?: 'location' | 'operation-location' | 'non-migrated' | 'foreign' | 'none';
}

/** The operations the simulator starts when it accepts a publish or a go-live. */
export const STARTED_OPERATIONS = {
  publish: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  goLive: '9b2f3c1d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
};

export const SIMULATOR_DEFAULTS = {
  publisherId: 'contoso',
  offerId: 'contoso-vm',
  operationId: fixtures.submissions()[0]!.id,
  token: 'sim-token-5f8c2a',
  apiVersion: '2017-10-31',
};

const OPERATION_STATUS: Record<string, string> = {
  succeeded: 'completed',
  notStarted: 'not started',
};
const OPERATION_STEP_STATUS: Record<string, string> = {
  complete: 'completed',
  inProgress: 'running',
};

/** The operations page's vocabulary: `not started | running | failed | completed`. */
function asOperation(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as { status?: unknown; steps?: unknown };
  const steps = Array.isArray(b.steps)
    ? b.steps.map((s: { status?: string }) => ({
        ...s,
        status: OPERATION_STEP_STATUS[s.status ?? ''] ?? s.status,
      }))
    : b.steps;
  const status = typeof b.status === 'string' ? (OPERATION_STATUS[b.status] ?? b.status) : b.status;
  return { ...b, status, steps };
}

function notFound(res: ServerResponse, what: string): void {
  json(res, 404, { error: { code: 'NotFound', message: `${what} was not found.` } });
}

/** A simulator of the API the options name (CPP unless `api` says `product-ingestion`). */
export function startSimulator(
  options: SimulatorOptions | IngestionSimulatorOptions,
): Promise<Simulator> {
  return 'api' in options && options.api === 'product-ingestion'
    ? startIngestionSimulator(options)
    : startCppSimulator(options as SimulatorOptions);
}

async function startCppSimulator(options: SimulatorOptions): Promise<Simulator> {
  const scenario =
    typeof options.scenario === 'string' ? scenarios[options.scenario] : options.scenario;
  if (!scenario) throw new Error(`Unknown scenario '${String(options.scenario)}'.`);
  const publisherId = options.publisherId ?? SIMULATOR_DEFAULTS.publisherId;
  const offerId = options.offerId ?? SIMULATOR_DEFAULTS.offerId;
  const operationId = options.operationId ?? SIMULATOR_DEFAULTS.operationId;
  const token = options.token ?? SIMULATOR_DEFAULTS.token;
  const apiVersion = options.apiVersion ?? SIMULATOR_DEFAULTS.apiVersion;
  const started = performance.now();
  const requests: SeenRequest[] = [];
  let reads = 0;
  // What plays now: the scenario, then what a publish or go-live started (each from its start).
  let frames: Frame[] = scenario.frames;
  let advance = scenario.advance;
  let phaseReads = 0;
  let currentOperation = operationId;
  const known = new Set([operationId]);
  const nonMigrated = `${publisherId}$${offerId}$2$preview`;
  const writeFaults = { publish: options.publish ?? 'accept', goLive: options.goLive ?? 'accept' };
  const play = (next: Frame[], id: string) => {
    frames = next;
    advance = 'per-read';
    phaseReads = 0;
    currentOperation = options.addressing === 'non-migrated' ? nonMigrated : id;
    known.add(currentOperation);
  };

  const frameNow = () => frameAt(frames, advance, phaseReads, performance.now() - started);
  const serveStatus = (req: IncomingMessage, res: ServerResponse, operation: boolean) => {
    const frame = frameNow();
    reads++;
    phaseReads++;
    return serveFrame(frame, req, res, operation ? asOperation : undefined);
  };
  /** What the last status read showed (what a client acts on), or what the next one will. */
  const frameShown = () =>
    advance === 'per-read' && phaseReads > 0
      ? frameAt(frames, advance, phaseReads - 1, 0)
      : frameNow();
  function waitsForSignoff(): boolean {
    const frame = frameShown();
    if (frame.kind !== 'body') return false;
    const b = frame.body as { status?: string; steps?: { id?: string; status?: string }[] };
    return (
      /^waitingforpublisherreview$/i.test(b.status ?? '') ||
      (b.steps ?? []).some(
        (st) =>
          st.id === 'publisher-signoff' && /^waitingforpublisherreview$/i.test(st.status ?? ''),
      )
    );
  }

  /** Answers a write the way `fault` says, acting (starting `next`) when the service would. */
  function write(
    req: IncomingMessage,
    res: ServerResponse,
    fault: WriteFault,
    next: Frame[],
    id: string,
  ): void {
    const act = () => play(next, id);
    const address = () => {
      const path =
        options.addressing === 'non-migrated'
          ? `/api/operations/${encodeURIComponent(nonMigrated)}`
          : `/api/publishers/${publisherId}/offers/${offerId}/operations/${id}`;
      const relative = `${path}?api-version=${apiVersion}`;
      switch (options.addressing) {
        case 'none':
          return {};
        case 'foreign':
          return { location: `https://cloudpartner.example.invalid${relative}` };
        case 'operation-location':
          return { 'operation-location': relative };
        default:
          return { location: relative };
      }
    };
    switch (fault) {
      case 'accept':
        act();
        res.writeHead(202, address());
        return void res.end();
      case 'drop-after-acting':
        act();
        return void req.socket.destroy();
      case 'stall-after-acting':
        act();
        return; // never answers
      case '500-after-acting':
        act();
        return json(res, 500, { error: { code: 'InternalError', message: 'Try later.' } });
      case '503-before-acting':
        writeFaults[id === STARTED_OPERATIONS.publish ? 'publish' : 'goLive'] = 'accept';
        return json(res, 503, { error: { code: 'ServiceUnavailable', message: 'Try later.' } });
      case '429-once':
        writeFaults[id === STARTED_OPERATIONS.publish ? 'publish' : 'goLive'] = 'accept';
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({ error: { code: 'TooManyRequests', message: 'Slow down.' } }),
        );
      case 'conflict':
        // Another client's write won the race: it runs now.
        act();
        return json(res, 409, {
          error: {
            code: 'Conflict',
            message: 'An operation is already in progress for this offer.',
          },
        });
      case 'validation':
        return json(res, 422, {
          error: {
            code: 'ValidationFailed',
            message: "Plan 'contoso-vm-gen2' has no VM image: add one before publishing.",
          },
        });
      case 'bad-request':
        return json(res, 400, {
          error: { code: 'BadRequest', message: 'The request is not valid for this offer.' },
        });
    }
  }
  function isRunning(): boolean {
    const frame = frameNow();
    const status = frame.kind === 'body' ? (frame.body as { status?: unknown }).status : undefined;
    return (
      typeof status !== 'string' || /^(running|waitingforpublisherreview|notstarted)$/i.test(status)
    );
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      at: performance.now() - started,
    };
    requests.push(seen);
    if (req.method === 'POST') seen.body = await readBody(req);
    else if (req.method !== 'GET')
      return json(res, 405, { error: { code: 'MethodNotAllowed', message: 'GET or POST.' } });
    if (url.searchParams.get('api-version') !== apiVersion) {
      return json(res, 400, {
        error: {
          code: 'InvalidAPIVersion',
          message: `The api-version '${url.searchParams.get('api-version') ?? ''}' is invalid.`,
        },
      });
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, {
        error: { code: 'Unauthorized', message: 'The access token is missing or invalid.' },
      });
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (
      req.method === 'GET' &&
      parts.length === 3 &&
      parts[0] === 'api' &&
      parts[1] === 'operations'
    ) {
      if (!known.has(parts[2]!)) return notFound(res, `Operation '${parts[2]}'`);
      return serveStatus(req, res, true);
    }
    if (
      req.method === 'POST' &&
      parts.length === 6 &&
      parts[2] === publisherId &&
      parts[4] === offerId
    ) {
      if (parts[5] === 'publish') {
        return write(
          req,
          res,
          writeFaults.publish,
          afterWrites.publish(),
          STARTED_OPERATIONS.publish,
        );
      }
      if (parts[5] === 'golive') {
        if (!waitsForSignoff()) {
          return json(res, 400, {
            error: {
              code: 'InvalidState',
              message: 'The offer is not waiting for the publisher sign-off.',
            },
          });
        }
        return write(req, res, writeFaults.goLive, afterWrites.goLive(), STARTED_OPERATIONS.goLive);
      }
      if (parts[5] === 'cancel') {
        return json(res, 200, { status: 'canceled' });
      }
    }
    if (req.method !== 'GET') return notFound(res, 'The resource');
    if (parts[0] !== 'api' || parts[1] !== 'publishers' || parts[3] !== 'offers')
      return notFound(res, 'The resource');
    if (parts[2] !== publisherId) return notFound(res, `Publisher '${parts[2]}'`);
    if (parts.length === 4) {
      return json(res, 200, [
        {
          offerTypeId: 'microsoft-azure-virtualmachines',
          publisherId,
          status: 'published',
          id: offerId,
          version: 3,
          definition: { displayText: 'Contoso VM' },
        },
        ...fixtures.offers(),
      ]);
    }
    if (parts[4] !== offerId) return notFound(res, `Offer '${parts[4]}'`);
    if (parts.length === 6 && parts[5] === 'status') return serveStatus(req, res, false);
    if (parts.length === 7 && parts[5] === 'operations') {
      if (!known.has(parts[6]!)) return notFound(res, `Operation '${parts[6]}'`);
      return serveStatus(req, res, true);
    }
    if (parts.length === 6 && parts[5] === 'submissions') {
      if (options.brokenSubmissions)
        return json(res, 500, { error: { code: 'InternalError', message: 'Try later.' } });
      const wanted = url.searchParams.get('status');
      const list = fixtures.submissions().map((s) => ({ ...s, id: currentOperation, publisherId }));
      return json(res, 200, wanted === 'running' && !isRunning() ? [] : list);
    }
    return notFound(res, 'The resource');
  });

  let connections = 0;
  server.on('connection', () => connections++);

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: 'cloud-partner-portal',
    url: `http://127.0.0.1:${port}`,
    publisherId,
    offerId,
    operationId,
    token,
    startedAt: started,
    requests,
    statusReads: () => reads,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
