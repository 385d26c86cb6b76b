import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import {
  JobSchema,
  SubmissionsSchema,
  type Submission,
} from '../../src/adapters/ingestion/schemas.js';
import { flattenErrors } from '../../src/adapters/ingestion/errors.js';
import { goLiveJobToSnapshot, jobToSnapshot } from '../../src/adapters/ingestion/job.js';
import { offerOverviewUrl } from '../../src/adapters/ingestion/product.js';
import { toPublications } from '../../src/adapters/ingestion/publications.js';
import { submissionsToSnapshot } from '../../src/adapters/ingestion/snapshot.js';
import { STEP_NAMES } from '../../src/adapters/ingestion/steps.js';
import { listedEntries } from '../../src/adapters/ingestion/words.js';
import { changeLines } from '../../src/core/changes.js';
import type { Snapshot } from '../../src/core/model.js';
import { decide } from '../../src/core/stop-rules.js';
import { DEFAULTS, parseFailOn } from '../../src/inputs/index.js';

const GUID = '8c1e5b3a-2f4d-4e6a-9b7c-0d1e2f3a4b5c';
const LIVE_ID = `submission/${GUID}/1152921515689847470`;
const PREVIEW_ID = `submission/${GUID}/1152921515689848683`;
const NEXT_ID = `submission/${GUID}/1152921515689850001`;

const DRAFT = {
  id: `submission/${GUID}/0`,
  product: `product/${GUID}`,
  target: { targetType: 'draft' },
};
const LIVE = {
  id: LIVE_ID,
  product: `product/${GUID}`,
  target: { targetType: 'live' },
  status: 'completed',
  result: 'succeeded',
  created: '2022-01-25T07:13:06.4408032Z',
};
const PREVIEW = {
  id: PREVIEW_ID,
  product: `product/${GUID}`,
  target: { targetType: 'preview' },
  status: 'completed',
  result: 'succeeded',
  created: '2022-02-04T20:07:22.4220588Z',
};
/** `GET submission/{productGuid}`, exactly as the notes' sample. */
const SAMPLE = { value: [DRAFT, LIVE, PREVIEW] };

/** The entries as the adapter reads them: through the schema. */
function entries(...items: object[]): Submission[] {
  return v.parse(SubmissionsSchema, { value: items }).value;
}

/** What a snapshot says, compactly: the offer status and each step as `[id, status, known]`. */
function shape(s: Snapshot) {
  return {
    reported: s.reported,
    status: s.status,
    steps: s.steps.map((step) => [step.id, step.status, step.statusKnown]),
  };
}

const STEP_IDS = ['preview', 'publisher-signoff', 'live'];
const rules = (waitUntil: 'review' | 'completion') => ({
  failOn: parseFailOn(DEFAULTS['fail-on']!),
  waitUntil,
});

type Row = [string, object[], string, boolean, [string, string, string]];

describe('submissionsToSnapshot', () => {
  const table: Row[] = [
    [
      'only a draft: never published',
      [DRAFT],
      'neverPublished',
      true,
      ['notStarted', 'notStarted', 'notStarted'],
    ],
    [
      "the notes' sample (preview id differs from live's): waiting for the publisher",
      SAMPLE.value,
      'waitingForPublisherReview',
      true,
      ['complete', 'waitingForPublisherReview', 'notStarted'],
    ],
    [
      'preview completed/succeeded and no live at all: waiting for the publisher',
      [DRAFT, PREVIEW],
      'waitingForPublisherReview',
      true,
      ['complete', 'waitingForPublisherReview', 'notStarted'],
    ],
    [
      'preview running (certification): running',
      [DRAFT, LIVE, { ...PREVIEW, status: 'running', result: 'pending' }],
      'running',
      true,
      ['inProgress', 'notStarted', 'notStarted'],
    ],
    [
      'preview notStarted: notStarted',
      [DRAFT, { ...PREVIEW, status: 'notStarted', result: 'pending' }],
      'notStarted',
      true,
      ['notStarted', 'notStarted', 'notStarted'],
    ],
    [
      'preview completed/failed: failed',
      [DRAFT, LIVE, { ...PREVIEW, result: 'failed' }],
      'failed',
      true,
      ['failed', 'notStarted', 'notStarted'],
    ],
    [
      'preview completed/cancelled: canceled',
      [DRAFT, { ...PREVIEW, result: 'cancelled' }],
      'canceled',
      true,
      ['canceled', 'notStarted', 'notStarted'],
    ],
    [
      'going live: a live entry running beside the old completed one',
      [
        DRAFT,
        LIVE,
        PREVIEW,
        { ...PREVIEW, target: { targetType: 'live' }, status: 'running', result: 'pending' },
      ],
      'running',
      true,
      ['complete', 'complete', 'inProgress'],
    ],
    [
      'going live: the running live entry listed before the old one',
      [
        { ...PREVIEW, target: { targetType: 'live' }, status: 'running', result: 'pending' },
        LIVE,
        PREVIEW,
      ],
      'running',
      true,
      ['complete', 'complete', 'inProgress'],
    ],
    [
      'live completed/succeeded with the same id as preview: succeeded',
      [DRAFT, { ...LIVE, id: PREVIEW_ID }, PREVIEW],
      'succeeded',
      true,
      ['complete', 'complete', 'complete'],
    ],
    [
      'live completed/failed with the same id as preview: failed',
      [DRAFT, { ...LIVE, id: PREVIEW_ID, result: 'failed' }, PREVIEW],
      'failed',
      true,
      ['complete', 'complete', 'failed'],
    ],
    [
      'a newer live completed/failed beside the old succeeded one: failed',
      [
        DRAFT,
        LIVE,
        {
          ...LIVE,
          id: PREVIEW_ID,
          result: 'failed',
          created: '2022-02-05T08:00:00.0000000Z',
        },
        PREVIEW,
      ],
      'failed',
      true,
      ['complete', 'complete', 'failed'],
    ],
    [
      'a live entry without a preview entry: read as live',
      [DRAFT, LIVE],
      'succeeded',
      true,
      ['complete', 'complete', 'complete'],
    ],
    [
      'a new preview running while the product is live: running',
      [
        DRAFT,
        { ...LIVE, id: PREVIEW_ID },
        { ...PREVIEW, id: NEXT_ID, status: 'running', result: 'pending' },
      ],
      'running',
      true,
      ['inProgress', 'notStarted', 'notStarted'],
    ],
    [
      'PascalCase: preview Running/Pending',
      [
        DRAFT,
        LIVE,
        { ...PREVIEW, target: { targetType: 'Preview' }, status: 'Running', result: 'Pending' },
      ],
      'running',
      true,
      ['inProgress', 'notStarted', 'notStarted'],
    ],
    [
      'PascalCase: preview Completed/Succeeded, id differs from live',
      [DRAFT, LIVE, { ...PREVIEW, status: 'Completed', result: 'Succeeded' }],
      'waitingForPublisherReview',
      true,
      ['complete', 'waitingForPublisherReview', 'notStarted'],
    ],
    [
      'PascalCase: live Completed/Succeeded, same id as preview',
      [
        DRAFT,
        {
          ...LIVE,
          id: PREVIEW_ID,
          target: { targetType: 'Live' },
          status: 'Completed',
          result: 'Succeeded',
        },
        { ...PREVIEW, status: 'Completed', result: 'Succeeded' },
      ],
      'succeeded',
      true,
      ['complete', 'complete', 'complete'],
    ],
    [
      'PascalCase: a live entry Running',
      [
        DRAFT,
        LIVE,
        PREVIEW,
        { ...PREVIEW, target: { targetType: 'Live' }, status: 'Running', result: 'Pending' },
      ],
      'running',
      true,
      ['complete', 'complete', 'inProgress'],
    ],
    [
      'an unknown preview status word is kept as sent',
      [DRAFT, LIVE, { ...PREVIEW, status: 'Queued', result: 'pending' }],
      'Queued',
      false,
      ['Queued', 'notStarted', 'notStarted'],
    ],
    [
      'an unknown live status word is kept as sent',
      [
        DRAFT,
        LIVE,
        PREVIEW,
        { ...PREVIEW, target: { targetType: 'live' }, status: 'Queued', result: 'pending' },
      ],
      'Queued',
      false,
      ['complete', 'complete', 'Queued'],
    ],
    [
      'an unknown result word on a completed live entry is kept as sent',
      [DRAFT, { ...LIVE, id: PREVIEW_ID, result: 'PartiallySucceeded' }, PREVIEW],
      'PartiallySucceeded',
      false,
      ['complete', 'complete', 'PartiallySucceeded'],
    ],
  ];

  test.each(table)('%s', (_name, items, status, known, [preview, signoff, live]) => {
    const s = submissionsToSnapshot(entries(...items));
    // Only a step holding the unknown word itself is unknown.
    expect(shape(s)).toEqual({
      reported: { value: status, known },
      status,
      steps: [
        ['preview', preview, known || preview !== status],
        ['publisher-signoff', signoff, true],
        ['live', live, known || live !== status],
      ],
    });
    expect(s.steps.map((step) => step.id)).toEqual(STEP_IDS);
    expect(s.steps.map((step) => step.name)).toEqual(['Preview', 'Publisher sign-off', 'Live']);
    // The adapter makes up no message: the service sends none about submissions.
    expect(s.steps.map((step) => step.messages)).toEqual([[], [], []]);
    expect(s.steps.map((step) => step.progress)).toEqual(
      [preview, signoff, live].map((x) => (x === 'complete' ? 100 : null)),
    );
    expect(s.messages).toEqual([]);
    expect(s.previewLinks).toEqual([]);
    expect(s.liveLinks).toEqual([]);
  });

  test('the step ids are the ones STEP_NAMES declares, in order', () => {
    expect(Object.keys(STEP_NAMES)).toEqual(STEP_IDS);
  });

  type DetailRow = [string, object[], [string?, string?, string?]];
  const details: DetailRow[] = [
    // [name, entries, the steps' details (preview, sign-off, live)]
    [
      "waiting for review (the notes' sample): the preview names its submission; the old live entry is not this publish's",
      SAMPLE.value,
      [`${PREVIEW_ID}, created 2022-02-04T20:07:22.4220588Z`, undefined, undefined],
    ],
    [
      'live: the preview and live steps name the one submission that stands for both',
      [DRAFT, { ...LIVE, id: PREVIEW_ID }, PREVIEW],
      [
        `${PREVIEW_ID}, created 2022-02-04T20:07:22.4220588Z`,
        undefined,
        `${PREVIEW_ID}, created 2022-01-25T07:13:06.4408032Z`,
      ],
    ],
    [
      'going live: the live step names the running entry, not the old one',
      [
        LIVE,
        PREVIEW,
        {
          ...PREVIEW,
          target: { targetType: 'live' },
          status: 'running',
          result: 'pending',
          created: '2022-02-06T10:00:00Z',
        },
      ],
      [
        `${PREVIEW_ID}, created 2022-02-04T20:07:22.4220588Z`,
        undefined,
        `${PREVIEW_ID}, created 2022-02-06T10:00:00Z`,
      ],
    ],
    [
      'an entry without created still names its submission',
      [{ ...PREVIEW, status: 'running', result: 'pending', created: undefined }],
      [PREVIEW_ID, undefined, undefined],
    ],
    ['only a draft: no step names a submission', [DRAFT], [undefined, undefined, undefined]],
  ];
  test.each(details)('%s', (_name, items, expected) => {
    const s = submissionsToSnapshot(entries(...items));
    expect(s.steps.map((step) => step.detail)).toEqual([0, 1, 2].map((i) => expected[i]));
    expect(s.steps.flatMap((step) => step.messages)).toEqual([]);
  });

  const RUNNING = [DRAFT, { ...PREVIEW, status: 'running', result: 'pending' }];
  const QUEUED = [DRAFT, { ...PREVIEW, status: 'Queued' }];
  const LIVE_NOW = [{ ...LIVE, id: PREVIEW_ID }, PREVIEW];
  const FAILED = [DRAFT, { ...PREVIEW, result: 'failed' }];
  test.each([
    ['waitingForPublisherReview', 'review', { kind: 'review' }, SAMPLE.value],
    ['waitingForPublisherReview', 'completion', undefined, SAMPLE.value],
    ['running', 'completion', undefined, RUNNING],
    ['Queued', 'completion', undefined, QUEUED],
    ['Queued', 'review', undefined, QUEUED],
    ['succeeded', 'completion', { kind: 'end-state', status: 'succeeded' }, LIVE_NOW],
    ['failed', 'completion', { kind: 'fail-on', status: 'failed' }, FAILED],
    ['neverPublished', 'completion', { kind: 'fail-on', status: 'neverPublished' }, [DRAFT]],
  ] as const)(
    'status %s with wait-until %s: the wait ends as %j',
    (status, waitUntil, end, items) => {
      const s = submissionsToSnapshot(entries(...items));
      expect(s.status).toBe(status);
      expect(decide(s, rules(waitUntil))).toEqual(end);
    },
  );

  // Status words are looked up in plain object literals, so a word that names an
  // Object.prototype member ('constructor') is "found" and read as a known phase.
  test('a status word that names an Object.prototype member is unknown too', () => {
    const s = submissionsToSnapshot(
      entries(DRAFT, { ...PREVIEW, status: 'constructor', result: 'pending' }),
    );
    expect(s.reported).toEqual({ value: 'constructor', known: false });
    expect(s.steps[0]!.status).toBe('constructor');
  });
});

/** `GET configure/{jobId}/status`, as the notes' sample. */
const JOB = {
  $schema: 'https://schema.mp.microsoft.com/schema/configure-status/2022-07-01',
  jobId: 'b3f49dff-381a-4a8a-9c4b-1e2d3c4b5a69',
  jobStatus: 'completed',
  jobResult: 'succeeded',
  jobStart: '2021-12-21T21:29:54.97Z',
  jobEnd: '2021-12-21T21:30:10.36Z',
  resourceUri: 'https://graph.microsoft.com/rp/product-ingestion/configure/b3f4',
  errors: [],
};

function job(fields: object) {
  return jobToSnapshot(v.parse(JobSchema, { ...JOB, ...fields }));
}

describe('jobToSnapshot', () => {
  test.each([
    ['notStarted', 'pending', 'notStarted', true, 'notStarted'],
    ['running', 'pending', 'running', true, 'inProgress'],
    ['completed', 'succeeded', 'succeeded', true, 'complete'],
    ['completed', 'failed', 'failed', true, 'failed'],
    ['completed', 'cancelled', 'canceled', true, 'canceled'],
    ['completed', 'canceled', 'canceled', true, 'canceled'],
    ['NotStarted', 'Pending', 'notStarted', true, 'notStarted'],
    ['Running', 'Pending', 'running', true, 'inProgress'],
    ['Completed', 'Succeeded', 'succeeded', true, 'complete'],
    ['Completed', 'Failed', 'failed', true, 'failed'],
    ['Completed', 'Cancelled', 'canceled', true, 'canceled'],
    ['Queued', 'pending', 'Queued', false, 'Queued'],
    ['completed', 'Skipped', 'Skipped', false, 'Skipped'],
  ])(
    'jobStatus %s, jobResult %s: reported %s (known %s), step %s',
    (jobStatus, jobResult, reported, known, stepStatus) => {
      const s = job({ jobStatus, jobResult });
      expect(s.reported).toEqual({ value: reported, known });
      expect(s.status).toBe(reported);
      expect(s.steps).toHaveLength(1);
      expect(s.steps[0]).toEqual({
        id: 'configure-job',
        name: 'Configure job',
        status: stepStatus,
        statusKnown: known,
        progress: stepStatus === 'complete' ? 100 : null,
        estimatedTimeFrame: 'started 2021-12-21T21:29:54.97Z',
        messages: [],
      });
      expect(s.messages).toEqual([]);
    },
  );

  test("the notes' sample, untouched, is a succeeded job", () => {
    const s = jobToSnapshot(v.parse(JobSchema, JOB));
    expect(shape(s)).toEqual({
      reported: { value: 'succeeded', known: true },
      status: 'succeeded',
      steps: [['configure-job', 'complete', true]],
    });
  });

  test.each([
    ['0001-01-01T00:00:00', ''],
    [null, ''],
    ['', ''],
    ['2021-12-21T21:29:54.97Z', 'started 2021-12-21T21:29:54.97Z'],
  ])('jobStart %j gives the time frame %j', (jobStart, frame) => {
    expect(
      job({ jobStatus: 'notStarted', jobResult: 'pending', jobStart }).steps[0]!.estimatedTimeFrame,
    ).toBe(frame);
  });

  test('an unknown job status is not an end, whatever wait-until says', () => {
    const s = job({ jobStatus: 'Queued', jobResult: 'pending' });
    expect(decide(s, rules('completion'))).toBeUndefined();
    expect(decide(s, rules('review'))).toBeUndefined();
  });

  test('errors become error messages of the configure-job step, parents first', () => {
    const s = job({
      jobResult: 'failed',
      errors: [
        {
          resourceId: `product/${GUID}`,
          code: 'invalidState',
          message: "The submission can't be published: see <details>.",
          details: [
            {
              resourceId: `plan/${GUID}/gen2`,
              code: 'invalidState',
              message: 'Certification of the VM image failed: the image did not boot.',
            },
          ],
        },
        { code: 'productLocked', message: 'An In Progress submission already exists.' },
      ],
    });
    expect(s.reported).toEqual({ value: 'failed', known: true });
    expect(s.steps.map((step) => step.id)).toEqual(['configure-job']);
    expect(s.steps[0]!.status).toBe('failed');
    expect(s.steps[0]!.messages.map((m) => [m.level, m.text, m.timestamp])).toEqual([
      [
        'error',
        `product/${GUID}: invalidState: The submission can't be published: see <details>.`,
        '',
      ],
      [
        'error',
        `Certification failed: plan/${GUID}/gen2: invalidState: Certification of the VM image failed: the image did not boot.`,
        '',
      ],
      ['error', 'productLocked: An In Progress submission already exists.', ''],
    ]);
    expect(s.messages).toEqual([]);
    expect(decide(s, rules('completion'))).toEqual({ kind: 'fail-on', status: 'failed' });
  });

  test('a job without errors (null) has no messages', () => {
    expect(job({ errors: null }).steps[0]!.messages).toEqual([]);
  });

  test('a job status that names an Object.prototype member is unknown too', () => {
    const s = job({ jobStatus: 'constructor', jobResult: 'pending' });
    expect(s.reported).toEqual({ value: 'constructor', known: false });
    expect(s.steps[0]!.status).toBe('constructor');
  });
});

describe('flattenErrors', () => {
  const nested = [
    {
      resourceId: 'product/p1',
      code: 'businessValidationError',
      message: 'The offer has errors.',
      details: [
        {
          resourceId: 'plan/p1/a',
          code: 'schemaValidationError',
          message: 'Plan a is invalid.',
          details: [{ resourceId: 'plan/p1/a/listing', code: 'conflict', message: 'Deep.' }],
        },
        { resourceId: 'plan/p1/b', code: 'conflict', message: 'Plan b conflicts.' },
      ],
    },
    { code: 'productLocked', message: 'Locked.' },
  ];

  test.each<[string, unknown[], string[]]>([
    ['no errors', [], []],
    [
      'one error with a resource id',
      [{ resourceId: 'product/p1', code: 'conflict', message: 'In use.' }],
      ['product/p1: conflict: In use.'],
    ],
    ['no resource id', [{ code: 'conflict', message: 'In use.' }], ['conflict: In use.']],
    ['only a message', [{ message: 'Something broke.' }], ['Something broke.']],
    [
      'nested details, depth first, parent before children',
      nested,
      [
        'product/p1: businessValidationError: The offer has errors.',
        'plan/p1/a: schemaValidationError: Plan a is invalid.',
        'plan/p1/a/listing: conflict: Deep.',
        'plan/p1/b: conflict: Plan b conflicts.',
        'productLocked: Locked.',
      ],
    ],
    [
      'an invalidState that mentions certification',
      [{ resourceId: 'product/p1', code: 'invalidState', message: 'Certification failed.' }],
      ['Certification failed: product/p1: invalidState: Certification failed.'],
    ],
    [
      'a PascalCase InvalidState that mentions certifying',
      [{ code: 'InvalidState', message: 'The image failed while certifying.' }],
      ['Certification failed: InvalidState: The image failed while certifying.'],
    ],
    [
      'only the detail that mentions certification is marked',
      [
        {
          code: 'invalidState',
          message: 'The submission is in an invalid state.',
          details: [{ code: 'invalidState', message: 'VM certification did not pass.' }],
        },
      ],
      [
        'invalidState: The submission is in an invalid state.',
        'Certification failed: invalidState: VM certification did not pass.',
      ],
    ],
    [
      'an invalidState without certification is not marked',
      [{ code: 'invalidState', message: 'The product is locked.' }],
      ['invalidState: The product is locked.'],
    ],
    [
      'certification under another code is not marked',
      [{ code: 'businessValidationError', message: 'Certification notes are missing.' }],
      ['businessValidationError: Certification notes are missing.'],
    ],
    [
      'entries that are not objects are skipped',
      [null, 'oops', 42, { code: 'conflict', message: 'Kept.' }],
      ['conflict: Kept.'],
    ],
    [
      'an entry with nothing to say still gives its details',
      [{ details: [{ code: 'conflict', message: 'Child.' }] }],
      ['conflict: Child.'],
    ],
    [
      'blanks and control characters are tidied',
      [{ resourceId: '  product/p1 ', code: 'conflict\u0007', message: 'Two\t\tspaces.  ' }],
      ['product/p1: conflict: Two spaces.'],
    ],
  ])('%s', (_name, errors, lines) => {
    expect(flattenErrors(errors)).toEqual(lines);
  });

  test('nesting is followed to a bounded depth', () => {
    let deep: Record<string, unknown> = { code: 'c10', message: 'm' };
    for (let i = 9; i >= 0; i--) deep = { code: `c${i}`, message: 'm', details: [deep] };
    expect(flattenErrors([deep])).toEqual(
      ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'].map((c) => `${c}: m`),
    );
  });

  test('at most 500 lines', () => {
    const many = Array.from({ length: 600 }, (_, i) => ({ code: 'conflict', message: `${i}` }));
    const lines = flattenErrors(many);
    expect(lines).toHaveLength(500);
    expect(lines[499]).toBe('conflict: 499');
  });
});

/** An entry without the named fields, as other clients' payloads show them. */
function without<T extends object>(entry: T, ...keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(entry).filter(([k]) => !keys.includes(k))) as Partial<T>;
}

describe('preview and live entries without a status (clients skip them)', () => {
  const RUNNING_PREVIEW = { ...PREVIEW, status: 'running', result: 'pending' };
  type Row = [string, object[], string, string | undefined, string | undefined];
  const table: Row[] = [
    // [name, entries, status, running entry's id, the read's subject]
    [
      'a preview entry with neither status nor result, beside the live one: live',
      [DRAFT, LIVE, without(PREVIEW, 'status', 'result')],
      'succeeded',
      undefined,
      LIVE_ID,
    ],
    [
      'a preview entry whose status is null: skipped the same',
      [DRAFT, LIVE, { ...PREVIEW, status: null, result: null }],
      'succeeded',
      undefined,
      LIVE_ID,
    ],
    [
      'a preview entry whose status is empty or only blanks: skipped the same',
      [DRAFT, LIVE, { ...PREVIEW, status: ' \n ' }],
      'succeeded',
      undefined,
      LIVE_ID,
    ],
    [
      'a live entry without status beside a ready preview: waiting for the publisher',
      [DRAFT, without(LIVE, 'status'), PREVIEW],
      'waitingForPublisherReview',
      undefined,
      PREVIEW_ID,
    ],
    [
      'only a draft and a status-less preview: never published',
      [DRAFT, without(PREVIEW, 'status', 'result', 'created')],
      'neverPublished',
      undefined,
      '',
    ],
    [
      'a status-less preview newer than a running one does not hide it',
      [
        DRAFT,
        RUNNING_PREVIEW,
        { ...without(PREVIEW, 'status'), id: NEXT_ID, created: '2023-01-01T00:00:00Z' },
      ],
      'running',
      PREVIEW_ID,
      PREVIEW_ID,
    ],
    [
      'a status-less live entry (a go-live the service has not taken up) is not a running publish',
      [DRAFT, LIVE, PREVIEW, { ...without(LIVE, 'status', 'result'), id: NEXT_ID }],
      'waitingForPublisherReview',
      undefined,
      PREVIEW_ID,
    ],
  ];
  test.each(table)('%s', (_name, items, status, running, preview) => {
    const list = entries(...items);
    expect(submissionsToSnapshot(list).status).toBe(status);
    expect(toPublications(list).find((p) => p.running)?.id).toBe(running);
    expect(submissionsToSnapshot(list).subject).toBe(preview);
    expect(submissionsToSnapshot(list).notices).toBeUndefined();
  });

  test('listedEntries: the preview and live entries with a status, in their order', () => {
    const list = entries(
      DRAFT,
      without(PREVIEW, 'status'),
      LIVE,
      { ...PREVIEW, id: NEXT_ID },
      { ...LIVE, target: { targetType: 'Draft' }, status: 'completed' },
    );
    expect(listedEntries(list).map((e) => e.id)).toEqual([LIVE_ID, NEXT_ID]);
  });
});

describe('entries without an id', () => {
  const NO_ID_PREVIEW =
    'A preview submission entry has no id: where it stands is read, but it cannot be named or pushed live.';
  const NO_ID_LIVE =
    'A live submission entry has no id: where it stands is read, but it cannot be named.';

  test.each([
    ['absent', without(PREVIEW, 'id')],
    ['null', { ...PREVIEW, id: null }],
    ['not text', { ...PREVIEW, id: 42 }],
    ['blank', { ...PREVIEW, id: ' \r\n ' }],
  ])('the schema reads an entry whose id is %s, without an id', (_name, entry) => {
    const [read] = entries(entry);
    expect(read!.id).toBeUndefined();
    expect(read!.status).toBe('completed');
  });

  type Row = [string, object[], string, string, string[]];
  const table: Row[] = [
    // [name, entries, status, subject, notices]
    [
      'a running preview without id: running, unnamed',
      [DRAFT, LIVE, { ...without(PREVIEW, 'id'), status: 'running', result: 'pending' }],
      'running',
      '',
      [NO_ID_PREVIEW],
    ],
    [
      'a ready preview without id, newer than live: waiting for the publisher, but nothing to push',
      [DRAFT, LIVE, without(PREVIEW, 'id')],
      'waitingForPublisherReview',
      '',
      [NO_ID_PREVIEW],
    ],
    [
      'a live entry without id, older than the preview: waiting for the publisher',
      [DRAFT, without(LIVE, 'id'), PREVIEW],
      'waitingForPublisherReview',
      PREVIEW_ID,
      [NO_ID_LIVE],
    ],
    [
      'a preview without id, as old as the live entry: the same submission, live',
      [DRAFT, { ...LIVE, id: PREVIEW_ID, created: PREVIEW.created }, without(PREVIEW, 'id')],
      'succeeded',
      PREVIEW_ID,
      [NO_ID_PREVIEW],
    ],
    [
      'two entries of one target without id: one notice',
      [
        DRAFT,
        without(LIVE, 'id', 'status'),
        without(PREVIEW, 'id'),
        { ...without(PREVIEW, 'id'), created: '2021-01-01T00:00:00Z' },
      ],
      'waitingForPublisherReview',
      '',
      [NO_ID_PREVIEW],
    ],
    [
      'both targets without id: undecided which is newer, so not live',
      [DRAFT, without(LIVE, 'id', 'created'), without(PREVIEW, 'id')],
      'waitingForPublisherReview',
      '',
      [NO_ID_LIVE, NO_ID_PREVIEW],
    ],
  ];
  test.each(table)('%s', (_name, items, status, subject, notices) => {
    const s = submissionsToSnapshot(entries(...items));
    expect(s.status).toBe(status);
    expect(s.subject).toBe(subject);
    expect(s.notices).toEqual(notices);
  });

  test('the step names the entry as having no id', () => {
    const s = submissionsToSnapshot(entries(DRAFT, without(PREVIEW, 'id')));
    expect(s.steps[0]!.detail).toBe('submission (no id), created 2022-02-04T20:07:22.4220588Z');
    expect(s.steps[0]!.messages).toEqual([]);
  });

  test('a running entry without id is still a running publish; it is never pushed live', () => {
    const list = entries(DRAFT, LIVE, { ...without(PREVIEW, 'id'), status: 'running' });
    expect(toPublications(list).find((p) => p.running)).toMatchObject({ id: '', kind: 'publish' });
    expect(submissionsToSnapshot(list).subject).toBe('');
  });

  test('an older preview with an id is not pushed live in place of a newer one without', () => {
    const older = { ...PREVIEW, created: '2021-06-01T00:00:00Z' };
    const list = entries(DRAFT, older, without(PREVIEW, 'id'));
    expect(submissionsToSnapshot(list).subject).toBe('');
  });

  test('toPublications: keyed by target and id, so a go-live of a preview is new', () => {
    const before = toPublications(entries(DRAFT, LIVE, PREVIEW)).map((p) => p.key);
    const after = toPublications(
      entries(DRAFT, PREVIEW, { ...LIVE, id: PREVIEW_ID, status: 'running', result: 'pending' }),
    );
    const fresh = after.filter((p) => !before.includes(p.key));
    expect(fresh).toEqual([
      expect.objectContaining({ id: PREVIEW_ID, kind: 'go-live', running: true }),
    ]);
  });
});

/** The docs' samples as the simulator holds them (`simulator/fixtures/ingestion/`). */
const fixture = (name: string): unknown =>
  JSON.parse(
    readFileSync(new URL(`../../simulator/fixtures/ingestion/${name}`, import.meta.url), 'utf8'),
  );
const DOCS = v.parse(SubmissionsSchema, fixture('submissions.json')).value;
const DOCS_JOB = v.parse(JobSchema, fixture('job.json'));
const [DOCS_DRAFT, DOCS_LIVE, DOCS_PREVIEW] = DOCS as [Submission, Submission, Submission];
const DOCS_GUID = String(DOCS_PREVIEW.product).replace(/^product\//, '');
const OVERVIEW = `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${DOCS_GUID}/overview`;

describe("after this step's go-live: never back at the sign-off, nor at notStarted", () => {
  const goLiveOf = DOCS_PREVIEW.id!;
  /** The read at the sign-off the go-live was sent from. */
  const signoff = submissionsToSnapshot(DOCS);
  const previewDetail = `${goLiveOf}, created ${DOCS_PREVIEW.created}`;
  const goingLive = {
    ...DOCS_PREVIEW,
    target: { targetType: 'live' },
    status: 'running',
    result: 'pending',
  };
  type Row = [string, Submission[], string | undefined, string, [string, string, string]];
  const table: Row[] = [
    // [name, entries, the preview asked to go live, status, steps]
    [
      "the docs' sample, no go-live asked: waiting for the publisher",
      DOCS,
      undefined,
      'waitingForPublisherReview',
      ['complete', 'waitingForPublisherReview', 'notStarted'],
    ],
    [
      "the docs' sample after the go-live of its preview (live entry not listed yet): going live",
      DOCS,
      goLiveOf,
      'running',
      ['complete', 'complete', 'inProgress'],
    ],
    [
      'the same without the old live entry: going live',
      [DOCS_DRAFT, DOCS_PREVIEW],
      goLiveOf,
      'running',
      ['complete', 'complete', 'inProgress'],
    ],
    [
      'another preview at its sign-off than the one asked to go live: waiting for the publisher',
      [DOCS_DRAFT, DOCS_LIVE, { ...DOCS_PREVIEW, id: `${goLiveOf}9` }],
      goLiveOf,
      'waitingForPublisherReview',
      ['complete', 'waitingForPublisherReview', 'notStarted'],
    ],
    [
      'the live entry listed, running: going live',
      [...DOCS, goingLive],
      goLiveOf,
      'running',
      ['complete', 'complete', 'inProgress'],
    ],
    [
      'the live entry listed, succeeded: live',
      [DOCS_DRAFT, { ...DOCS_LIVE, id: goLiveOf }, DOCS_PREVIEW],
      goLiveOf,
      'succeeded',
      ['complete', 'complete', 'complete'],
    ],
    [
      'a failed preview is not made to go live',
      [DOCS_DRAFT, DOCS_LIVE, { ...DOCS_PREVIEW, result: 'failed' }],
      goLiveOf,
      'failed',
      ['failed', 'notStarted', 'notStarted'],
    ],
  ];
  test.each(table)('%s', (_name, items, asked, status, steps) => {
    const s = submissionsToSnapshot(items, asked ? { goLiveOf: asked } : {});
    expect(s.status).toBe(status);
    expect(s.reported).toEqual({ value: status, known: true });
    expect(s.steps.map((step) => step.status)).toEqual(steps);
    expect(s.subject).toBe(items.find((e) => e.id !== DOCS_LIVE.id && e.status)!.id);
    expect(s.steps.flatMap((step) => step.messages)).toEqual([]);
  });

  type JobRow = [string, object, string, string, string[]];
  const jobs: JobRow[] = [
    // [name, job fields over the docs' sample, status, live step, its messages]
    [
      'notStarted (as a configure request answers): going live',
      { jobStatus: 'notStarted', jobResult: 'pending', jobStart: '0001-01-01T00:00:00' },
      'running',
      'inProgress',
      [],
    ],
    [
      'running: going live',
      { jobStatus: 'running', jobResult: 'pending' },
      'running',
      'inProgress',
      [],
    ],
    ["succeeded (the docs' sample): still going live", {}, 'running', 'inProgress', []],
    [
      'failed: the live step fails, with the errors',
      { jobResult: 'failed', errors: [{ code: 'businessValidationError', message: 'No.' }] },
      'failed',
      'failed',
      ['businessValidationError: No.'],
    ],
    ['cancelled: canceled', { jobResult: 'cancelled' }, 'canceled', 'canceled', []],
  ];
  test.each(jobs)('the go-live job %s', (_name, fields, status, live, messages) => {
    const s = goLiveJobToSnapshot(
      v.parse(JobSchema, { ...(fixture('job.json') as object), ...fields }),
      signoff,
      {
        offerUrl: OVERVIEW,
      },
    );
    expect(s.status).toBe(status);
    expect(s.steps.map((step) => [step.id, step.status])).toEqual([
      ['preview', 'complete'],
      ['publisher-signoff', 'complete'],
      ['live', live],
    ]);
    expect(s.steps[0]!.detail).toBe(previewDetail);
    expect(s.steps[2]!.detail).toMatch(new RegExp(`^configure job ${DOCS_JOB.jobId}`));
    expect(s.steps[2]!.messages.map((m) => m.text)).toEqual(messages);
    expect(s.subject).toBe(DOCS_JOB.jobId);
    expect(s.offerUrl).toBe(OVERVIEW);
  });

  test("the job's detail says when it started, once it has", () => {
    expect(goLiveJobToSnapshot(DOCS_JOB, signoff).steps[2]!.detail).toBe(
      `configure job ${DOCS_JOB.jobId}, started 2021-12-21T21:29:54.97Z`,
    );
    const waiting = v.parse(JobSchema, {
      ...(fixture('job.json') as object),
      jobStart: '0001-01-01T00:00:00',
    });
    expect(goLiveJobToSnapshot(waiting, signoff).steps[2]!.detail).toBe(
      `configure job ${DOCS_JOB.jobId}`,
    );
  });

  test('the log of a go-live: sign-off, the job going live, the live entry; never backwards', () => {
    const job = (fields: object) =>
      goLiveJobToSnapshot(
        v.parse(JobSchema, { ...(fixture('job.json') as object), ...fields }),
        signoff,
      );
    const reads = [
      submissionsToSnapshot(DOCS),
      job({ jobStatus: 'notStarted', jobResult: 'pending', jobStart: '0001-01-01T00:00:00' }),
      job({ jobStatus: 'running', jobResult: 'pending' }),
      submissionsToSnapshot(DOCS, { goLiveOf }),
      submissionsToSnapshot([...DOCS, goingLive], { goLiveOf }),
      submissionsToSnapshot([DOCS_DRAFT, { ...DOCS_LIVE, id: goLiveOf }, DOCS_PREVIEW], {
        goLiveOf,
      }),
    ];
    const statuses = reads.map((r) => r.status);
    expect(statuses).toEqual([
      'waitingForPublisherReview',
      'running',
      'running',
      'running',
      'running',
      'succeeded',
    ]);
    const log = reads.map((r, i) => changeLines(reads[i - 1], r));
    expect(log[1]).toEqual([
      '⏳ Status: waitingForPublisherReview → running',
      '  ✅ Publisher sign-off: waitingForPublisherReview → complete, progress – → 100%',
      `  ⏳ Live: notStarted → inProgress [configure job ${DOCS_JOB.jobId}]`,
    ]);
    expect(log.flat().join('\n')).not.toMatch(/new step|notStarted$|→ waitingForPublisherReview/);
  });
});

describe("the offer's Partner Center page", () => {
  test('offerOverviewUrl: the overview of the product, by its GUID', () => {
    expect(offerOverviewUrl(DOCS_GUID)).toBe(OVERVIEW);
  });

  test.each<[string, Submission[]]>([
    ["at the sign-off (the docs' sample)", DOCS],
    ['certifying', [DOCS_DRAFT, { ...DOCS_PREVIEW, status: 'running', result: 'pending' }]],
    ['only a draft', [DOCS_DRAFT]],
  ])('%s: the snapshot carries it; it is no preview link', (_name, items) => {
    const s = submissionsToSnapshot(items, { offerUrl: OVERVIEW });
    expect(s.offerUrl).toBe(OVERVIEW);
    expect(s.previewLinks).toEqual([]);
    expect(s.liveLinks).toEqual([]);
  });

  test('unknown (the product not looked up): absent', () => {
    expect(submissionsToSnapshot(DOCS)).not.toHaveProperty('offerUrl');
    expect(jobToSnapshot(DOCS_JOB)).not.toHaveProperty('offerUrl');
    expect(jobToSnapshot(DOCS_JOB, { offerUrl: OVERVIEW }).offerUrl).toBe(OVERVIEW);
  });
});

describe('the log of a publish on product-ingestion', () => {
  test('steps named once; the configure job, then the submissions, each a fresh picture', () => {
    const certifying = { ...DOCS_PREVIEW, status: 'running', result: 'pending' };
    const reads = [
      jobToSnapshot(
        v.parse(JobSchema, {
          ...(fixture('job.json') as object),
          jobStatus: 'running',
          jobResult: 'pending',
        }),
      ),
      submissionsToSnapshot([DOCS_DRAFT, DOCS_LIVE, certifying]),
      submissionsToSnapshot(DOCS),
    ];
    const log = reads.map((r, i) => changeLines(reads[i - 1], r));
    const detail = `${DOCS_PREVIEW.id}, created ${DOCS_PREVIEW.created}`;
    expect(log).toEqual([
      ['⏳ Status: running', '  ⏳ Configure job: inProgress [started 2021-12-21T21:29:54.97Z]'],
      [
        '⏳ Status: running',
        `  ⏳ Preview: inProgress [${detail}]`,
        '  ⚪ Publisher sign-off: notStarted',
        '  ⚪ Live: notStarted',
      ],
      [
        '👀 Status: running → waitingForPublisherReview',
        '  ✅ Preview: inProgress → complete, progress – → 100%',
        '  👀 Publisher sign-off: notStarted → waitingForPublisherReview',
      ],
    ]);
  });
});
