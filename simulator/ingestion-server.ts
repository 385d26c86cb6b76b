/**
 * A real HTTP server that plays the Partner Center product-ingestion API on loopback: the product
 * lookup and its pages, a product's submissions, configure requests and their jobs — the routes,
 * checks and answer shapes of that API over the model in `ingestion/` and `service/`.
 */
import type { ServerResponse } from 'node:http';
import type { ModelOptions, Simulator } from './common.js';
import type { Job } from './ingestion/entities.js';
import { Product } from './ingestion/product.js';
import {
  PRODUCT_GUID,
  ingestionFixtures,
  ingestionScenarios,
  type IngestionScenario,
} from './ingestion-scenarios.js';
import { ServiceCore } from './service/core.js';
import { answerWrite, type FaultWords } from './service/faults.js';
import { json, serveFrame, startHttp, type Exchange } from './service/http.js';

export interface IngestionSimulatorOptions extends ModelOptions {
  api: 'product-ingestion';
  /** The product's state before this run: a scenario's name, or a scenario. */
  scenario: IngestionScenario | keyof typeof ingestionScenarios;
  /** The product's external id (the offer id users know). */
  offerId?: string;
  /** Several products, each with its own copy of `scenario` (or the one `scenarioFor` names). */
  offerIds?: string[];
  scenarioFor?: Record<string, IngestionScenario | keyof typeof ingestionScenarios>;
  /** The configure job it knows (the first product's scenario job). */
  jobId?: string;
  token?: string;
  version?: string;
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

/** The ids of the first preview (publish) and live (go-live) configure jobs (later ones: fresh GUIDs). */
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

/** The only schema host the service takes (`product-ingestion.azureedge.net` was retired in 2024). */
const SCHEMA_HOST = 'https://schema.mp.microsoft.com/schema/';

function product(externalId: string, alias: string, guid: string) {
  return {
    $schema: 'https://schema.mp.microsoft.com/schema/product/2022-07-01',
    id: `product/${guid}`,
    identity: { externalId },
    type: 'azureVirtualMachine',
    alias,
  };
}

const error = (res: ServerResponse, status: number, code: string, message: string) =>
  json(res, status, { error: { code, message } });
const notFound = (res: ServerResponse, what: string) =>
  error(res, 404, 'notFound', `${what} was not found.`);

function resolve(s: IngestionScenario | keyof typeof ingestionScenarios): IngestionScenario {
  const found = typeof s === 'string' ? ingestionScenarios[s] : s;
  if (!found) throw new Error(`Unknown ingestion scenario '${String(s)}'.`);
  return found;
}

interface Resource {
  $schema?: unknown;
  id?: unknown;
  product?: unknown;
  target?: { targetType?: unknown };
}

/** A configure request's resources, checked as the service checks them (schemas, references). */
function parseConfigure(text: string): Resource[] {
  const body = JSON.parse(text) as { $schema?: unknown; resources?: unknown };
  if (typeof body.$schema !== 'string' || !body.$schema.startsWith(`${SCHEMA_HOST}configure/`))
    throw new Error(`$schema must be ${SCHEMA_HOST}configure/<version>`);
  if (!Array.isArray(body.resources) || body.resources.length === 0)
    throw new Error('resources must list at least one resource');
  for (const r of body.resources as Resource[]) {
    if (typeof r?.$schema !== 'string' || !r.$schema.startsWith(SCHEMA_HOST))
      throw new Error(`every resource needs a $schema on ${SCHEMA_HOST}`);
  }
  return body.resources as Resource[];
}

export async function startIngestionSimulator(
  options: IngestionSimulatorOptions,
): Promise<Simulator> {
  const startedAt = performance.now();
  const core = new ServiceCore({
    ...options,
    clock: options.clock ?? (() => performance.now() - startedAt),
  });
  const offerIds = options.offerIds ?? [options.offerId ?? INGESTION_DEFAULTS.offerId];
  const jobId = options.jobId ?? INGESTION_DEFAULTS.jobId;
  const token = options.token ?? INGESTION_DEFAULTS.token;
  const version = options.version ?? INGESTION_DEFAULTS.version;

  const products = new Map<string, Product>();
  offerIds.forEach((offerId, index) => {
    // The first product is the docs' sample; the others get GUIDs of their own.
    const guid =
      index === 0 ? PRODUCT_GUID : `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`;
    const settings = {
      offerId,
      guid,
      publishOutcome: options.publishOutcome ?? 'review',
      publish: options.publish,
      goLive: options.goLive,
      firstJobIds: STARTED_JOBS,
    };
    const scenario = resolve(options.scenarioFor?.[offerId] ?? options.scenario);
    // The job the simulator knows is the first product's.
    products.set(guid, new Product(core, settings, scenario, index === 0 ? jobId : undefined));
  });
  const byExternalId = new Map([...products.values()].map((p) => [p.settings.offerId, p]));
  const jobs = new Map<string, { job: Job; product: Product }>();
  const register = (p: Product) => {
    for (const job of p.jobs) if (!jobs.has(job.id)) jobs.set(job.id, { job, product: p });
  };
  products.forEach(register);

  const listed = [
    ...[...products.values()].map(({ settings: s }) =>
      product(s.offerId, s.offerId === 'contoso-vm' ? 'Contoso VM' : s.offerId, s.guid),
    ),
    ...OTHER_PRODUCTS.filter(([id]) => !offerIds.includes(id!)).map(([id, alias], i) =>
      product(id!, alias!, `00000000-0000-4000-8000-00000000000${i}`),
    ),
  ];

  /** The job answer a configure request gets (202): not started yet. */
  const jobAnswer = (id: string) => ({
    ...ingestionFixtures.job(),
    jobId: id,
    jobStatus: 'notStarted',
    jobResult: 'pending',
    jobEnd: '0001-01-01T00:00:00',
    errors: [],
  });

  /** `POST configure`: checked, then the fault for this attempt, then the model's decision. */
  function configure(x: Exchange): void {
    const { res } = x;
    let resources: Resource[];
    try {
      resources = parseConfigure(x.seen.body ?? '');
    } catch (e) {
      const why = e instanceof SyntaxError ? 'the body is not JSON' : (e as Error).message;
      return error(
        res,
        400,
        'schemaValidationError',
        `The configure request is not valid (${why}).`,
      );
    }
    const submission = resources.find((r) => String(r.$schema).includes('/schema/submission/'));
    const reference = (submission ?? resources[0]!).product;
    const guid =
      typeof reference === 'string'
        ? reference.replace(/^product\//, '')
        : reference && typeof reference === 'object'
          ? byExternalId.get(String((reference as { externalId?: unknown }).externalId))?.settings
              .guid
          : undefined;
    const target = guid ? products.get(guid) : undefined;
    if (!target) {
      return error(
        res,
        400,
        'invalidResource',
        `The product ${JSON.stringify(reference)} is not known.`,
      );
    }
    const accepted = (job: Job) => {
      register(target);
      return { started: true, answer: () => json(res, 202, jobAnswer(job.id)) };
    };
    if (!submission) return accepted(target.configureResources()).answer();
    const targetType = submission.target?.targetType;
    if (targetType !== 'preview' && targetType !== 'live') {
      return error(res, 400, 'schemaValidationError', 'target.targetType must be preview or live.');
    }
    const id = typeof submission.id === 'string' ? submission.id : undefined;
    if (targetType === 'live' && !id) {
      return error(
        res,
        400,
        'schemaValidationError',
        'A live submission needs the id of a preview.',
      );
    }
    const kind = targetType === 'live' ? 'goLive' : 'publish';
    answerWrite(
      x.req,
      res,
      target.faults[kind].next(),
      () => accepted(target.configure(targetType, id)),
      INGESTION_WORDS,
    );
  }

  function route(x: Exchange): void {
    const { req, res, url, parts } = x;
    if (req.method !== 'GET' && req.method !== 'POST')
      return error(res, 405, 'methodNotAllowed', 'GET or POST.');
    if (url.searchParams.get('$version') !== version) {
      const asked = url.searchParams.get('$version') ?? '';
      return error(res, 400, 'badRequest', `The $version '${asked}' is not supported.`);
    }
    if (req.headers.authorization !== `Bearer ${token}`)
      return error(res, 401, 'unauthorized', 'The access token is missing or invalid.');
    if (req.method === 'POST') {
      if (parts.length === 1 && parts[0] === 'configure') return configure(x);
      if (parts.length === 3 && parts[0] === 'configure' && parts[2] === 'cancel') {
        const found = jobs.get(parts[1]!);
        if (!found) return notFound(res, `Job '${parts[1]}'`);
        if (found.job.ended())
          return error(res, 400, 'invalidState', 'The job has already completed.');
        found.job.cancel(core.clock);
        const frame = found.job.read();
        return json(res, 200, frame.kind === 'body' ? frame.body : jobAnswer(found.job.id));
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
      return serveFrame(p.readSubmissions(), req, res);
    }
    if (parts.length === 3 && parts[0] === 'configure' && parts[2] === 'status') {
      const found = jobs.get(parts[1]!);
      if (!found) return notFound(res, `Job '${parts[1]}'`);
      return serveFrame(found.product.readJob(found.job), req, res);
    }
    return notFound(res, 'The resource');
  }

  const http = await startHttp({ ...options, clock: core.clock }, route);
  return {
    api: 'product-ingestion',
    url: http.url,
    publisherId: '',
    offerId: offerIds.join(','),
    operationId: jobId,
    token,
    startedAt,
    requests: http.requests,
    statusReads: () => core.statusReads(),
    connections: http.connections,
    peakInFlight: http.peakInFlight,
    writesStarted: () => core.writesStarted(),
    writesRefused: () => core.writesRefused(),
    close: http.close,
  };
}
