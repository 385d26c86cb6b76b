/**
 * A real HTTP server that plays the Cloud Partner Portal API on loopback, from a scripted scenario.
 * Tests, the demo and the benchmark all run the bundled action against it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerWrite,
  frameAt,
  json,
  type FaultWords,
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
  /** Several offers, each playing its own copy of `scenario` (or the one `scenarioFor` names). */
  offerIds?: string[];
  scenarioFor?: Record<string, Scenario | keyof typeof scenarios>;
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
  /** Each answer waits this long first, as a distant service's would (for requests in flight). */
  latencyMs?: number;
}

/** The CPP API's error codes for the write faults. */
const CPP_WORDS: FaultWords = {
  internal: 'InternalError',
  unavailable: 'ServiceUnavailable',
  tooMany: 'TooManyRequests',
  conflict: { code: 'Conflict', message: 'An operation is already in progress for this offer.' },
  validation: 'ValidationFailed',
  badRequest: { code: 'BadRequest', message: 'The request is not valid for this offer.' },
};

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
  const resolve = (s: Scenario | keyof typeof scenarios): Scenario => {
    const found = typeof s === 'string' ? scenarios[s] : s;
    if (!found) throw new Error(`Unknown scenario '${String(s)}'.`);
    return found;
  };
  const publisherId = options.publisherId ?? SIMULATOR_DEFAULTS.publisherId;
  const offerIds = options.offerIds ?? [options.offerId ?? SIMULATOR_DEFAULTS.offerId];
  const operationId = options.operationId ?? SIMULATOR_DEFAULTS.operationId;
  const token = options.token ?? SIMULATOR_DEFAULTS.token;
  const apiVersion = options.apiVersion ?? SIMULATOR_DEFAULTS.apiVersion;
  const started = performance.now();
  const requests: SeenRequest[] = [];
  let reads = 0;

  /** One offer's publish: what plays now, and what its writes start. */
  function offerState(offerId: string, scenario: Scenario) {
    // The scenario, then what a publish or go-live started (each from its start).
    let frames: Frame[] = scenario.frames;
    let advance = scenario.advance;
    let phaseReads = 0;
    let currentOperation = operationId;
    const known = new Set([operationId]);
    const nonMigrated = `${publisherId}$${offerId}$2$preview`;
    const writeFaults = {
      publish: options.publish ?? 'accept',
      goLive: options.goLive ?? 'accept',
    };
    const play = (next: Frame[], id: string) => {
      frames = next;
      advance = 'per-read';
      phaseReads = 0;
      currentOperation = options.addressing === 'non-migrated' ? nonMigrated : id;
      known.add(currentOperation);
    };
    const frameNow = () => frameAt(frames, advance, phaseReads, performance.now() - started);
    /** What the last status read showed (what a client acts on), or what the next one will. */
    const frameShown = () =>
      advance === 'per-read' && phaseReads > 0
        ? frameAt(frames, advance, phaseReads - 1, 0)
        : frameNow();
    const address = (id: string) => {
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
    return {
      nonMigrated,
      knows: (id: string) => known.has(id),
      currentOperation: () => currentOperation,
      serveStatus(req: IncomingMessage, res: ServerResponse, operation: boolean): void {
        const frame = frameNow();
        reads++;
        phaseReads++;
        serveFrame(frame, req, res, operation ? asOperation : undefined);
      },
      isRunning(): boolean {
        const frame = frameNow();
        const status =
          frame.kind === 'body' ? (frame.body as { status?: unknown }).status : undefined;
        return (
          typeof status !== 'string' ||
          /^(running|waitingforpublisherreview|notstarted)$/i.test(status)
        );
      },
      waitsForSignoff(): boolean {
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
      },
      /** Answers a write the way its fault says, acting (starting `next`) when the service would. */
      write(req: IncomingMessage, res: ServerResponse, kind: 'publish' | 'goLive'): void {
        const id = STARTED_OPERATIONS[kind];
        const act = () => play(afterWrites[kind](), id);
        answerWrite(req, res, writeFaults[kind], {
          act,
          accepted: () => {
            res.writeHead(202, address(id));
            res.end();
          },
          onceOnly: () => (writeFaults[kind] = 'accept'),
          words: CPP_WORDS,
        });
      },
    };
  }

  const offers = new Map(
    offerIds.map((id) => [
      id,
      offerState(id, resolve(options.scenarioFor?.[id] ?? options.scenario)),
    ]),
  );
  const byNonMigrated = new Map([...offers.values()].map((o) => [o.nonMigrated, o]));

  let inFlight = 0;
  let peakInFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.once('close', () => inFlight--);
    if (options.latencyMs) await new Promise((done) => setTimeout(done, options.latencyMs));
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
    // Operations of offers not migrated: `/api/operations/{p}${o}$2$preview`.
    if (
      req.method === 'GET' &&
      parts.length === 3 &&
      parts[0] === 'api' &&
      parts[1] === 'operations'
    ) {
      const offer = byNonMigrated.get(parts[2]!);
      if (!offer?.knows(parts[2]!)) return notFound(res, `Operation '${parts[2]}'`);
      return offer.serveStatus(req, res, true);
    }
    if (parts[0] !== 'api' || parts[1] !== 'publishers' || parts[3] !== 'offers')
      return notFound(res, 'The resource');
    if (parts[2] !== publisherId) return notFound(res, `Publisher '${parts[2]}'`);
    if (parts.length === 4 && req.method === 'GET') {
      return json(res, 200, [
        ...offerIds.map((id) => ({
          offerTypeId: 'microsoft-azure-virtualmachines',
          publisherId,
          status: 'published',
          id,
          version: 3,
          definition: { displayText: id === 'contoso-vm' ? 'Contoso VM' : id },
        })),
        ...fixtures.offers(),
      ]);
    }
    const offer = offers.get(parts[4]!);
    if (!offer) return notFound(res, `Offer '${parts[4]}'`);
    if (req.method === 'POST') {
      if (parts.length === 6 && parts[5] === 'publish') return offer.write(req, res, 'publish');
      if (parts.length === 6 && parts[5] === 'golive') {
        if (!offer.waitsForSignoff()) {
          return json(res, 400, {
            error: {
              code: 'InvalidState',
              message: 'The offer is not waiting for the publisher sign-off.',
            },
          });
        }
        return offer.write(req, res, 'goLive');
      }
      if (parts.length === 6 && parts[5] === 'cancel') {
        return json(res, 200, { status: 'canceled' });
      }
      return notFound(res, 'The resource');
    }
    if (parts.length === 6 && parts[5] === 'status') return offer.serveStatus(req, res, false);
    if (parts.length === 7 && parts[5] === 'operations') {
      if (!offer.knows(parts[6]!)) return notFound(res, `Operation '${parts[6]}'`);
      return offer.serveStatus(req, res, true);
    }
    if (parts.length === 6 && parts[5] === 'submissions') {
      if (options.brokenSubmissions)
        return json(res, 500, { error: { code: 'InternalError', message: 'Try later.' } });
      const wanted = url.searchParams.get('status');
      const list = fixtures
        .submissions()
        .map((s) => ({ ...s, id: offer.currentOperation(), offerId: parts[4], publisherId }));
      return json(res, 200, wanted === 'running' && !offer.isRunning() ? [] : list);
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
    offerId: offerIds.join(','),
    operationId,
    token,
    startedAt: started,
    requests,
    statusReads: () => reads,
    connections: () => connections,
    peakInFlight: () => peakInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
