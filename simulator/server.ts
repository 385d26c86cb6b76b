/**
 * A real HTTP server that plays the Cloud Partner Portal API on loopback, from a scripted scenario.
 * Tests, the demo and the benchmark all run the bundled action against it.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { frameAt, json, serveFrame, type SeenRequest, type Simulator } from './common.js';
import { startIngestionSimulator, type IngestionSimulatorOptions } from './ingestion-server.js';
import { fixtures, scenarios, type Scenario } from './scenarios.js';

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
}

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

  const frameNow = () =>
    frameAt(scenario.frames, scenario.advance, reads, performance.now() - started);
  function isRunning(): boolean {
    const frame = frameNow();
    const status = frame.kind === 'body' ? (frame.body as { status?: unknown }).status : undefined;
    return (
      typeof status !== 'string' || /^(running|waitingforpublisherreview|notstarted)$/i.test(status)
    );
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      at: performance.now() - started,
    });
    if (req.method !== 'GET')
      return json(res, 405, { error: { code: 'MethodNotAllowed', message: 'GET only.' } });
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
    if (parts.length === 6 && parts[5] === 'status') {
      const frame = frameNow();
      reads++;
      return serveFrame(frame, req, res);
    }
    if (parts.length === 7 && parts[5] === 'operations') {
      if (parts[6] !== operationId) return notFound(res, `Operation '${parts[6]}'`);
      const frame = frameNow();
      reads++;
      return serveFrame(frame, req, res, asOperation);
    }
    if (parts.length === 6 && parts[5] === 'submissions') {
      if (options.brokenSubmissions)
        return json(res, 500, { error: { code: 'InternalError', message: 'Try later.' } });
      const wanted = url.searchParams.get('status');
      const list = fixtures.submissions().map((s) => ({ ...s, id: operationId, publisherId }));
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
