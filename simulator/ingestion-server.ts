/**
 * A real HTTP server that plays the Partner Center product-ingestion API on loopback: the product
 * lookup and its pages, a product's submissions, and configure jobs, from a scripted scenario.
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
import {
  PRODUCT_GUID,
  ingestionAfterWrites,
  ingestionFixtures,
  ingestionScenarios,
  type IngestionScenario,
} from './ingestion-scenarios.js';
import type { Frame } from './scenarios.js';

export interface IngestionSimulatorOptions {
  api: 'product-ingestion';
  scenario: IngestionScenario | keyof typeof ingestionScenarios;
  /** The product's external id (the offer id users know). */
  offerId?: string;
  /** Several products, each playing its own copy of `scenario` (or the one `scenarioFor` names). */
  offerIds?: string[];
  scenarioFor?: Record<string, IngestionScenario | keyof typeof ingestionScenarios>;
  /** The configure job it knows. */
  jobId?: string;
  token?: string;
  version?: string;
  port?: number;
  /** How configure requests for a preview (publish) and a live submission (go-live) are answered. */
  publish?: WriteFault;
  goLive?: WriteFault;
}

/** The product-ingestion API's error codes for the write faults. */
const INGESTION_WORDS: FaultWords = {
  internal: 'internalServerError',
  unavailable: 'serviceUnavailable',
  tooMany: 'tooManyRequests',
  conflict: { code: 'conflict', message: 'An In Progress submission already exists.' },
  validation: 'businessValidationError',
  badRequest: { code: 'badRequest', message: 'The request is not valid.' },
};

/** The configure jobs the simulator starts when it accepts a publish or a go-live. */
export const STARTED_JOBS = {
  publish: '5d0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
  goLive: '6e1d2b3c-4d5e-4f6a-9b0c-1d2e3f4a5b6c',
};

export const INGESTION_DEFAULTS = {
  offerId: 'contoso-vm',
  jobId: String(ingestionFixtures.job().jobId),
  token: 'sim-graph-token-7c1d',
  version: '2022-07-01',
  productGuid: PRODUCT_GUID,
};

/** The account's other products, listed by `GET product` over two pages. */
const OTHER_PRODUCTS = [
  ['contoso-vm-gen2', 'Contoso VM (Gen2)'],
  ['contoso-app', 'Contoso App'],
  ['fabrikam-sql', 'Fabrikam SQL'],
  ['contoso-vm-arm', 'Contoso VM on Arm'],
];

function product(externalId: string, alias: string, guid: string) {
  return {
    $schema: 'https://schema.mp.microsoft.com/schema/product/2022-07-01',
    id: `product/${guid}`,
    identity: { externalId },
    type: 'azureVirtualMachine',
    alias,
  };
}

function notFound(res: ServerResponse, what: string): void {
  json(res, 404, { error: { code: 'notFound', message: `${what} was not found.` } });
}

export async function startIngestionSimulator(
  options: IngestionSimulatorOptions,
): Promise<Simulator> {
  const resolve = (s: IngestionScenario | keyof typeof ingestionScenarios): IngestionScenario => {
    const found = typeof s === 'string' ? ingestionScenarios[s] : s;
    if (!found) throw new Error(`Unknown ingestion scenario '${String(s)}'.`);
    return found;
  };
  const offerIds = options.offerIds ?? [options.offerId ?? INGESTION_DEFAULTS.offerId];
  const jobId = options.jobId ?? INGESTION_DEFAULTS.jobId;
  const token = options.token ?? INGESTION_DEFAULTS.token;
  const version = options.version ?? INGESTION_DEFAULTS.version;
  const started = performance.now();
  const requests: SeenRequest[] = [];
  let reads = 0;
  const jobs = new Map<string, { frames: Frame[]; reads: number }>();

  /** One product: its submissions as they play, and how its writes are answered. */
  interface ProductState {
    index: number;
    offerId: string;
    guid: string;
    submissions: { frames: Frame[]; reads: number };
    writeFaults: { publish: WriteFault; goLive: WriteFault };
  }
  const products = new Map<string, ProductState>();
  offerIds.forEach((offerId, index) => {
    const scenario = resolve(options.scenarioFor?.[offerId] ?? options.scenario);
    // The first product is the docs' sample; the others get GUIDs of their own.
    const guid =
      index === 0 ? PRODUCT_GUID : `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`;
    products.set(guid, {
      index,
      offerId,
      guid,
      submissions: { frames: scenario.submissions, reads: 0 },
      writeFaults: { publish: options.publish ?? 'accept', goLive: options.goLive ?? 'accept' },
    });
    // The scenario's job is the first product's (it knows one job id).
    if (index === 0 && scenario.job) jobs.set(jobId, { frames: scenario.job, reads: 0 });
  });
  /** The job a product's write starts: the known ids for the first product, derived for others. */
  const startedJob = (kind: 'publish' | 'goLive', index: number) =>
    index === 0
      ? STARTED_JOBS[kind]
      : `${STARTED_JOBS[kind].slice(0, -4)}${String(index).padStart(4, '0')}`;

  /** The entries the last read showed (what a client acts on), when that frame is a list. */
  const entries = (
    p: ProductState,
  ): {
    id: string;
    target?: { targetType?: string };
    status?: string;
    result?: string;
  }[] => {
    const frame = frameAt(
      p.submissions.frames,
      'per-read',
      Math.max(0, p.submissions.reads - 1),
      0,
    );
    return frame.kind === 'body' ? ((frame.body as { value?: [] }).value ?? []) : [];
  };
  const jobAnswer = (id: string) => ({
    ...ingestionFixtures.job(),
    jobId: id,
    jobStatus: 'notStarted',
    jobResult: 'pending',
    jobEnd: '0001-01-01T00:00:00',
    errors: [],
  });

  /** A configure request: checks it as the service would, then answers as `fault` says. */
  function configure(req: IncomingMessage, res: ServerResponse, text: string): void {
    let resource: {
      $schema?: string;
      id?: string;
      product?: string;
      target?: { targetType?: string };
    };
    try {
      const body = JSON.parse(text) as { $schema?: string; resources?: unknown[] };
      if (!String(body.$schema).includes('/schema/configure/')) throw new Error('$schema');
      resource = (body.resources ?? [])[0] as typeof resource;
      if (!resource || !products.has(String(resource.product).replace(/^product\//, ''))) {
        throw new Error('product');
      }
    } catch (error) {
      return json(res, 400, {
        error: {
          code: 'schemaValidationError',
          message: `The configure request is not valid (${(error as Error).message}).`,
        },
      });
    }
    const product = products.get(String(resource.product).replace(/^product\//, ''))!;
    const kind = resource.target?.targetType === 'live' ? 'goLive' : 'publish';
    if (kind === 'goLive') {
      const preview = entries(product).find((e) => e.target?.targetType === 'preview');
      const ready =
        preview?.status === 'completed' &&
        preview.result === 'succeeded' &&
        preview.id === resource.id;
      if (!ready) {
        return json(res, 400, {
          error: {
            code: 'invalidState',
            message:
              'The submission cannot be pushed to live: it is not the latest completed preview.',
          },
        });
      }
    }
    const id = startedJob(kind, product.index);
    const act = () => {
      jobs.set(id, { frames: ingestionAfterWrites.job(), reads: 0 });
      product.submissions = { frames: ingestionAfterWrites[kind](), reads: 0 };
    };
    const { writeFaults } = product;
    answerWrite(req, res, writeFaults[kind], {
      act,
      accepted: () => json(res, 202, jobAnswer(id)),
      onceOnly: () => (writeFaults[kind] = 'accept'),
      words: INGESTION_WORDS,
    });
  }

  const listed = [
    ...[...products.values()].map((p) =>
      product(p.offerId, p.offerId === 'contoso-vm' ? 'Contoso VM' : p.offerId, p.guid),
    ),
    ...OTHER_PRODUCTS.filter(([id]) => !offerIds.includes(id!)).map(([id, alias], i) =>
      product(id!, alias!, `00000000-0000-4000-8000-00000000000${i}`),
    ),
  ];

  let inFlight = 0;
  let peakInFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.once('close', () => inFlight--);
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
    else if (req.method !== 'GET') {
      return json(res, 405, { error: { code: 'methodNotAllowed', message: 'GET or POST.' } });
    }
    if (url.searchParams.get('$version') !== version) {
      return json(res, 400, {
        error: {
          code: 'badRequest',
          message: `The $version '${url.searchParams.get('$version') ?? ''}' is not supported.`,
        },
      });
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, {
        error: { code: 'unauthorized', message: 'The access token is missing or invalid.' },
      });
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'POST') {
      if (parts.length === 1 && parts[0] === 'configure')
        return configure(req, res, seen.body ?? '');
      if (parts.length === 3 && parts[0] === 'configure' && parts[2] === 'cancel') {
        return json(res, 200, jobAnswer(parts[1]!));
      }
      return notFound(res, 'The resource');
    }
    if (parts.length === 1 && parts[0] === 'product') {
      const externalId = url.searchParams.get('externalId');
      if (externalId !== null) {
        return json(res, 200, {
          value: listed.filter((p) => p.identity.externalId === externalId),
        });
      }
      // Two pages, the second behind a relative @nextLink, as the API pages its lists.
      const page = url.searchParams.get('$skipToken') === 'page2' ? 2 : 1;
      const half = Math.ceil(listed.length / 2);
      return json(res, 200, {
        value: page === 1 ? listed.slice(0, half) : listed.slice(half),
        ...(page === 1 ? { '@nextLink': `product?$version=${version}&$skipToken=page2` } : {}),
      });
    }
    if (parts.length === 2 && parts[0] === 'submission') {
      const p = products.get(parts[1]!);
      if (!p) return notFound(res, `Product '${parts[1]}'`);
      const frame = frameAt(p.submissions.frames, 'per-read', p.submissions.reads, 0);
      p.submissions.reads++;
      reads++;
      return serveFrame(frame, req, res);
    }
    if (parts.length === 3 && parts[0] === 'configure' && parts[2] === 'status') {
      const job = jobs.get(parts[1]!);
      if (!job) return notFound(res, `Job '${parts[1]}'`);
      const frame = frameAt(job.frames, 'per-read', job.reads++, 0);
      reads++;
      // The job the service answers for is the one asked about.
      return serveFrame(frame, req, res, (b) => ({ ...(b as object), jobId: parts[1] }));
    }
    return notFound(res, 'The resource');
  });

  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: 'product-ingestion',
    url: `http://127.0.0.1:${port}`,
    publisherId: '',
    offerId: offerIds.join(','),
    operationId: jobId,
    token,
    startedAt: started,
    requests,
    statusReads: () => reads,
    peakInFlight: () => peakInFlight,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
