/**
 * A real HTTP server that plays the Partner Center product-ingestion API on loopback: the product
 * lookup and its pages, a product's submissions, its resource tree, plans and technical
 * configurations, configure requests (changed resources, a submission, or both) and their jobs —
 * the routes and answer shapes of that API over the model in `ingestion/`. The checks every request
 * passes, the faults and the server are the core's (`service/`); this module adds its words.
 */
import { createHash } from 'node:crypto';
import { parseConfigure, type SchemaError } from './ingestion/configure-request.js';
import type { Job } from './ingestion/entities.js';
import { Product, type JobRefusal, type SubmissionRequest } from './ingestion/product.js';
import { isTechnicalConfiguration } from './ingestion/product-types.js';
import { isSubmission, treeFor, typeOf, type Resource } from './ingestion/resources.js';
import {
  PRODUCT_GUID,
  ingestionFixtures,
  ingestionScenarios,
  scenarioDraft,
  scenarioResources,
  type IngestionScenario,
} from './ingestion-scenarios.js';
import { ServiceCore } from './service/core.js';
import { notFound, type Dialect } from './service/dialect.js';
import { answerWrite, type WriteFault } from './service/faults.js';
import { error, json, serveFrame, type Exchange } from './service/http.js';
import {
  offersOf,
  startService,
  writeSettings,
  type OfferOptions,
  type Simulator,
} from './service/simulator.js';

export interface IngestionSimulatorOptions extends OfferOptions<IngestionScenario> {
  api: 'product-ingestion';
  /** The configure job it knows (the first product's scenario job). */
  jobId?: string;
  version?: string;
  /**
   * How configure requests that change resources without a submission are answered, one fault
   * per attempt when a list (then `accept`), as `publish` and `goLive`.
   */
  change?: WriteFault | WriteFault[];
  /**
   * Each product's next change-only configure request (one per entry when a list) fails at once
   * with this job error, code and message as given; nothing is applied.
   */
  changeRefusal?: JobRefusal | JobRefusal[];
}

/** The product-ingestion simulator: a `Simulator` that also shows and edits a product's draft. */
export interface IngestionSimulator extends Simulator {
  /**
   * A product's draft resources now (in the draft's own order), as this run's configure requests
   * (and edits) changed them; the first product's unless `offerId` names another.
   */
  draft(offerId?: string): Resource[];
  /**
   * Edits a product's draft as a person in Partner Center would (the first product's unless
   * `offerId` names another): `edit` gets a copy of the draft resources and returns the new
   * draft, or changes the copy in place.
   */
  editDraft(edit: (draft: Resource[]) => Resource[] | void, offerId?: string): void;
}

/** The product-ingestion API's error codes. */
const INGESTION: Dialect = {
  api: 'product-ingestion',
  methodNotAllowed: 'methodNotAllowed',
  unauthorized: 'unauthorized',
  notFound: 'notFound',
  version: {
    param: '$version',
    code: 'badRequest',
    refusal: (asked) => `The $version '${asked}' is not supported.`,
  },
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

/** The other products' listing entries (the run's products list their draft product resource). */
function product(externalId: string, alias: string, guid: string) {
  return {
    $schema: 'https://schema.mp.microsoft.com/schema/product/2022-07-01',
    id: `product/${guid}`,
    identity: { externalId },
    type: 'azureVirtualMachine',
    alias,
  };
}

const RESOURCE_TREE_SCHEMA = 'https://schema.mp.microsoft.com/schema/resource-tree/2022-07-01';

/** A deterministic order that is not the draft's, different per target (clients must match by id). */
function shuffled(resources: Resource[], seed: string): Resource[] {
  const key = (r: Resource) =>
    createHash('sha256')
      .update(`${seed}:${String(r.id)}`)
      .digest('hex');
  return resources
    .map((r) => ({ r, k: key(r) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ r }) => r);
}

export async function startIngestionSimulator(
  options: IngestionSimulatorOptions,
): Promise<IngestionSimulator> {
  const core = new ServiceCore(options);
  const { offerIds, scenarioOf } = offersOf(options, {
    scenarios: ingestionScenarios,
    defaultOfferId: INGESTION_DEFAULTS.offerId,
    kind: 'ingestion scenario',
  });
  const jobId = options.jobId ?? INGESTION_DEFAULTS.jobId;
  const token = options.token ?? INGESTION_DEFAULTS.token;
  const version = options.version ?? INGESTION_DEFAULTS.version;

  const products = new Map<string, Product>();
  offerIds.forEach((offerId, index) => {
    // The first product is the docs' sample; the others get GUIDs of their own.
    const guid =
      index === 0 ? PRODUCT_GUID : `00000000-0000-4000-9000-${String(index).padStart(12, '0')}`;
    const scenario = scenarioOf(offerId);
    const ours = (sample: Resource[]) => treeFor(sample, PRODUCT_GUID, guid, offerId);
    const refusals = options.changeRefusal;
    const settings = {
      offerId,
      guid,
      ...writeSettings(options),
      change: options.change,
      changeRefusals: refusals === undefined ? [] : Array.isArray(refusals) ? refusals : [refusals],
      firstJobIds: STARTED_JOBS,
      resources: ours(scenarioDraft(scenario)),
      published: ours(scenarioResources(scenario)),
    };
    // The job the simulator knows is the first product's.
    products.set(guid, new Product(core, settings, scenario, index === 0 ? jobId : undefined));
  });
  const byExternalId = new Map([...products.values()].map((p) => [p.settings.offerId, p]));
  const jobs = new Map<string, { job: Job; product: Product }>();
  const register = (p: Product) => {
    for (const job of p.jobs) if (!jobs.has(job.id)) jobs.set(job.id, { job, product: p });
  };
  products.forEach(register);

  const others = OTHER_PRODUCTS.filter(([id]) => !offerIds.includes(id!)).map(([id, alias], i) =>
    product(id!, alias!, `00000000-0000-4000-8000-00000000000${i}`),
  );
  /** `GET product`'s entries: the run's products as their drafts have them, then the others. */
  const listed = (): Resource[] => [
    ...[...products.values()].map((p) => p.tree.product()),
    ...others,
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

  /** The product a reference names (`product/<guid>` or `{"externalId": …}`), if the account has it. */
  const productOf = (reference: unknown): Product | undefined => {
    if (typeof reference === 'string') return products.get(reference.replace(/^product\//, ''));
    if (reference && typeof reference === 'object')
      return byExternalId.get(String((reference as { externalId?: unknown }).externalId));
    return undefined;
  };
  /** What a resource says its product is: a product resource's own id or identity, else `product`. */
  const referenceOf = (r: Resource): unknown =>
    typeOf(r) === 'product' ? (r.id ?? r.identity) : r.product;

  /**
   * `POST configure`: the schemas (400), the product, then the fault for this attempt (a change's,
   * a publish's or a go-live's), then the model's decision (a job, 202).
   */
  function configure(x: Exchange): void {
    const { res } = x;
    let resources: Resource[];
    try {
      resources = parseConfigure(x.seen.body ?? '');
    } catch (e) {
      const { message, details } = e as SchemaError;
      core.recordRefusal({ kind: 'configure', code: 'schemaValidationError' });
      return json(res, 400, {
        error: {
          code: 'schemaValidationError',
          message,
          details: details.map((d) => ({ code: 'schemaValidationError', ...d })),
        },
      });
    }
    const submission = resources.find(isSubmission);
    const changes = resources.filter((r) => !isSubmission(r));
    // The product the request is about: its submission's, else the first its resources name.
    const references = [submission, ...changes].filter((r) => r !== undefined).map(referenceOf);
    const target = references.map(productOf).find((p) => p !== undefined);
    if (!target || (submission && productOf(submission.product) !== target)) {
      const reference = submission ? submission.product : references.find((r) => r !== undefined);
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
    if (!submission) {
      const act = () => accepted(target.configure(changes));
      return answerWrite(x.req, res, target.faults.change.next(), act, INGESTION);
    }
    const request: SubmissionRequest = {
      targetType: (submission.target as { targetType: 'preview' | 'live' }).targetType,
      ...(typeof submission.id === 'string' ? { id: submission.id } : {}),
    };
    const kind = request.targetType === 'live' ? 'goLive' : 'publish';
    answerWrite(
      x.req,
      res,
      target.faults[kind].next(),
      () => accepted(target.configure(changes, request)),
      INGESTION,
    );
  }

  /**
   * `GET resource-tree/product/{guid}`, `GET plan?product=…`, a technical configuration (a plan's,
   * `<type>/{guid}/{planGuid}`, or a SaaS product's, `<type>/{guid}`): not lagged.
   */
  function resourceRoute(x: Exchange): boolean {
    const { res, url, parts } = x;
    const missing = (what: string) =>
      error(res, 404, 'resourceNotFound', `The resource ${what} was not found.`);
    if (parts.length === 3 && parts[0] === 'resource-tree' && parts[1] === 'product') {
      const p = products.get(parts[2]!);
      if (!p) {
        missing(`product/${parts[2]}`);
        return true;
      }
      const targetType = url.searchParams.get('targetType') ?? 'draft';
      if (targetType !== 'draft' && targetType !== 'preview' && targetType !== 'live') {
        error(res, 400, 'badRequest', 'targetType must be draft, preview or live.');
        return true;
      }
      json(res, 200, {
        $schema: RESOURCE_TREE_SCHEMA,
        root: p.tree.productId,
        target: { targetType },
        resources: shuffled(p.resources(targetType), `${p.settings.guid}/${targetType}`),
      });
      return true;
    }
    if (parts.length === 1 && parts[0] === 'plan') {
      const reference = url.searchParams.get('product');
      if (reference === null) {
        error(res, 400, 'badRequest', 'The product query parameter is required.');
        return true;
      }
      const externalId = url.searchParams.get('externalId');
      const plans = productOf(reference)?.tree.plans() ?? [];
      json(res, 200, {
        value: plans.filter(
          (plan) =>
            externalId === null ||
            (plan.identity as { externalId?: unknown } | undefined)?.externalId === externalId,
        ),
      });
      return true;
    }
    if ((parts.length === 2 || parts.length === 3) && isTechnicalConfiguration(parts[0])) {
      const id = parts.join('/');
      const found = products.get(parts[1]!)?.tree.find(id);
      if (found) json(res, 200, found);
      else missing(id);
      return true;
    }
    return false;
  }

  function route(x: Exchange): void {
    const { req, res, url, parts } = x;
    if (req.method === 'POST') {
      if (parts.length === 1 && parts[0] === 'configure') return configure(x);
      if (parts.length === 3 && parts[0] === 'configure' && parts[2] === 'cancel') {
        const found = jobs.get(parts[1]!);
        if (!found) return notFound(res, INGESTION, `Job '${parts[1]}'`);
        if (found.job.ended())
          return error(res, 400, 'invalidState', 'The job has already completed.');
        found.job.cancel(core.clock);
        const frame = found.job.read();
        return json(res, 200, frame.kind === 'body' ? frame.body : jobAnswer(found.job.id));
      }
      return notFound(res, INGESTION, 'The resource');
    }
    if (parts.length === 1 && parts[0] === 'product') {
      const externalId = url.searchParams.get('externalId');
      if (externalId !== null) {
        return json(res, 200, {
          value: listed().filter(
            (p) => (p.identity as { externalId?: unknown } | undefined)?.externalId === externalId,
          ),
        });
      }
      // Two pages, the second behind a relative @nextLink, as the API pages its lists.
      const page = url.searchParams.get('$skipToken') === 'page2' ? 2 : 1;
      const all = listed();
      const half = Math.ceil(all.length / 2);
      return json(res, 200, {
        value: page === 1 ? all.slice(0, half) : all.slice(half),
        ...(page === 1 ? { '@nextLink': `product?$version=${version}&$skipToken=page2` } : {}),
      });
    }
    if (resourceRoute(x)) return;
    if (parts.length === 2 && parts[0] === 'submission') {
      const p = products.get(parts[1]!);
      if (!p) return notFound(res, INGESTION, `Product '${parts[1]}'`);
      return serveFrame(p.readSubmissions(), req, res);
    }
    if (parts.length === 3 && parts[0] === 'configure' && parts[2] === 'status') {
      const found = jobs.get(parts[1]!);
      if (!found) return notFound(res, INGESTION, `Job '${parts[1]}'`);
      return serveFrame(found.product.readJob(found.job), req, res);
    }
    return notFound(res, INGESTION, 'The resource');
  }

  const sim = await startService(core, options, {
    dialect: INGESTION,
    publisherId: '',
    offerIds,
    operationId: jobId,
    token,
    version,
    route,
  });
  const productFor = (offerId?: string): Product => {
    const p = offerId === undefined ? [...products.values()][0] : byExternalId.get(offerId);
    if (!p) throw new Error(`No product '${String(offerId)}' in this run.`);
    return p;
  };
  return {
    ...sim,
    draft: (offerId) => productFor(offerId).tree.list(),
    editDraft: (edit, offerId) => productFor(offerId).editDraft(edit),
  };
}
