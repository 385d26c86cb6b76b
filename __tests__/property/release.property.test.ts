/**
 * The change path's rules as invariants (product-ingestion), under random service states, inputs
 * and faults: a publish running, at its sign-off, failed, live or never published; the draft
 * edited elsewhere before or during the step; change inputs or not (a new version, or one the
 * draft holds already); `publish`/`go-live`/`preview-id`; lost answers to the change; validation
 * errors whose words sound like a conflict; a re-run of the same inputs.
 *
 * Checked for every case: at most one change request and one publish the service started per step;
 * no publish before its change's job succeeded (the preview carries the change); no configure that
 * carries a submission with other resources; nothing sent in a dry run, and the dry run's `plan`
 * equal to the real run's on the same state; no version or field of the draft lost; no SAS in the
 * log, the summary or the outputs; a go-live only for the preview the plan names; a re-run starts
 * no second publish of the same draft.
 *
 * `PROPERTY_RUNS=2000 npm test -- __tests__/property` runs more; a failure prints its seed, and
 * `PROPERTY_SEED=<seed>` replays it.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { Resource, WriteFault } from '../../simulator/common.js';
import { RESOURCE_IDS } from '../../simulator/ingestion-scenarios.js';
import { propertyRuns } from '../unit/helpers.js';
import { runStep, startBench, tree, type SimCase, type StepResult } from './harness.js';

const TENANT = '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95';
const GALLERY = (image: string) =>
  `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/${image}/versions/1.4.0`;
const SAS =
  'https://contosoimages.blob.core.windows.net/vhds/contoso-vm-1.4.0.vhd?sv=2024-08-04&sr=b&sig=Pr0pS3cr3t%3D';
const TC = RESOURCE_IDS.technicalConfigurations;

/** The states of the product before the step (the simulator's scenarios). */
const SCENARIOS = [
  'draft-only',
  'live',
  'previous-preview-at-signoff',
  'publish-to-signoff',
  'stuck-in-certification',
  'certification-failed',
] as const;

const CHANGE_FAULTS: WriteFault[] = [
  'accept',
  'drop-after-acting',
  '500-after-acting',
  '503-before-acting',
  '429-once',
];

interface Case {
  scenario: (typeof SCENARIOS)[number];
  publish: boolean;
  goLive: boolean;
  /** `none`; a new version (of gallery images, or a SAS VHD); the version the draft has already. */
  change: 'none' | 'version' | 'version-sas' | 'version-there';
  /** The listing edited in Partner Center before the step. */
  editedBefore: boolean;
  /** An edit made in Partner Center while the step runs, at this request. */
  editDuring: number | null;
  /** `preview-id`: the latest preview's id, another one, or none (only a go-live without publish). */
  pin: 'none' | 'latest' | 'wrong';
  changeFaults: WriteFault[];
  /** The change refused with words that sound like a conflict, or with a lock. */
  refusal: null | 'sounds-like-conflict' | 'locked';
  publishOutcome: 'review' | 'fails';
  lagMs: number;
  failingReads: number[];
}

const cases: fc.Arbitrary<Case> = fc.record({
  scenario: fc.constantFrom(...SCENARIOS),
  publish: fc.boolean(),
  goLive: fc.boolean(),
  change: fc.constantFrom<Case['change']>('none', 'version', 'version-sas', 'version-there'),
  editedBefore: fc.boolean(),
  editDuring: fc.option(fc.integer({ min: 3, max: 20 }), { freq: 3 }),
  pin: fc.constantFrom<Case['pin']>('none', 'latest', 'wrong'),
  changeFaults: fc.array(fc.constantFrom(...CHANGE_FAULTS), { maxLength: 2 }),
  refusal: fc.constantFrom<Case['refusal']>(null, null, null, 'sounds-like-conflict', 'locked'),
  publishOutcome: fc.constantFrom<Case['publishOutcome']>('review', 'review', 'fails'),
  lagMs: fc.integer({ min: 0, max: 55_000 }),
  failingReads: fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 3 }),
});

function inputsOf(c: Case, latestPreview: string): Record<string, string> {
  const inputs: Record<string, string> = {
    publish: String(c.publish),
    'go-live': String(c.goLive),
    'wait-until': 'review',
  };
  if (c.change !== 'none') {
    Object.assign(inputs, {
      'plan-id': 'gen2, gen1',
      'vm-image-version': c.change === 'version-there' ? '1.3.0' : '1.4.0',
      'tenant-id': TENANT,
      'vm-image':
        c.change === 'version-there'
          ? `x64Gen2=${EXISTING_GEN2}`
          : c.change === 'version-sas'
            ? `x64Gen1=${SAS}`
            : `x64Gen2=${GALLERY('contoso-vm')}\nx64Gen1=${GALLERY('contoso-vm-gen1')}`,
    });
    // 1.3.0 is in gen2 only (gen1's has another image): ask for gen2 alone.
    if (c.change === 'version-there') inputs['plan-id'] = 'gen2';
  }
  // preview-id pins a go-live job (no publish, one offer).
  if (c.goLive && !c.publish && c.pin !== 'none') {
    inputs['preview-id'] =
      c.pin === 'latest' ? latestPreview : `${latestPreview.replace(/\d+$/, '')}1`;
  }
  return inputs;
}

const EXISTING_GEN2 =
  '/subscriptions/0c6f2a8e-4d1b-4a7e-9c3f-5b8d2e6a1f70/resourceGroups/contoso-images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/1.3.0';

const editListing = (title: string) => (draft: Resource[]) => {
  const listing = draft.find((r) => r.id === RESOURCE_IDS.listing);
  if (listing) listing.title = title;
};

function simCase(c: Case): SimCase {
  const refusal =
    c.refusal === 'sounds-like-conflict'
      ? {
          code: 'businessValidationError',
          // Words that sound like a conflict; a SAS VHD's address echoed with its signature.
          message: `Image version 1.4.0 already exists; a submission is in progress (conflict).${
            c.change === 'version-sas' ? ` The VHD ${SAS} is in use.` : ''
          }`,
          resourceId: TC.gen2,
        }
      : c.refusal === 'locked'
        ? { code: 'productLocked', message: 'The product is locked by a submission in progress.' }
        : undefined;
  return {
    api: 'product-ingestion',
    scenario: c.scenario,
    changeFaults: c.changeFaults,
    publishOutcome: c.publishOutcome,
    lagMs: c.lagMs,
    failingReads: c.failingReads,
    ...(refusal ? { changeRefusal: refusal } : {}),
    ...(c.editDuring !== null
      ? { editAt: { request: c.editDuring, edit: editListing('Edited during the step') } }
      : {}),
  };
}

/** Every version number of each technical configuration, and every field of each resource. */
function keepsOf(draft: Resource[]): string[] {
  return draft.flatMap((r) => [
    ...Object.keys(r)
      .filter((k) => k !== 'validations')
      .map((k) => `${String(r.id)}#${k}`),
    ...((r.vmImageVersions as { versionNumber: string }[] | undefined) ?? []).map(
      (v) => `${String(r.id)}@${v.versionNumber}`,
    ),
  ]);
}

const versionsIn = (resources: Resource[], id: string) =>
  ((resources.find((r) => r.id === id)?.vmImageVersions ?? []) as { versionNumber: string }[]).map(
    (v) => v.versionNumber,
  );

/** Everything the step said where a person or a workflow reads it, masks aside. */
const shown = (step: StepResult) =>
  [
    ...step.said.lines,
    step.said.summary,
    step.said.failed ?? '',
    JSON.stringify(step.said.outputs),
  ].join('\n');

/** The step's requests on the simulator. */
const own = (
  bench: { sim: { requests: { method: string; path: string; body?: string }[] } },
  step: StepResult,
) => bench.sim.requests.slice(step.from);

async function stepOn(c: Case, dryRun: boolean) {
  const bench = await startBench(simCase(c));
  try {
    if (c.editedBefore) {
      (bench.sim as import('../../simulator/common.js').IngestionSimulator).editDraft(
        editListing('Edited in Partner Center'),
      );
    }
    const before = keepsOf(await tree(bench.sim, 'draft'));
    const listed = (await (
      await fetch(
        `${bench.sim.url}/submission/e6b2b49b-5f0a-4f53-9a0c-bd8c3d4b4a39?$version=2022-07-01`,
        {
          headers: { authorization: `Bearer ${bench.sim.token}` },
        },
      )
    ).json()) as { value: { id: string; target: { targetType: string } }[] };
    const latestPreview =
      listed.value.filter((e) => e.target.targetType === 'preview').at(-1)?.id ??
      'submission/e6b2b49b-5f0a-4f53-9a0c-bd8c3d4b4a39/1152921515689848683';
    const inputs = { ...inputsOf(c, latestPreview), 'dry-run': String(dryRun) };
    const first = await runStep(bench, inputs);
    const draftAfterFirst = await tree(bench.sim, 'draft');
    const previewAfterFirst = await tree(bench.sim, 'preview');
    const startedAfterFirst = bench.sim.writesStarted().length;
    // A re-run of the same inputs, as a release engineer does after any failure.
    const again = dryRun ? undefined : await runStep(bench, inputs);
    return {
      bench,
      first,
      again,
      before,
      draftAfterFirst,
      previewAfterFirst,
      startedAfterFirst,
      latestPreview,
    };
  } finally {
    await bench.close();
  }
}

describe('the change path holds under random states, inputs and faults', () => {
  test('product-ingestion: plan, change, publish, go-live, re-run', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const real = await stepOn(c, false);
        const dry = await stepOn(c, true);
        const { bench, first } = real;
        const firstRequests = own(bench, first);
        const started = bench.sim.writesStarted().slice(0, real.startedAfterFirst);
        const configures = started.filter((w) => w.kind === 'configure');
        const publishes = started.filter((w) => w.kind === 'publish');
        const goLives = started.filter((w) => w.kind === 'go-live');

        // Nothing sent in a dry run; its plan is the real run's (no edit came during the step).
        expect(own(dry.bench, dry.first).filter((r) => r.method !== 'GET')).toEqual([]);
        if (c.editDuring === null || dry.first.outcome.release === undefined) {
          expect(first.outcome.release).toEqual(dry.first.outcome.release);
        }
        // The service refused nothing but what the test made it refuse.
        const injected = c.refusal ? ['configure'] : [];
        expect(
          bench.sim
            .writesRefused()
            .map((w) => w.kind)
            .filter((k) => !injected.includes(k)),
        ).toEqual([]);
        // Never a cancel.
        expect(bench.sim.requests.filter((r) => /\/cancel$/.test(r.path))).toEqual([]);
        // At most one change and one publish per step.
        expect(configures.length).toBeLessThanOrEqual(1);
        expect(publishes.length).toBeLessThanOrEqual(1);
        // Never a configure that carries a submission with other resources (no modular publish).
        for (const r of firstRequests.filter((q) => q.method === 'POST')) {
          const resources =
            (JSON.parse(r.body ?? '{}') as { resources?: Resource[] }).resources ?? [];
          const submissions = resources.filter((x) => String(x.$schema).includes('/submission/'));
          if (submissions.length > 0) expect(resources).toHaveLength(1);
        }
        // No publish before its change's job succeeded: the preview carries the change.
        if (
          configures.length === 1 &&
          publishes.length === 1 &&
          publishes[0]!.at >= configures[0]!.at
        ) {
          for (const id of configures[0]!.resourceIds ?? []) {
            if (id === TC.gen2 || id === TC.gen1) {
              expect(versionsIn(real.previewAfterFirst, id)).toContain('1.4.0');
            }
          }
        }
        // A refused change publishes nothing, and fails the step (a lock is followed, never
        // published over).
        if (
          c.refusal &&
          configures.length === 0 &&
          c.change !== 'none' &&
          c.change !== 'version-there'
        ) {
          expect(publishes).toEqual([]);
        }
        // (A refusal whose answer was lost is not known to the step: it looks, and sends again.)
        const answered = c.changeFaults.every((f) => !/after-acting/.test(f));
        if (
          c.refusal === 'sounds-like-conflict' &&
          answered &&
          first.outcome.release?.configure.length
        ) {
          expect(first.outcome.failed).toBe(true);
          expect(publishes).toEqual([]);
        }
        // No version or field of the draft lost (edits made during the step included).
        const after = new Set(keepsOf(real.draftAfterFirst));
        for (const kept of real.before) expect(after).toContain(kept);
        // No SAS in the log, the summary or the outputs.
        for (const step of [first, dry.first, real.again].filter((s) => s !== undefined)) {
          expect(shown(step)).not.toMatch(/sig=|Pr0pS3cr3t/);
        }
        // A go-live only when the plan sends one, for the preview it names, at most one.
        expect(goLives.length).toBeLessThanOrEqual(1);
        if (goLives.length > 0) {
          expect(c.goLive).toBe(true);
          expect(first.outcome.release?.goLive).toBe('send');
          const previewId = goLives[0]!.previewId;
          if (publishes.length > 0) expect(previewId).toBe(publishes[0]!.id);
          else {
            expect(previewId).toBe(real.latestPreview);
            // A preview this step did not start goes live only when it holds the change.
            if (c.change === 'version' || c.change === 'version-sas') {
              expect(versionsIn(real.previewAfterFirst, TC.gen1)).toContain('1.4.0');
            }
          }
          if (c.pin !== 'none' && !c.publish) {
            expect(c.pin).toBe('latest');
            expect(previewId).toBe(real.latestPreview);
          }
        }
        // A wrong pin sends nothing and fails.
        if (c.goLive && !c.publish && c.pin === 'wrong') {
          expect(firstRequests.filter((r) => r.method === 'POST')).toEqual([]);
          expect(first.outcome.failed).toBe(true);
        }
        // A re-run of the same inputs starts no second publish of a draft already published (a
        // failed preview, or a change that did not land the first time, is due again).
        if (real.again) {
          const rerun = bench.sim.writesStarted().slice(real.startedAfterFirst);
          const failedPreview =
            c.publishOutcome === 'fails' || c.scenario === 'certification-failed';
          if (publishes.length === 1 && !failedPreview && c.editDuring === null) {
            expect(rerun.filter((w) => w.kind === 'publish')).toEqual([]);
          }
          expect(rerun.filter((w) => w.kind === 'configure').length).toBeLessThanOrEqual(1);
        }
        // Ends by its deadline.
        expect(first.endedAt).toBeLessThanOrEqual(first.deadline + 1_000);
      }),
      {
        numRuns: propertyRuns(120),
        ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED) } : {}),
      },
    );
  }, 900_000);
});
