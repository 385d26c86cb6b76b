/**
 * Putting the change into the offer before the publish (product-ingestion): the action (in-process,
 * harness.ts) against the simulator, which serves the draft's resource tree and checks each
 * configure body as the service does. One configure request carries the change and the preview; a
 * dry run sends nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runAgainstSimulator, withSimulator, failure, type Run } from './harness.js';

const GALLERY =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/1.4.0';
const SAS =
  'https://contosoimages.blob.core.windows.net/vhds/contoso-vm-1.4.0.vhd?sv=2024-08-04&sr=b&sig=S3cr3tSignature0123456789abcdef%3D&se=2026-12-31T00%3A00%3A00Z&sp=r';
const TENANT = '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95';
/** The version the fixture's gen2 plan has, with its image. */
const EXISTING =
  '/subscriptions/0c6f2a8e-4d1b-4a7e-9c3f-5b8d2e6a1f70/resourceGroups/contoso-images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/1.3.0';

const sim = (o: Record<string, unknown> = {}) =>
  ({ api: 'product-ingestion', scenario: 'live', ...o }) as Parameters<
    typeof runAgainstSimulator
  >[0];

/** The configure requests sent, each as its resources' schema types (`submission`, …). */
function configures(run: Run): { types: string[]; resources: Record<string, unknown>[] }[] {
  return run.sim.requests
    .filter((r) => r.method === 'POST' && r.path.endsWith('/configure'))
    .map((r) => {
      const body = JSON.parse(r.body ?? '{}') as { resources: Record<string, unknown>[] };
      return {
        resources: body.resources,
        types: body.resources.map((x) => String(x.$schema).split('/schema/')[1]!.split('/')[0]!),
      };
    });
}

const posts = (run: Run) => run.sim.requests.filter((r) => r.method !== 'GET');

const workspace = mkdtempSync(join(tmpdir(), 'configure-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const VERSION_INPUTS = {
  'plan-id': 'gen2',
  'vm-image-version': '1.4.0',
  'vm-image': GALLERY,
  'tenant-id': TENANT,
};

describe('a new VM image version', () => {
  test('added to the plan in its own configure request, then published by the submission alone; existing versions kept', async () => {
    const run = await runAgainstSimulator(sim(), { ...VERSION_INPUTS, publish: 'true' });
    expect(run.exitCode).toBe(0);
    const [only, publish, ...more] = configures(run);
    expect(more).toEqual([]);
    expect(only!.types).toEqual(['virtual-machine-plan-technical-configuration']);
    expect(publish!.types).toEqual(['submission']);
    expect(run.sim.writesRefused()).toEqual([]);
    const config = only!.resources[0] as {
      vmImageVersions: { versionNumber: string; vmImages: unknown[] }[];
      validations?: unknown;
      id: string;
    };
    expect(config.validations).toBeUndefined();
    expect(config.vmImageVersions.map((v) => v.versionNumber)).toEqual(['1.3.0', '1.4.0']);
    expect(config.vmImageVersions[1]!.vmImages).toEqual([
      {
        imageType: 'x64Gen2',
        source: {
          sourceType: 'sharedImageGallery',
          sharedImage: { tenantId: TENANT, resourceId: GALLERY },
        },
      },
    ]);
    expect(run.outputs.started).toBe('configure,publish');
    expect(JSON.parse(run.outputs.configured!)).toEqual([config.id]);
    expect(run.outputs.status).toBe('waitingForPublisherReview');
    expect(run.log).toContain(
      '+ plan gen2: version 1.4.0: x64Gen2 from gallery contoso/contoso-vm 1.4.0',
    );
    expect(run.summary).toMatch(/Changes/);
    expect(run.summary.indexOf('Changes')).toBeLessThan(run.summary.indexOf('Steps'));
  });

  test('a change alone: one configure request, followed to its job end; a re-run sends nothing', () =>
    withSimulator(sim(), async (s, run) => {
      const first = await run({
        ...VERSION_INPUTS,
        'plan-id': 'gen2, gen1',
        'vm-image': `x64Gen1=${GALLERY}`,
      });
      expect(first.exitCode).toBe(0);
      expect(configures(first).map((c) => c.types)).toEqual([
        [
          'virtual-machine-plan-technical-configuration',
          'virtual-machine-plan-technical-configuration',
        ],
      ]);
      expect(first.outputs.started).toBe('configure');
      expect(JSON.parse(first.outputs.configured!)).toHaveLength(2);
      expect(s.writesStarted().map((w) => w.kind)).toEqual(['configure']);
      const again = await run({
        ...VERSION_INPUTS,
        'plan-id': 'gen2, gen1',
        'vm-image': `x64Gen1=${GALLERY}`,
        publish: 'true',
      });
      expect(configures(again).map((c) => c.types)).toEqual([['submission']]);
      expect(again.outputs.started).toBe('publish');
      expect(again.log).toMatch(/plan gen2: version 1\.4\.0 already there/);
    }));

  test('already there: nothing is sent, and it says so', async () => {
    const run = await runAgainstSimulator(sim(), {
      ...VERSION_INPUTS,
      'vm-image-version': '1.3.0',
      'vm-image': EXISTING,
    });
    expect(run.exitCode).toBe(0);
    expect(posts(run)).toEqual([]);
    expect(run.outputs.configured).toBe('[]');
    expect(run.log).toMatch(/plan gen2: version 1\.3\.0 already there/);
  });

  test('the same version with other images is an error naming the version; nothing is sent', async () => {
    const run = await runAgainstSimulator(sim(), {
      ...VERSION_INPUTS,
      'vm-image-version': '1.3.0',
      publish: 'true',
    });
    expect(run.exitCode).toBe(1);
    expect(posts(run)).toEqual([]);
    expect(failure(run)).toMatch(/1\.3\.0/);
    expect(failure(run)).toMatch(/immutable|new version number/);
  });

  test('an unknown plan id suggests the closest; nothing is sent', async () => {
    const run = await runAgainstSimulator(sim(), { ...VERSION_INPUTS, 'plan-id': 'gen3' });
    expect(run.exitCode).toBe(1);
    expect(posts(run)).toEqual([]);
    expect(failure(run)).toMatch(
      /^Input 'plan-id': 'gen3' is not a plan of offer contoso-vm\. Did you mean .*'gen2'/,
    );
  });

  test('a dry run reads, plans and reports: GETs only, and the summary says nothing was sent', async () => {
    const run = await runAgainstSimulator(sim(), {
      ...VERSION_INPUTS,
      publish: 'true',
      'go-live': 'true',
      'dry-run': 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(posts(run)).toEqual([]);
    expect(run.outputs.started).toBe('');
    expect(JSON.parse(run.outputs.configured!)).toHaveLength(1);
    expect(run.summary).toMatch(/dry run: nothing was sent/i);
    expect(run.log).toMatch(
      /Dry run: nothing was sent\. Without dry-run, this step would send the change in its own configure request, then start a publish, then go live/,
    );
  });

  test('a SAS URI is masked at once and never shown: only account, container and blob', async () => {
    const run = await runAgainstSimulator(sim(), {
      ...VERSION_INPUTS,
      'vm-image': `x64Gen2=${SAS}`,
      'dry-run': 'true',
    });
    expect(run.exitCode).toBe(0);
    const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join(
      '\n',
    );
    const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
    // As the runner reads it: @actions/core escapes `%` in a command's data.
    expect(masks).toContain(`::add-mask::${SAS.replace(/%/g, '%25')}`);
    const unmasked = everything
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(unmasked).not.toContain('sig=');
    expect(unmasked).not.toContain('S3cr3tSignature');
    expect(run.log).toContain('contosoimages/vhds/contoso-vm-1.4.0.vhd');
  });

  test('the change waits for a running publish to end before it is sent', async () => {
    const run = await runAgainstSimulator(sim({ scenario: 'publish-to-signoff' }), {
      ...VERSION_INPUTS,
      publish: 'true',
      'wait-until': 'none',
    });
    expect(run.log).toMatch(/the change waits for it to end before it is sent/);
    expect(configures(run).map((c) => c.types)).toEqual([
      ['virtual-machine-plan-technical-configuration'],
      ['submission'],
    ]);
    // Sent only after a read showed the running publish done.
    expect(run.sim.writesRefused()).toEqual([]);
    expect(run.outputs.started).toBe('configure,publish');
  });
});

describe('resources from files', () => {
  test('a listing change is diffed against the draft, sent, and rejected changes say why', async () => {
    writeFileSync(
      join(workspace, 'listing.json'),
      JSON.stringify({
        $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
        product: { externalId: 'contoso-vm' },
        kind: 'azureListing',
        languageId: 'en-us',
        title: 'Contoso VM, now faster',
      }),
    );
    const run = await runAgainstSimulator(
      sim(),
      { resources: 'listing.json' },
      { env: { GITHUB_WORKSPACE: workspace } },
    );
    expect(run.exitCode).toBe(0);
    expect(configures(run).map((c) => c.types)).toEqual([['listing']]);
    expect(run.log).toMatch(/listing\.json/);
    expect(run.log).toMatch(/title/);
    expect(run.summary).toMatch(/Contoso VM, now faster/);
  });

  test('a file that is not JSON is an input error with its line; nothing is requested', async () => {
    writeFileSync(join(workspace, 'broken.json'), '{\n  "$schema": "x",\n  "title": oops\n}');
    const run = await runAgainstSimulator(
      sim(),
      { resources: 'broken.json' },
      { env: { GITHUB_WORKSPACE: workspace } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.sim.requests).toEqual([]);
    expect(failure(run)).toMatch(/^Input 'resources': broken\.json is not JSON: .*line 3/);
  });

  test('a resource the service refuses: its message, in the failure and the summary, names the file', async () => {
    writeFileSync(
      join(workspace, 'bad-plan.json'),
      JSON.stringify({
        $schema: 'https://schema.mp.microsoft.com/schema/plan-listing/2022-07-01',
        product: { externalId: 'contoso-vm' },
        plan: { externalId: 'no-such-plan' },
        kind: 'azureVM-plan',
        languageId: 'en-us',
        name: 'Ghost plan',
      }),
    );
    const run = await runAgainstSimulator(
      sim(),
      { resources: 'bad-plan.json', publish: 'true' },
      { env: { GITHUB_WORKSPACE: workspace } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.sim.writesStarted().filter((w) => w.kind === 'publish')).toEqual([]);
    expect(failure(run)).toMatch(/businessValidationError/);
    expect(run.summary).toMatch(/businessValidationError/);
  });
});

test('on the Cloud Partner Portal API these inputs are an input error naming product-ingestion, before any request', async () => {
  const run = await runAgainstSimulator({ scenario: 'never-published' }, VERSION_INPUTS);
  expect(run.exitCode).toBe(1);
  expect(run.sim.requests).toEqual([]);
  expect(failure(run)).toMatch(/^Input 'plan-id': .*product-ingestion/);
});
