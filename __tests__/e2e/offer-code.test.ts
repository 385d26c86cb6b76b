/**
 * The offer as code (product-ingestion), end to end: the action (in-process, harness.ts) against
 * the simulator. Retiring old image versions, drift between the files and the draft, and files for
 * several offers.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import type { IngestionSimulator, Resource } from '../../simulator/common.js';
import { startFakeGitHub } from '../../simulator/github-server.js';
import { RESOURCE_IDS } from '../../simulator/ingestion-scenarios.js';
import { failure, runAgainstSimulator, withSimulator, type Run } from './harness.js';

const TENANT = '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95';
const GEN2_IMAGE =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/1.4.0';
const TC = RESOURCE_IDS.technicalConfigurations;

const ingestion = (o: Record<string, unknown> = {}) =>
  ({ api: 'product-ingestion', scenario: 'live', ...o }) as Parameters<
    typeof runAgainstSimulator
  >[0];
const posts = (run: Run) => run.sim.requests.filter((r) => r.method !== 'GET');
const sentResources = (run: Run) =>
  posts(run).flatMap((r) => (JSON.parse(r.body ?? '{}') as { resources: Resource[] }).resources);

const workspace = mkdtempSync(join(tmpdir(), 'offer-code-e2e-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));
function write(name: string, value: unknown): void {
  mkdirSync(dirname(join(workspace, name)), { recursive: true });
  writeFileSync(join(workspace, name), `${JSON.stringify(value, null, 2)}\n`);
}
const inWorkspace = { env: { GITHUB_WORKSPACE: workspace } };

describe('retire old image versions', () => {
  test('deprecated in the same change as the new version: one technical configuration sent', async () => {
    const run = await runAgainstSimulator(ingestion(), {
      'plan-id': 'gen2',
      'vm-image-version': '1.4.0',
      'vm-image': `x64Gen2=${GEN2_IMAGE}`,
      'vm-image-deprecate': '1.3.0',
      'tenant-id': TENANT,
      'wait-until': 'none',
    });
    expect(run.exitCode).toBe(0);
    const [config, ...more] = sentResources(run);
    expect(more).toEqual([]);
    expect(config!.id).toBe(TC.gen2);
    const versions = config!.vmImageVersions as {
      versionNumber: string;
      lifecycleState?: string;
    }[];
    expect(versions.map((v) => [v.versionNumber, v.lifecycleState])).toEqual([
      ['1.3.0', 'deprecated'],
      ['1.4.0', undefined],
    ]);
    expect(run.log).toMatch(
      /\+ plan gen2: version 1\.4\.0: x64Gen2 from .*; version 1\.3\.0 deprecated/,
    );
    expect(run.sim.writesRefused()).toEqual([]);
    const draft = (run.sim as IngestionSimulator).draft().find((r) => r.id === TC.gen2)!;
    expect((draft.vmImageVersions as { lifecycleState?: string }[])[0]!.lifecycleState).toBe(
      'deprecated',
    );
  });

  test('a version the plan does not have: an input error naming the versions it has, nothing sent', async () => {
    const run = await runAgainstSimulator(ingestion(), {
      'plan-id': 'gen2',
      'vm-image-deprecate': '1.1.0',
    });
    expect(run.exitCode).toBe(1);
    expect(posts(run)).toEqual([]);
    expect(failure(run)).toBe(
      "Input 'vm-image-deprecate': plan 'gen2' has no version 1.1.0; its versions: 1.3.0. Give versions the plan has.",
    );
  });
});

describe('drift', () => {
  const listing = (title: string, product = 'contoso-vm') => ({
    $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
    product: { externalId: product },
    languageId: 'en-us',
    title,
  });

  test('files that match the draft: false; a file that differs: true, and the step passes', async () => {
    write('same/listing.json', listing('Contoso VM'));
    const same = await runAgainstSimulator(
      ingestion(),
      { resources: 'same/*.json', 'dry-run': 'true' },
      inWorkspace,
    );
    expect(same.exitCode).toBe(0);
    expect(same.outputs.drift).toBe('false');
    write('edited/listing.json', listing('Contoso VM, hardened'));
    const edited = await runAgainstSimulator(
      ingestion(),
      { resources: 'edited/*.json', 'dry-run': 'true' },
      inWorkspace,
    );
    expect(edited.exitCode).toBe(0);
    expect(edited.outputs.drift).toBe('true');
    expect(JSON.parse(edited.outputs.offers!)['contoso-vm'].drift).toBe(true);
    expect(posts(edited)).toEqual([]);
  });

  test('with fail-on-drift, a drifted offer fails the step, naming the file; nothing is sent', async () => {
    write('edited/listing.json', listing('Contoso VM, hardened'));
    const run = await runAgainstSimulator(
      ingestion(),
      { resources: 'edited/*.json', 'fail-on-drift': 'true', 'dry-run': 'true' },
      inWorkspace,
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.drift).toBe('true');
    expect(posts(run)).toEqual([]);
    expect(failure(run)).toMatch(
      /^The offer's draft differs from the resources files \(drift, fail-on-drift\): file edited\/listing\.json \(listing 'Contoso VM, hardened'\)\. Nothing was sent\./,
    );
  });

  test('without resources: empty', async () => {
    const run = await runAgainstSimulator(ingestion(), { 'wait-until': 'none' });
    expect(run.outputs.drift).toBe('');
  });
});

describe('several offers from one folder', () => {
  test("each file goes to the offer its product reference names; each offer's draft gets its own", async () => {
    write('offers/contoso-vm/listing.json', {
      $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
      product: { externalId: 'contoso-vm' },
      languageId: 'en-us',
      title: 'Contoso VM, hardened',
    });
    write('offers/contoso-app/listing.json', {
      $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
      product: { externalId: 'contoso-app' },
      languageId: 'en-us',
      title: 'Contoso App, hardened',
    });
    const run = await runAgainstSimulator(
      ingestion({ offerIds: ['contoso-vm', 'contoso-app'] }),
      {
        resources: 'offers/**/*.json',
        'offer-id': 'contoso-vm, contoso-app',
        'wait-until': 'none',
      },
      inWorkspace,
    );
    expect(run.exitCode).toBe(0);
    // Each sent once, to its own product (references as the files wrote them: by external id).
    const titles = sentResources(run).map((r) => [JSON.stringify(r.product), r.title]);
    expect(titles.sort()).toEqual([
      ['{"externalId":"contoso-app"}', 'Contoso App, hardened'],
      ['{"externalId":"contoso-vm"}', 'Contoso VM, hardened'],
    ]);
    // One change request per offer, nothing else.
    expect(posts(run)).toHaveLength(2);
    expect(JSON.parse(run.outputs.plan!)).toEqual({
      'contoso-vm': expect.objectContaining({ configure: [RESOURCE_IDS.listing] }),
      'contoso-app': expect.objectContaining({ configure: [expect.stringMatching(/^listing\//)] }),
    });
  });

  test('a file naming an offer not in offer-id: an input error naming it, before any request', async () => {
    write('stray/listing.json', {
      $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
      product: { externalId: 'fabrikam-sql' },
      title: 'Fabrikam',
    });
    const run = await runAgainstSimulator(ingestion(), { resources: 'stray/*.json' }, inWorkspace);
    expect(run.exitCode).toBe(1);
    expect(run.sim.requests).toEqual([]);
    expect(failure(run)).toBe(
      "Input 'resources': stray/listing.json (fabrikam-sql) names an offer not in offer-id (contoso-vm). Add the offer to offer-id, or leave those files out.",
    );
  });
});

describe('the plan on the pull request', () => {
  const event = join(workspace, 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
  const listing = (title: string) => ({
    $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
    product: { externalId: 'contoso-vm' },
    languageId: 'en-us',
    title,
  });

  test('one comment, created, then updated in place on the next push, then "No changes"', async () => {
    const github = await startFakeGitHub();
    try {
      const env = {
        GITHUB_WORKSPACE: workspace,
        GITHUB_API_URL: github.url,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
      };
      const inputs = {
        resources: 'pr/*.json',
        comment: 'true',
        'dry-run': 'true',
        publish: 'true',
        'github-token': github.token,
      };
      await withSimulator(ingestion(), async (_sim, run) => {
        write('pr/listing.json', listing('Contoso VM, hardened'));
        const first = await run(inputs, { env });
        expect(first.exitCode).toBe(0);
        const comments = () => github.comments.get(7) ?? [];
        expect(comments()).toHaveLength(1);
        const [created] = comments();
        expect(created!.body).toMatch(/^<!-- marketplace-plan: contoso-vm -->/);
        expect(created!.body).toContain('Contoso VM, hardened');
        expect(created!.body).toContain('start a publish');
        expect(first.log).toMatch(/plan comment on pull request #7/);

        write('pr/listing.json', listing('Contoso VM, hardened again'));
        await run(inputs, { env });
        expect(comments()).toHaveLength(1);
        expect(comments()[0]!.id).toBe(created!.id);
        expect(comments()[0]!.body).toContain('hardened again');

        // The files now say what the draft holds: nothing to change, nothing to publish.
        write('pr/listing.json', listing('Contoso VM'));
        await run({ ...inputs, publish: 'false' }, { env });
        expect(comments()).toHaveLength(1);
        expect(comments()[0]!.body).toMatch(/No changes/);
      });
    } finally {
      await github.close();
    }
  });

  test('without pull-requests: write, a clear warning; the plan stays in the summary; the step passes', async () => {
    const github = await startFakeGitHub({ permissions: { pullRequests: 'read' } });
    try {
      write('pr/listing.json', listing('Contoso VM, hardened'));
      const run = await runAgainstSimulator(
        ingestion(),
        {
          resources: 'pr/*.json',
          comment: 'true',
          'dry-run': 'true',
          'github-token': github.token,
        },
        {
          env: {
            GITHUB_WORKSPACE: workspace,
            GITHUB_API_URL: github.url,
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: event,
          },
        },
      );
      expect(run.exitCode).toBe(0);
      expect(github.comments.get(7) ?? []).toEqual([]);
      expect(run.annotations.join('\n')).toMatch(/permissions: pull-requests: write/);
      expect(run.summary).toContain('Contoso VM, hardened');
    } finally {
      await github.close();
    }
  });
});

describe('export, and the round trip', () => {
  const read = (dir: string) =>
    Object.fromEntries(
      readdirSync(join(workspace, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => {
          const path = join(e.parentPath, e.name);
          return [relative(join(workspace, dir), path), readFileSync(path, 'utf8')];
        }),
    );

  test.each([
    ['a VM offer', 'live', 'contoso-vm', 'plans/gen2/technical-configuration.json'],
    ['a SaaS offer', 'saas-offer', 'contoso-saas', 'technical-configuration.json'],
    [
      'a container offer',
      'container-offer',
      'contoso-stream',
      'plans/standard/technical-configuration.json',
    ],
  ])(
    '%s: one file per resource; a re-export changes no byte; read back it plans no change; an edit plans that field',
    (_kind, scenario, offerId, technical) =>
      withSimulator(ingestion({ scenario, offerId }), async (_sim, run) => {
        const dir = `export-${offerId}`;
        const first = await run({ 'offer-id': offerId, export: dir }, inWorkspace);
        expect(first.exitCode).toBe(0);
        expect(first.sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
        const files = read(dir);
        expect(Object.keys(files)).toEqual(
          expect.arrayContaining(['product.json', 'property.json', 'listing.json', technical]),
        );
        for (const text of Object.values(files)) {
          expect(text.endsWith('\n')).toBe(true);
          expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
          expect(text).not.toMatch(/"validations"|"vmImageVersions"|azureedge|sig=/);
        }
        expect(first.summary).toMatch(/Exported the offer(&#39;|')s draft to export-/);

        // Unchanged offer: the same bytes.
        await run({ 'offer-id': offerId, export: dir }, inWorkspace);
        expect(read(dir)).toEqual(files);

        // Read back: no change, no drift.
        const back = await run(
          { 'offer-id': offerId, resources: `${dir}/**/*.json`, 'dry-run': 'true' },
          inWorkspace,
        );
        expect(back.exitCode).toBe(0);
        expect(back.outputs.drift).toBe('false');
        expect(JSON.parse(back.outputs.plan!)[offerId].configure).toEqual([]);

        // One field edited: exactly that field is planned.
        const listing = JSON.parse(files['listing.json']!) as Record<string, unknown>;
        writeFileSync(
          join(workspace, dir, 'listing.json'),
          `${JSON.stringify({ ...listing, title: 'Edited in the repository' }, null, 2)}\n`,
        );
        const edited = await run(
          { 'offer-id': offerId, resources: `${dir}/**/*.json`, 'dry-run': 'true' },
          inWorkspace,
        );
        expect(edited.outputs.drift).toBe('true');
        const changed = edited.log.split('\n').filter((l) => /^~ /.test(l));
        expect(changed).toEqual([
          expect.stringMatching(/listing\.json: .*: title .* → "Edited in the repository"$/),
        ]);
      }),
  );

  test('several offers: one sub-folder each; read back together, each plans no change', () =>
    withSimulator(ingestion({ offerIds: ['contoso-vm', 'contoso-app'] }), async (_sim, run) => {
      const offers = { 'offer-id': 'contoso-vm, contoso-app' };
      const exported = await run({ ...offers, export: 'several' }, inWorkspace);
      expect(exported.exitCode).toBe(0);
      const files = Object.keys(read('several'));
      expect(files).toEqual(
        expect.arrayContaining(['contoso-vm/product.json', 'contoso-app/product.json']),
      );
      const back = await run(
        { ...offers, resources: 'several/**/*.json', 'dry-run': 'true' },
        inWorkspace,
      );
      expect(back.exitCode).toBe(0);
      expect(back.outputs.drift).toBe('false');
      const plan = JSON.parse(back.outputs.plan!);
      expect(plan['contoso-vm'].configure).toEqual([]);
      expect(plan['contoso-app'].configure).toEqual([]);
    }));
});
