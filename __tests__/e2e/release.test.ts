/**
 * The change you can trust (product-ingestion), end to end: the action (in-process, harness.ts)
 * against the simulator, one test per way the change path used to fail a release engineer who adds
 * a VM image version to a Gen1 and a Gen2 plan and publishes. The simulator refuses what the
 * service refuses (a modular publish that is not complete, a change while a submission holds the
 * product), applies a change only once its job has succeeded, and serves what each preview carried.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import type { IngestionSimulator, Resource, Simulator } from '../../simulator/common.js';
import { startFakeGitHub } from '../../simulator/github-server.js';
import { RESOURCE_IDS } from '../../simulator/ingestion-scenarios.js';
import { failure, runAgainstSimulator, withSimulator, type Run } from './harness.js';

const TENANT = '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95';
const gallery = (image: string, version = '1.4.0') =>
  `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/${image}/versions/${version}`;
const GEN2_IMAGE = gallery('contoso-vm');
const GEN1_IMAGE = gallery('contoso-vm-gen1');
const TC = RESOURCE_IDS.technicalConfigurations;

/** The change a release engineer asks: version 1.4.0 of both images, in both plans. */
const CHANGE = {
  'plan-id': 'gen2, gen1',
  'vm-image-version': '1.4.0',
  'vm-image': `x64Gen2=${GEN2_IMAGE}\nx64Gen1=${GEN1_IMAGE}`,
  'tenant-id': TENANT,
};

const ingestion = (scenario: string, o: Record<string, unknown> = {}) =>
  ({ api: 'product-ingestion', scenario, ...o }) as Parameters<typeof runAgainstSimulator>[0];

/** Each configure request's resources, by schema type (`submission`, …), in order. */
function configures(run: Run): string[][] {
  return run.sim.requests
    .filter((r) => r.method === 'POST' && r.path.endsWith('/configure'))
    .map((r) =>
      (JSON.parse(r.body ?? '{}') as { resources: { $schema: string }[] }).resources.map(
        (x) => x.$schema.split('/schema/')[1]!.split('/')[0]!,
      ),
    );
}
const plan = (run: Run) => JSON.parse(run.outputs.plan ?? '{}')[run.sim.offerId];
const versions = (resources: Resource[], id: string) =>
  ((resources.find((r) => r.id === id)?.vmImageVersions ?? []) as { versionNumber: string }[]).map(
    (v) => v.versionNumber,
  );
/** What the service serves for a target, read as a client would. */
async function tree(sim: Simulator, target: 'draft' | 'preview' | 'live'): Promise<Resource[]> {
  const url = `${sim.url}/resource-tree/product/${RESOURCE_IDS.product.slice('product/'.length)}?targetType=${target}&$version=2022-07-01`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${sim.token}` } });
  return ((await res.json()) as { resources: Resource[] }).resources;
}
const asIngestion = (sim: Simulator) => sim as IngestionSimulator;

const workspace = mkdtempSync(join(tmpdir(), 'release-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** The README's first workflow's step (`name: release-offer`, job `publish`), as a user copies it. */
function readmeRelease(): Record<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const [, block] of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const workflow = parse(block!) as {
      jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const step = workflow?.jobs?.publish?.steps?.find((s) =>
      s.uses?.includes('azure-marketplace-release'),
    );
    if (step?.with && 'vm-image' in step.with) {
      return Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, String(v)]));
    }
  }
  throw new Error('The README has no release workflow with a vm-image step.');
}

describe("the README's first workflow, as written", () => {
  test('a gen2 and a gen1 plan, an x64Gen2 and an x64Gen1 image: each image to the plans that take it', async () => {
    const step = readmeRelease();
    const expressions: Record<string, string> = {
      'needs.image.outputs.gen2-version-id': GEN2_IMAGE,
      'needs.image.outputs.gen1-version-id': GEN1_IMAGE,
      "github.event_name == 'pull_request'": 'false',
      'vars.AZURE_TENANT_ID': TENANT,
      'vars.AZURE_CLIENT_ID': '',
    };
    const inputs = Object.fromEntries(
      Object.entries(step).map(([k, v]) => [
        k,
        v.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => {
          if (!(e in expressions)) throw new Error(`The README's step uses \${{ ${e} }}`);
          return expressions[e]!;
        }),
      ]),
    );
    // The simulator's token and address instead of Entra and GitHub; everything else as written.
    const { track: _track, 'client-id': _client, ...asWritten } = inputs;
    const run = await runAgainstSimulator(ingestion('live'), asWritten);
    expect(run.exitCode).toBe(0);
    expect(configures(run)).toEqual([
      [
        'virtual-machine-plan-technical-configuration',
        'virtual-machine-plan-technical-configuration',
      ],
      ['submission'],
    ]);
    const draft = asIngestion(run.sim).draft();
    const images = (id: string) =>
      (
        draft.find((r) => r.id === id)!.vmImageVersions as {
          versionNumber: string;
          vmImages: { imageType: string }[];
        }[]
      )
        .find((v) => v.versionNumber === '1.4.0')!
        .vmImages.map((i) => i.imageType)
        .sort();
    // gen2's skus take both image types, gen1's only x64Gen1.
    expect(images(TC.gen2)).toEqual(['x64Gen1', 'x64Gen2']);
    expect(images(TC.gen1)).toEqual(['x64Gen1']);
    expect(run.outputs.started).toBe('configure,publish');
    expect(plan(run)).toEqual({
      configure: [TC.gen2, TC.gen1],
      publish: 'start',
      goLive: 'none',
      pushes: ['plan gen1 version 1.4.0', 'plan gen2 version 1.4.0'],
    });
  });

  test('a plan that takes none of the images is an input error naming it, before any write', async () => {
    const run = await runAgainstSimulator(ingestion('live'), {
      ...CHANGE,
      'vm-image': `x64Gen2=${GEN2_IMAGE}`,
      publish: 'true',
    });
    expect(run.exitCode).toBe(1);
    expect(run.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(failure(run)).toMatch(
      /^Input 'vm-image': plan 'gen1' takes none of the images given: it takes x64Gen1/,
    );
  });
});

describe('the publish the service accepts', () => {
  test('the change alone, its job followed to success, then the submission alone: the preview carries the change', () =>
    withSimulator(ingestion('live'), async (sim, run) => {
      const r = await run({ ...CHANGE, publish: 'true', 'wait-until': 'review' });
      expect(r.exitCode).toBe(0);
      expect(configures(r)).toEqual([
        [
          'virtual-machine-plan-technical-configuration',
          'virtual-machine-plan-technical-configuration',
        ],
        ['submission'],
      ]);
      expect(sim.writesRefused()).toEqual([]);
      // The change's job was read to success before the submission was sent.
      const requests = r.sim.requests;
      const submission = requests.findIndex(
        (q) => q.method === 'POST' && q.body?.includes('/schema/submission/'),
      );
      const jobReads = requests
        .slice(0, submission)
        .filter((q) => /\/configure\/[^/]+\/status$/.test(q.path));
      expect(jobReads.length).toBeGreaterThan(0);
      expect(versions(await tree(sim, 'preview'), TC.gen2)).toEqual(['1.3.0', '1.4.0']);
      expect(versions(await tree(sim, 'preview'), TC.gen1)).toEqual(['1.3.0', '1.4.0']);
      expect(r.outputs.status).toBe('waitingForPublisherReview');
    }));

  test("a refused change publishes nothing; a validation error that sounds like a conflict is a refusal, in the user's words", async () => {
    const run = await runAgainstSimulator(
      ingestion('live', {
        changeRefusal: {
          code: 'businessValidationError',
          message: 'Image version 1.4.0 already exists',
          resourceId: TC.gen2,
        },
      }),
      { ...CHANGE, publish: 'true' },
    );
    expect(run.exitCode).toBe(1);
    expect(configures(run)).toEqual([
      [
        'virtual-machine-plan-technical-configuration',
        'virtual-machine-plan-technical-configuration',
      ],
    ]);
    expect(run.sim.writesStarted().filter((w) => w.kind === 'publish')).toEqual([]);
    expect(failure(run)).toMatch(/^The change was refused .*nothing was published/);
    expect(failure(run)).toMatch(
      /plan gen2, version 1\.4\.0: .*businessValidationError: Image version 1\.4\.0 already exists/,
    );
    // Never read as another publish running.
    expect(run.log).not.toMatch(/following the submission in progress/);
  });

  test('before publishing, the plan names what the draft holds besides this change', async () => {
    const run = await runAgainstSimulator(ingestion('live-with-draft-edits'), {
      ...CHANGE,
      publish: 'true',
      'dry-run': 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(plan(run).pushes).toEqual(
      expect.arrayContaining([
        'listing searchResultSummary',
        'plan gen1 price',
        'plan gen2 version 1.4.0',
      ]),
    );
    expect(run.log).toMatch(
      /This publish pushes: plan gen1 version 1\.4\.0, plan gen2 version 1\.4\.0; it also pushes, from the draft: listing searchResultSummary, plan gen1 price\./,
    );
  });
});

describe('re-runs finish the release', () => {
  test('after the preview is ready: no second publish, the go-live is sent, the release ends live', () =>
    withSimulator(ingestion('live'), async (sim, run) => {
      const first = await run({ ...CHANGE, publish: 'true', 'wait-until': 'review' });
      expect(first.outputs.status).toBe('waitingForPublisherReview');
      const again = await run({ ...CHANGE, publish: 'true', 'go-live': 'true' });
      expect(again.exitCode).toBe(0);
      expect(plan(again)).toEqual({ configure: [], publish: 'none', goLive: 'send', pushes: [] });
      expect(configures(again)).toEqual([['submission']]);
      expect(again.outputs.started).toBe('go-live');
      expect(again.outputs.status).toBe('succeeded');
      expect(sim.writesStarted().filter((w) => w.kind === 'publish')).toHaveLength(1);
      expect(sim.writesRefused()).toEqual([]);
    }));

  test('while its publish certifies: joined, never restarted, pushed live at its sign-off', () =>
    withSimulator(ingestion('live'), async (sim, run) => {
      await run({ ...CHANGE, publish: 'true', 'wait-until': 'none' });
      const again = await run({ ...CHANGE, publish: 'true', 'go-live': 'true' });
      expect(again.exitCode).toBe(0);
      expect(plan(again)).toMatchObject({ configure: [], publish: 'join', goLive: 'send' });
      expect(configures(again)).toEqual([['submission']]);
      expect(again.outputs.status).toBe('succeeded');
      expect(sim.writesStarted().filter((w) => w.kind === 'publish')).toHaveLength(1);
    }));

  test("a preview at its sign-off without this step's change: no go-live, exit 0, one warning, and the wait ends there", () =>
    withSimulator(ingestion('publish-to-signoff'), async (sim, run) => {
      // The draft holds the change already (an earlier run put it there); the preview that
      // certifies was started before that, and does not.
      asIngestion(sim).editDraft((draft) => {
        const image = (imageType: string, resourceId: string) => ({
          imageType,
          source: {
            sourceType: 'sharedImageGallery',
            sharedImage: { tenantId: TENANT, resourceId },
          },
        });
        const add = (id: string, images: unknown[]) =>
          (draft.find((r) => r.id === id)!.vmImageVersions as unknown[]).push({
            versionNumber: '1.4.0',
            vmImages: images,
          });
        add(TC.gen2, [image('x64Gen2', GEN2_IMAGE), image('x64Gen1', GEN1_IMAGE)]);
        add(TC.gen1, [image('x64Gen1', GEN1_IMAGE)]);
      });
      const r = await run({ ...CHANGE, publish: 'true', 'go-live': 'true', timeout: '20s' });
      expect(plan(r)).toMatchObject({ configure: [], publish: 'join', goLive: 'none' });
      expect(r.exitCode).toBe(0);
      expect(r.outputs['timed-out']).toBe('false');
      expect(r.outputs.status).toBe('waitingForPublisherReview');
      expect(configures(r)).toEqual([]);
      const warned = r.annotations.filter((a) => a.includes('The go-live was not sent'));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatch(
        /does not carry this step's change.*publish: true and go-live: true/,
      );
      expect(sim.writesStarted().filter((w) => w.kind === 'go-live')).toEqual([]);
    }));
});

describe('pin the reviewed preview', () => {
  test('preview-id names the preview at its sign-off; the go-live job pinned to it sends it', () =>
    withSimulator(ingestion('live'), async (sim, run) => {
      const preview = await run({ ...CHANGE, publish: 'true' });
      const id = preview.outputs['preview-id']!;
      expect(id).toMatch(/^submission\/e6b2b49b-[^/]+\/\d+$/);
      expect(JSON.parse(preview.outputs.offers!)[sim.offerId]['preview-id']).toBe(id);
      const goLive = await run({ 'go-live': 'true', 'preview-id': id, 'wait-until': 'completion' });
      expect(goLive.exitCode).toBe(0);
      expect(sim.writesStarted().filter((w) => w.kind === 'go-live')).toEqual([
        expect.objectContaining({ previewId: id }),
      ]);
      expect(goLive.outputs['preview-id']).toBe('');
    }));

  test("with track: deployment, the preview at its sign-off is in a deployment's payload", async () => {
    const github = await startFakeGitHub();
    try {
      const run = await runAgainstSimulator(
        ingestion('live'),
        { ...CHANGE, publish: 'true', track: 'deployment', 'github-token': github.token },
        {
          env: {
            GITHUB_API_URL: github.url,
            GITHUB_SHA: '9fceb02d0ae598e95dc970b74767f19372d61af8',
          },
        },
      );
      expect(run.exitCode).toBe(0);
      const id = run.outputs['preview-id']!;
      expect(id).not.toBe('');
      // The newest deployment names it; GitHub lists the newest first.
      expect(github.deployments[0]!.payload).toMatchObject({ 'preview-id': id });
    } finally {
      await github.close();
    }
  });

  test('another preview at the sign-off: nothing sent, exit 1, both ids named', async () => {
    const run = await runAgainstSimulator(ingestion('previous-preview-at-signoff'), {
      'go-live': 'true',
      'preview-id': 'submission/e6b2b49b-5f0a-4f53-9a0c-bd8c3d4b4a39/1',
    });
    expect(run.exitCode).toBe(1);
    expect(run.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(failure(run)).toMatch(
      /^The latest preview is submission\/\S+ \(waiting for the sign-off\), not submission\/e6b2b49b-5f0a-4f53-9a0c-bd8c3d4b4a39\/1 \(preview-id\)/,
    );
  });
});

describe('a dry run tells the truth', () => {
  test('while a publish runs: it predicts the wait, the change and the publish, and the real run does them', async () => {
    const inputs = { ...CHANGE, publish: 'true', 'wait-until': 'none' };
    const dry = await runAgainstSimulator(ingestion('publish-to-signoff'), {
      ...inputs,
      'dry-run': 'true',
    });
    expect(dry.exitCode).toBe(0);
    expect(dry.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(plan(dry)).toMatchObject({ publish: 'wait-then-start', goLive: 'none' });
    expect(dry.log).toMatch(
      /would send the change in its own configure request once no publish runs, then start a publish once the one that runs has ended/,
    );
    expect(dry.summary).toMatch(
      /^## 🔍 Dry run, nothing sent: contoso-vm — the real run would send the change \(2 resources\), then wait for the publish that runs to end, then start one/m,
    );
    const real = await runAgainstSimulator(ingestion('publish-to-signoff'), inputs);
    expect(plan(real)).toEqual(plan(dry));
    expect(configures(real)).toEqual([
      [
        'virtual-machine-plan-technical-configuration',
        'virtual-machine-plan-technical-configuration',
      ],
      ['submission'],
    ]);
    expect(real.sim.writesRefused()).toEqual([]);
  });
});

describe('resource files merge; they never drop', () => {
  test('a field left out is kept, null removes one, the plan shows exactly what changes', async () => {
    writeFileSync(
      join(workspace, 'listing.json'),
      JSON.stringify({
        $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
        id: RESOURCE_IDS.listing,
        title: 'Contoso VM (hardened)',
        shortDescription: null,
      }),
    );
    writeFileSync(
      join(workspace, 'plan-listing.json'),
      JSON.stringify({
        $schema: 'https://schema.mp.microsoft.com/schema/plan-listing/2022-07-01',
        id: RESOURCE_IDS.planListings.gen2,
        sumary: 'Gen2, hardened',
      }),
    );
    const run = await runAgainstSimulator(
      ingestion('live'),
      { resources: 'listing.json\nplan-listing.json', 'wait-until': 'none' },
      { env: { GITHUB_WORKSPACE: workspace } },
    );
    expect(run.exitCode).toBe(0);
    const sent = JSON.parse(run.sim.requests.find((r) => r.method === 'POST')!.body!) as {
      resources: Resource[];
    };
    const listing = sent.resources.find((r) => r.id === RESOURCE_IDS.listing)!;
    expect(listing.title).toBe('Contoso VM (hardened)');
    expect(listing.description).toEqual(expect.any(String));
    expect(listing.searchResultSummary).toEqual(expect.any(String));
    expect('shortDescription' in listing).toBe(false);
    expect(run.log).toMatch(
      /~ file listing\.json: listing '[^']+': title "Contoso VM" → "Contoso VM \(hardened\)"/,
    );
    expect(run.log).toMatch(
      /file listing\.json: listing '[^']+': shortDescription .* → \(removed\)/,
    );
    expect(run.log).not.toMatch(/file listing\.json: [^\n]*: description /);
    expect(run.annotations.join('\n')).toMatch(/'sumary' .*did you mean 'summary'/);
    const draft = asIngestion(run.sim)
      .draft()
      .find((r) => r.id === RESOURCE_IDS.listing)!;
    expect(draft.description).toEqual(listing.description);
  });
});

describe('read again before sending', () => {
  test('edits made during the wait are kept, and a version that appeared meanwhile is already there', async () => {
    let sim: IngestionSimulator | undefined;
    let submissionReads = 0;
    const run = await runAgainstSimulator(
      ingestion('publish-to-signoff', {
        intercept: (req: { method: string; path: string }) => {
          // While the change waits for the running publish, a person edits the draft.
          if (
            req.method === 'GET' &&
            req.path.startsWith('/submission/') &&
            ++submissionReads === 2
          ) {
            sim?.editDraft((draft) => {
              const gen2 = draft.find((r) => r.id === TC.gen2)!;
              gen2.recommendedVmSizes = ['Standard_D2s_v5'];
              const gen1 = draft.find((r) => r.id === TC.gen1)!;
              (gen1.vmImageVersions as unknown[]).push({
                versionNumber: '1.4.0',
                vmImages: [
                  {
                    imageType: 'x64Gen1',
                    source: {
                      sourceType: 'sharedImageGallery',
                      sharedImage: { tenantId: TENANT, resourceId: GEN1_IMAGE },
                    },
                  },
                ],
              });
            });
          }
          return undefined;
        },
      }),
      (s) => {
        sim = s as IngestionSimulator;
        return { ...CHANGE, publish: 'true', 'wait-until': 'none' };
      },
    );
    expect(run.exitCode).toBe(0);
    expect(run.log).toMatch(/Read the draft again after the wait/);
    expect(configures(run)).toEqual([
      ['virtual-machine-plan-technical-configuration'],
      ['submission'],
    ]);
    const draft = sim!.draft();
    expect(draft.find((r) => r.id === TC.gen2)!.recommendedVmSizes).toEqual(['Standard_D2s_v5']);
    expect(versions(draft, TC.gen2)).toEqual(['1.3.0', '1.4.0']);
    expect(versions(draft, TC.gen1)).toEqual(['1.3.0', '1.4.0']);
    expect(plan(run).configure).toEqual([TC.gen2]);
  });
});

describe('every SAS masked', () => {
  test('in a resources file, and in a service text that echoes one: account, container and blob only', async () => {
    const sas =
      'https://contosoimages.blob.core.windows.net/vhds/data-1.4.0.vhd?sv=2024-08-04&sr=b&sig=Fil3S3cr3t%3D';
    writeFileSync(
      join(workspace, 'plan-listing-sas.json'),
      JSON.stringify({
        $schema: 'https://schema.mp.microsoft.com/schema/plan-listing/2022-07-01',
        id: RESOURCE_IDS.planListings.gen1,
        description: `Data disk: ${sas}`,
      }),
    );
    const echoed =
      'https://contosoimages.blob.core.windows.net/vhds/os.vhd?sv=2024-08-04&sig=Ech0edS3cr3t';
    const run = await runAgainstSimulator(
      ingestion('live', {
        changeRefusal: { code: 'invalidResource', message: `The VHD ${echoed} cannot be read.` },
      }),
      { resources: 'plan-listing-sas.json' },
      { env: { GITHUB_WORKSPACE: workspace } },
    );
    expect(run.exitCode).toBe(1);
    const shown = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)]
      .join('\n')
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).not.toMatch(/sig=|Fil3S3cr3t|Ech0edS3cr3t/);
    expect(failure(run)).toMatch(/The VHD contosoimages\/vhds\/os\.vhd cannot be read/);
  });
});

describe('a draft change reads as one', () => {
  test("without publish: the summary's first line says the draft holds it, nothing was published, and what preview and live hold", async () => {
    const run = await runAgainstSimulator(ingestion('live'), CHANGE);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.started).toBe('configure');
    const first = run.summary.split('\n').find((l) => l.startsWith('<p>'));
    expect(first).toMatch(
      /^<p>The draft holds the change; nothing was published \(publish is not true\)\. In preview: submission\/\S+ \(live\); live: submission\/\S+\.<\/p>$/,
    );
    expect(run.summary).not.toMatch(/The offer is live: the publish succeeded/);
  });
});

describe("the runner's limit", () => {
  test('timeout: 7h on a GitHub-hosted runner is an input error pointing to the multi-day pattern', async () => {
    const run = await runAgainstSimulator(
      ingestion('live'),
      { timeout: '7h', publish: 'true' },
      { env: { RUNNER_ENVIRONMENT: 'github-hosted' } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.sim.requests).toEqual([]);
    expect(failure(run)).toMatch(
      /^Input 'timeout': '7h' is longer than a GitHub-hosted job may run.*wait-until: none/,
    );
  });
});
