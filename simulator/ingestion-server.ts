/**
 * A real HTTP server that plays the Partner Center product-ingestion API on loopback: the product
 * lookup and its pages, a product's submissions, and configure jobs, from a scripted scenario.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { frameAt, json, serveFrame, type SeenRequest, type Simulator } from './common.js';
import {
  PRODUCT_GUID,
  ingestionFixtures,
  ingestionScenarios,
  type IngestionScenario,
} from './ingestion-scenarios.js';

export interface IngestionSimulatorOptions {
  api: 'product-ingestion';
  scenario: IngestionScenario | keyof typeof ingestionScenarios;
  /** The product's external id (the offer id users know). */
  offerId?: string;
  /** The configure job it knows. */
  jobId?: string;
  token?: string;
  version?: string;
  port?: number;
}

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
  const scenario =
    typeof options.scenario === 'string' ? ingestionScenarios[options.scenario] : options.scenario;
  if (!scenario) throw new Error(`Unknown ingestion scenario '${String(options.scenario)}'.`);
  const offerId = options.offerId ?? INGESTION_DEFAULTS.offerId;
  const jobId = options.jobId ?? INGESTION_DEFAULTS.jobId;
  const token = options.token ?? INGESTION_DEFAULTS.token;
  const version = options.version ?? INGESTION_DEFAULTS.version;
  const started = performance.now();
  const requests: SeenRequest[] = [];
  let submissionReads = 0;
  let jobReads = 0;

  const products = [
    product(offerId, 'Contoso VM', PRODUCT_GUID),
    ...OTHER_PRODUCTS.map(([id, alias], i) =>
      product(id!, alias!, `00000000-0000-4000-8000-00000000000${i}`),
    ),
  ];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      at: performance.now() - started,
    });
    if (req.method !== 'GET') {
      return json(res, 405, { error: { code: 'methodNotAllowed', message: 'GET only.' } });
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
    const elapsed = performance.now() - started;
    if (parts.length === 1 && parts[0] === 'product') {
      const externalId = url.searchParams.get('externalId');
      if (externalId !== null) {
        return json(res, 200, {
          value: products.filter((p) => p.identity.externalId === externalId),
        });
      }
      // Two pages, the second behind a relative @nextLink, as the API pages its lists.
      const page = url.searchParams.get('$skipToken') === 'page2' ? 2 : 1;
      const half = Math.ceil(products.length / 2);
      return json(res, 200, {
        value: page === 1 ? products.slice(0, half) : products.slice(half),
        ...(page === 1 ? { '@nextLink': `product?$version=${version}&$skipToken=page2` } : {}),
      });
    }
    if (parts.length === 2 && parts[0] === 'submission') {
      if (parts[1] !== PRODUCT_GUID) return notFound(res, `Product '${parts[1]}'`);
      const frame = frameAt(scenario.submissions, 'per-read', submissionReads++, elapsed);
      return serveFrame(frame, req, res);
    }
    if (parts.length === 3 && parts[0] === 'configure' && parts[2] === 'status') {
      if (parts[1] !== jobId || !scenario.job) return notFound(res, `Job '${parts[1]}'`);
      const frame = frameAt(scenario.job, 'per-read', jobReads++, elapsed);
      return serveFrame(frame, req, res);
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
    offerId,
    operationId: jobId,
    token,
    startedAt: started,
    requests,
    statusReads: () => submissionReads + jobReads,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
