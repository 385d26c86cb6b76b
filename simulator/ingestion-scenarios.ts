/**
 * Scripted publishes on the product-ingestion API, built from the docs' samples
 * (`fixtures/ingestion/`). A scenario has frames for the product's submissions
 * (`GET submission/{productGuid}`) and frames for a configure job (`GET configure/{jobId}/status`);
 * each advances with its own reads, as in the CPP scenarios.
 */
import { readFileSync } from 'node:fs';
import type { Frame } from './scenarios.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/ingestion/${name}`, import.meta.url), 'utf8'));

interface Entry {
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
};

const sample = ingestionFixtures.submissions().value;
/** The sample's product: `product/<guid>`. */
export const PRODUCT_GUID = sample[0]!.product.replace(/^product\//, '');
const [DRAFT, OLD_LIVE] = sample as [Entry, Entry, Entry];
/** The submission this publish creates (the sample's preview id). */
export const NEW_SUBMISSION_ID = sample[2]!.id;

export interface IngestionScenario {
  description: string;
  /** What `GET submission/{productGuid}` answers, read by read (the last repeats). */
  submissions: Frame[];
  /** What `GET configure/{jobId}/status` answers, read by read (the last repeats). */
  job?: Frame[];
}

const body = (b: unknown): Frame => ({ kind: 'body', body: b });
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

/** What the simulator plays after it accepts a configure request: the job, then the submissions. */
export const ingestionAfterWrites = {
  job: (): Frame[] => [
    body(jobBody('notStarted', 'pending')),
    body(jobBody('running', 'pending')),
    body(jobBody('completed', 'succeeded')),
  ],
  publish: (): Frame[] => [...toPreview().slice(1)],
  goLive: (): Frame[] => [
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
};

export const ingestionScenarios: Record<string, IngestionScenario> = {
  'draft-only': {
    description: 'A product with only a draft, ready to publish.',
    submissions: [list(DRAFT)],
  },
  live: {
    description: 'A product whose last preview went live: one submission stands for both.',
    submissions: [
      list(
        DRAFT,
        entry('live', 'completed', 'succeeded', OLD_LIVE.id),
        entry('preview', 'completed', 'succeeded', OLD_LIVE.id),
      ),
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
};
