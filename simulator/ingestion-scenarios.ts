/**
 * The product-ingestion simulator's scenarios, built from the docs' samples (`fixtures/ingestion/`).
 * A scenario is the product's state BEFORE this run: frames of its submissions list
 * (`GET submission/{productGuid}`) and of the configure job it knows (`GET configure/{jobId}/status`),
 * advancing read by read. What this run's configure requests start is the model's (`ingestion/`).
 */
import { readFileSync } from 'node:fs';
import { hostileSequence } from './hostile.js';
import { asCoreVirtualMachine, typeOf, type Resource } from './ingestion/resources.js';
import { body, type Frame } from './service/lifecycle.js';

const hostile = hostileSequence();

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/ingestion/${name}`, import.meta.url), 'utf8'));

/** An entry of `GET submission/{productGuid}`. */
export interface Entry {
  id: string;
  product: string;
  target: { targetType: string };
  status?: string;
  result?: string;
  created?: string;
}

export const ingestionFixtures = {
  submissions: () => fixture('submissions.json') as { value: Entry[] },
  job: () => fixture('job.json') as Record<string, unknown>,
  /** The sample product's draft resource tree (`GET resource-tree/product/{productGuid}`). */
  resourceTree: () => fixture('resource-tree.json') as { resources: Resource[] },
  /** The same product as a SaaS offer, and as a container offer (the same GUID). */
  saasResourceTree: () => fixture('saas-resource-tree.json') as { resources: Resource[] },
  containerResourceTree: () => fixture('container-resource-tree.json') as { resources: Resource[] },
};

const sample = ingestionFixtures.submissions().value;
/** The sample's product: `product/<guid>`. */
export const PRODUCT_GUID = sample[0]!.product.replace(/^product\//, '');
const [DRAFT, OLD_LIVE] = sample as [Entry, Entry, Entry];
/**
 * The id of the first preview submission the simulator creates (the sample's preview id), unless a
 * listed submission has it already.
 */
export const NEW_SUBMISSION_ID = sample[2]!.id;

/** The sample product's draft resources: a VM offer with plans `gen2` and `gen1`. */
const SAMPLE_RESOURCES = ingestionFixtures.resourceTree().resources;
/** The sample product as a SaaS offer (plans `basic`, `pro`) and a container offer (`standard`, `byol`). */
const SAAS_RESOURCES = ingestionFixtures.saasResourceTree().resources;
const CONTAINER_RESOURCES = ingestionFixtures.containerResourceTree().resources;

/** The durable id of a tree's resource of `type` (of `plan`'s, when given); it must be there. */
function idIn(tree: Resource[], type: string, plan?: string): string {
  const found = tree.find((r) => typeOf(r) === type && (plan === undefined || r.plan === plan));
  if (!found) throw new Error(`The fixture has no ${type}${plan ? ` of ${plan}` : ''}.`);
  return String(found.id);
}
/** The durable id of a tree's plan `externalId`. */
const planIn = (tree: Resource[], externalId: string) =>
  String(
    tree.find(
      (r) =>
        typeOf(r) === 'plan' && (r.identity as { externalId?: unknown }).externalId === externalId,
    )!.id,
  );

/** The durable ids of resources of `type`, one per plan of a tree (by the plans' external ids). */
const perPlan = <P extends string>(tree: Resource[], plans: P[], type: string) =>
  Object.fromEntries(plans.map((p) => [p, idIn(tree, type, planIn(tree, p))])) as Record<P, string>;

/**
 * The durable ids of a sample tree's resources: the product's, its property's, listing's and
 * availability's, and for each of its plans (by external id) the plan's, its listing's and price's.
 */
function idsOf<P extends string>(tree: Resource[], plans: P[]) {
  return {
    product: `product/${PRODUCT_GUID}`,
    property: idIn(tree, 'property'),
    listing: idIn(tree, 'listing'),
    priceAndAvailabilityOffer: idIn(tree, 'price-and-availability-offer'),
    plans: Object.fromEntries(plans.map((p) => [p, planIn(tree, p)])) as Record<P, string>,
    planListings: perPlan(tree, plans, 'plan-listing'),
    priceAndAvailabilityPlans: perPlan(tree, plans, 'price-and-availability-plan'),
  };
}

/** The durable ids of the sample product's draft resources (the first product's). */
export const RESOURCE_IDS = {
  ...idsOf(SAMPLE_RESOURCES, ['gen2', 'gen1']),
  technicalConfigurations: perPlan(
    SAMPLE_RESOURCES,
    ['gen2', 'gen1'],
    'virtual-machine-plan-technical-configuration',
  ),
};

/** The same in the `saas-offer` scenario: one technical configuration, the product's. */
export const SAAS_RESOURCE_IDS = {
  ...idsOf(SAAS_RESOURCES, ['basic', 'pro']),
  commercialMarketplaceSetup: idIn(SAAS_RESOURCES, 'commercial-marketplace-setup'),
  technicalConfiguration: idIn(SAAS_RESOURCES, 'software-as-a-service-technical-configuration'),
};

/** The same in the `container-offer` scenario: a technical configuration per plan. */
export const CONTAINER_RESOURCE_IDS = {
  ...idsOf(CONTAINER_RESOURCES, ['standard', 'byol']),
  commercialMarketplaceSetup: idIn(CONTAINER_RESOURCES, 'commercial-marketplace-setup'),
  technicalConfigurations: perPlan(
    CONTAINER_RESOURCES,
    ['standard', 'byol'],
    'container-plan-technical-configuration',
  ),
};

export interface IngestionScenario {
  description: string;
  /**
   * The product's draft resources before this run, written for the sample product (its GUID,
   * `contoso-vm`): other products get their own GUIDs. Default: the VM offer of
   * `fixtures/ingestion/resource-tree.json`.
   */
  resources?: Resource[];
  /**
   * Edits made in Partner Center since the last publish: resources (sample ids) that replace the
   * ones with the same id in the draft before this run. The scenario's previews and live submission
   * carried `resources` without them.
   */
  draftEdits?: Resource[];
  /** What `GET submission/{productGuid}` answers, read by read (the last repeats). */
  submissions: Frame[];
  /** What `GET configure/{jobId}/status` answers, read by read (the last repeats). */
  job?: Frame[];
}

const list = (...entries: Entry[]): Frame => body({ value: entries });

function entry(
  targetType: 'preview' | 'live',
  status: string,
  result: string,
  id = NEW_SUBMISSION_ID,
): Entry {
  return {
    id,
    product: `product/${PRODUCT_GUID}`,
    target: { targetType },
    status,
    result,
    created: '2026-11-02T09:00:00.0000000Z',
  };
}

/** A job answer in the docs' shape. */
export function jobBody(
  jobStatus: string,
  jobResult: string,
  errors: unknown[] = [],
): Record<string, unknown> {
  const done = jobStatus.toLowerCase() === 'completed';
  return {
    ...ingestionFixtures.job(),
    jobStatus,
    jobResult,
    jobEnd: done ? '2026-11-02T10:30:10.36Z' : '0001-01-01T00:00:00',
    jobStart: '2026-11-02T09:00:00.97Z',
    errors,
  };
}

/** A certification failure: an `invalidState` error whose nested detail says why. */
export const CERTIFICATION_ERRORS = [
  {
    resourceId: `submission/${PRODUCT_GUID}/1152921515689848683`,
    code: 'invalidState',
    message: 'The submission failed certification.',
    details: [
      {
        resourceId: 'virtual-machine-plan-technical-configuration/contoso-vm-gen2',
        code: 'businessValidationError',
        message: 'The VHD for plan contoso-vm-gen2 failed the malware scan.',
        details: [
          {
            code: 'businessValidationError',
            message: 'Certification report: https://example.invalid/report',
          },
        ],
      },
    ],
  },
];

const toPreview = (): Frame[] => [
  list(DRAFT, OLD_LIVE, entry('preview', 'notStarted', 'pending')),
  list(DRAFT, OLD_LIVE, entry('preview', 'running', 'pending')),
  list(DRAFT, OLD_LIVE, entry('preview', 'running', 'pending')),
  list(DRAFT, OLD_LIVE, entry('preview', 'completed', 'succeeded')),
];

/** Every string of an entry but its target ends in a hostile tail; `keep` stays readable. */
function hostileEntry(e: Entry, keep: { status?: boolean } = {}): Entry {
  return {
    ...e,
    id: hostile(e.id),
    ...(e.created ? { created: hostile(e.created) } : {}),
    ...(e.status && !keep.status ? { status: hostile(e.status) } : {}),
    ...(e.result && !keep.status ? { result: hostile(e.result) } : {}),
  };
}

/** A job answer with a hostile tail on every string; `keep` leaves the status and result readable. */
function hostileJob(b: Record<string, unknown>, keep: { status?: boolean } = {}): unknown {
  const errors = (items: unknown[]): unknown[] =>
    (items as Record<string, unknown>[]).map((e) => ({
      ...e,
      ...(e.resourceId ? { resourceId: hostile(String(e.resourceId)) } : {}),
      code: hostile(String(e.code)),
      message: hostile(String(e.message)),
      ...(e.details ? { details: errors(e.details as unknown[]) } : {}),
    }));
  return {
    ...b,
    jobStatus: keep.status ? b.jobStatus : hostile(String(b.jobStatus)),
    jobResult: keep.status ? b.jobResult : hostile(String(b.jobResult)),
    jobStart: hostile(String(b.jobStart)),
    jobEnd: hostile(String(b.jobEnd)),
    resourceUri: hostile(String(b.resourceUri)),
    errors: errors(b.errors as unknown[]),
  };
}

const HOSTILE_DRAFT = hostileEntry(DRAFT);
const HOSTILE_LIVE = hostileEntry(OLD_LIVE, { status: true });
const HOSTILE_PREVIEW_ID = hostile(NEW_SUBMISSION_ID);

/**
 * What a scenario's product published before this run (written for the sample product): the draft
 * before the run, without its `draftEdits`.
 */
export const scenarioResources = (s: IngestionScenario): Resource[] =>
  structuredClone(s.resources ?? SAMPLE_RESOURCES);

/** The draft of a scenario's product before this run: its resources with its `draftEdits`. */
export const scenarioDraft = (s: IngestionScenario): Resource[] =>
  scenarioResources(s).map((r) => structuredClone(s.draftEdits?.find((e) => e.id === r.id) ?? r));

/** The sample's resource with this id, changed by `edit` (a copy). */
function edited(id: string, edit: (r: Resource) => void): Resource {
  const r = structuredClone(SAMPLE_RESOURCES.find((x) => x.id === id)!);
  edit(r);
  return r;
}

const liveEntries = (): Frame =>
  list(
    DRAFT,
    entry('live', 'completed', 'succeeded', OLD_LIVE.id),
    entry('preview', 'completed', 'succeeded', OLD_LIVE.id),
  );

export const ingestionScenarios: Record<string, IngestionScenario> = {
  'draft-only': {
    description: 'A product with only a draft, ready to publish.',
    submissions: [list(DRAFT)],
  },
  live: {
    description: 'A product whose last preview went live: one submission stands for both.',
    submissions: [liveEntries()],
  },
  'live-with-draft-edits': {
    description:
      "A live product whose draft was edited in Partner Center since: the listing's search result summary and the gen1 plan's price differ from preview and live.",
    submissions: [liveEntries()],
    draftEdits: [
      edited(RESOURCE_IDS.listing, (r) => {
        r.searchResultSummary = 'Hardened Linux for Contoso workloads, now with monthly patches';
      }),
      edited(RESOURCE_IDS.priceAndAvailabilityPlans.gen1, (r) => {
        (r.pricing as { corePricing: { pricePerCore: number } }).corePricing.pricePerCore = 0.06;
      }),
    ],
  },
  'publish-to-live': {
    description: 'A publish through certification to preview-ready, then going live, then live.',
    submissions: [
      ...toPreview(),
      // Going live: the new live entry runs while the old one is still listed.
      list(
        DRAFT,
        OLD_LIVE,
        entry('preview', 'completed', 'succeeded'),
        entry('live', 'running', 'pending'),
      ),
      list(
        DRAFT,
        entry('live', 'completed', 'succeeded'),
        entry('preview', 'completed', 'succeeded'),
      ),
    ],
    job: [body(jobBody('running', 'pending')), body(jobBody('completed', 'succeeded'))],
  },
  'publish-to-signoff': {
    description: 'A publish through certification to preview-ready, where it waits for a person.',
    submissions: toPreview(),
  },
  'certification-failed': {
    description: 'Certification fails: the preview entry fails and the job lists nested errors.',
    submissions: [
      list(DRAFT, OLD_LIVE, entry('preview', 'running', 'pending')),
      list(DRAFT, OLD_LIVE, entry('preview', 'completed', 'failed')),
    ],
    job: [
      body(jobBody('running', 'pending')),
      body(jobBody('completed', 'failed', CERTIFICATION_ERRORS)),
    ],
  },
  'never-published': {
    description: 'Only a draft: the product was never published.',
    submissions: [list(DRAFT)],
  },
  'live-failed': {
    description: 'The go-live fails after the preview was ready.',
    submissions: [
      list(
        DRAFT,
        OLD_LIVE,
        entry('preview', 'completed', 'succeeded'),
        entry('live', 'running', 'pending'),
      ),
      list(DRAFT, entry('live', 'completed', 'failed'), entry('preview', 'completed', 'succeeded')),
    ],
  },
  'pascal-case': {
    description: "The docs' tables' spelling: Running, Completed, Succeeded.",
    submissions: [
      list(DRAFT, OLD_LIVE, entry('preview', 'Running', 'Pending')),
      list(DRAFT, OLD_LIVE, entry('preview', 'Completed', 'Succeeded')),
    ],
    job: [body(jobBody('Running', 'Pending')), body(jobBody('Completed', 'Succeeded'))],
  },
  'job-cancelled': {
    description: 'A configure job that was cancelled.',
    submissions: [list(DRAFT, OLD_LIVE)],
    job: [body(jobBody('running', 'pending')), body(jobBody('completed', 'cancelled'))],
  },
  'stuck-in-certification': {
    description: 'Certification goes on and on (for timeouts).',
    submissions: [list(DRAFT, OLD_LIVE, entry('preview', 'running', 'pending'))],
    job: [body(jobBody('running', 'pending'))],
  },
  'previous-preview-at-signoff': {
    description:
      "The docs' sample: a previous preview completed/succeeded with an id other than live's waits for its go-live.",
    submissions: [body(ingestionFixtures.submissions())],
  },
  'publish-running': {
    description: "Someone else's preview publish is in certification, and stays there.",
    submissions: [list(DRAFT, OLD_LIVE, entry('preview', 'running', 'pending'))],
    job: [body(jobBody('running', 'pending'))],
  },
  'saas-offer': {
    description:
      'A live SaaS offer (sold through Microsoft): plans basic and pro, and the product-level technical configuration (landing page, webhook, Entra app).',
    submissions: [liveEntries()],
    resources: SAAS_RESOURCES,
  },
  'container-offer': {
    description:
      'A live transactable container offer: plans standard and byol, each with a technical configuration of CNAB bundles and a cluster extension type.',
    submissions: [liveEntries()],
    resources: CONTAINER_RESOURCES,
  },
  'core-vm-offer': {
    description:
      'A live core virtual machine offer: its plans have core technical configurations (with softwareType).',
    submissions: [list(DRAFT, OLD_LIVE)],
    resources: asCoreVirtualMachine(SAMPLE_RESOURCES),
  },
  'hostile-text': {
    description:
      'Every string the service sends ends in a line break and a runner command; the preview fails.',
    submissions: [
      list(HOSTILE_DRAFT, HOSTILE_LIVE, {
        ...hostileEntry(entry('preview', 'running', 'pending')),
        id: HOSTILE_PREVIEW_ID,
      }),
      list(HOSTILE_DRAFT, HOSTILE_LIVE, {
        ...hostileEntry(entry('preview', 'completed', 'failed'), { status: true }),
        id: HOSTILE_PREVIEW_ID,
      }),
    ],
    job: [
      body(hostileJob(jobBody('running', 'pending'))),
      body(hostileJob(jobBody('completed', 'failed', CERTIFICATION_ERRORS), { status: true })),
    ],
  },
};
