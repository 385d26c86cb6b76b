/**
 * The product-ingestion simulator's resources, asked directly over HTTP on loopback (no action
 * involved): the draft resource tree, plans and technical configurations, and configure requests
 * that change them — checked against the schemas (400) and the business rules (a failed job),
 * applied to the draft, and published with a preview in the same request.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { IngestionSimulator, Resource, Simulator } from '../../simulator/common.js';
import {
  NEW_SUBMISSION_ID,
  PRODUCT_GUID,
  RESOURCE_IDS,
} from '../../simulator/ingestion-scenarios.js';
import {
  STARTED_JOBS,
  startIngestionSimulator,
  type IngestionSimulatorOptions,
} from '../../simulator/ingestion-server.js';
import { call } from './simulator-http.js';

let sim: IngestionSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(
  scenario: IngestionSimulatorOptions['scenario'] = 'draft-only',
  more: Partial<IngestionSimulatorOptions> = {},
): Promise<IngestionSimulator> {
  sim = await startIngestionSimulator({ api: 'product-ingestion', scenario, ...more });
  return sim;
}

const PRODUCT = `product/${PRODUCT_GUID}`;
const GEN2 = RESOURCE_IDS.technicalConfigurations.gen2;
const GEN1 = RESOURCE_IDS.technicalConfigurations.gen1;
const TENANT = '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95';
const GALLERY =
  '/subscriptions/0c6f2a8e-4d1b-4a7e-9c3f-5b8d2e6a1f70/resourceGroups/contoso-images/providers/Microsoft.Compute/galleries/contoso/images';
const PREVIEW_SUBMISSION = {
  $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
  product: PRODUCT,
  target: { targetType: 'preview' },
};

const configure = (...resources: unknown[]) => ({
  $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-07-01',
  resources,
});

type Version = { versionNumber: string; vmImages: unknown[]; lifecycleState?: string };

/** A gallery image version of `image` in the notes' shape. */
const version = (versionNumber: string, imageType = 'x64Gen2', image = 'contoso-vm'): Version => ({
  versionNumber,
  vmImages: [
    {
      imageType,
      source: {
        sourceType: 'sharedImageGallery',
        sharedImage: {
          tenantId: TENANT,
          resourceId: `${GALLERY}/${image}/versions/${versionNumber}`,
        },
      },
    },
  ],
});

/** What a client sends back: the configuration it read, without `validations`, changed by `edit`. */
async function edited(
  s: Simulator,
  id: string,
  edit: (versions: Version[]) => Version[],
): Promise<Resource & { vmImageVersions: Version[] }> {
  const read = await call(s, 'GET', `/${id}`);
  expect(read.status).toBe(200);
  const { validations: _, ...config } = read.body as Resource & { vmImageVersions: Version[] };
  return { ...config, vmImageVersions: edit(structuredClone(config.vmImageVersions)) };
}

const job = async (s: Simulator, id: string) =>
  (await call(s, 'GET', `/configure/${id}/status`)).body as {
    jobStatus: string;
    jobResult: string;
    errors: { resourceId?: string; code: string; message: string }[];
  };

/** Reads the job until it ends (each read moves the product one step). */
async function ended(s: Simulator, id: string) {
  for (let i = 0; i < 10; i++) {
    const j = await job(s, id);
    if (j.jobStatus === 'completed') return j;
  }
  throw new Error(`job ${id} did not end`);
}

const tree = async (s: Simulator, targetType?: string) =>
  (await call(s, 'GET', `/resource-tree/product/${PRODUCT_GUID}`, targetType ? { targetType } : {}))
    .body as { root: string; target: { targetType: string }; resources: Resource[] };

/** The version numbers of a plan's technical configuration in a list of resources. */
const versionsIn = (resources: Resource[], id = GEN2) =>
  (resources.find((r) => r.id === id)!.vmImageVersions as Version[]).map((v) => v.versionNumber);

const entries = async (s: Simulator) =>
  (
    (await call(s, 'GET', `/submission/${PRODUCT_GUID}`)).body as {
      value: { id: string; target: { targetType: string }; status?: string }[];
    }
  ).value.map((e) => `${e.target.targetType} ${e.id.split('/').at(-1)} ${e.status ?? ''}`);

describe("the product's resources", () => {
  test("the draft tree: every resource in the notes' shapes, in an order that is not the draft's, the same on every read", async () => {
    const s = await start();
    const draft = s.draft();
    const answer = await tree(s);
    expect(answer).toMatchObject({
      $schema: 'https://schema.mp.microsoft.com/schema/resource-tree/2022-07-01',
      root: PRODUCT,
      target: { targetType: 'draft' },
    });
    const ids = answer.resources.map((r) => r.id);
    expect([...ids].sort()).toEqual(draft.map((r) => r.id).sort());
    expect(ids).not.toEqual(draft.map((r) => r.id));
    expect(ids).not.toEqual([...ids].sort());
    expect(ids[0]).not.toBe(PRODUCT);
    expect((await tree(s)).resources.map((r) => r.id)).toEqual(ids);

    const byId = new Map(answer.resources.map((r) => [r.id, r]));
    expect(byId.get(PRODUCT)).toEqual({
      $schema: 'https://schema.mp.microsoft.com/schema/product/2022-07-01',
      id: PRODUCT,
      identity: { externalId: 'contoso-vm' },
      type: 'azureVirtualMachine',
      alias: 'Contoso VM',
    });
    expect(byId.get(RESOURCE_IDS.plans.gen2)).toMatchObject({
      identity: { externalId: 'gen2' },
      product: PRODUCT,
    });
    expect(byId.get(RESOURCE_IDS.listing)).toMatchObject({
      $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
      product: PRODUCT,
      languageId: 'en-us',
    });
    const gen2 = byId.get(GEN2)!;
    expect(gen2).toMatchObject({
      $schema:
        'https://schema.mp.microsoft.com/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview5',
      product: PRODUCT,
      plan: RESOURCE_IDS.plans.gen2,
      skus: [
        { imageType: 'x64Gen2', skuId: 'gen2' },
        { imageType: 'x64Gen1', skuId: 'gen1' },
      ],
      vmImageVersions: [version('1.3.0')],
      recommendedVmSizes: [],
      openPorts: [],
    });
    expect(gen2.validations).toEqual(expect.any(Array));
    expect(byId.get(GEN1)).toMatchObject({
      skus: [{ imageType: 'x64Gen1', skuId: 'gen1' }],
      vmImageVersions: [version('1.3.0', 'x64Gen1', 'contoso-vm-gen1')],
    });

    // Before any preview publish in this run, preview and live are the draft as it was.
    for (const targetType of ['preview', 'live']) {
      const other = await tree(s, targetType);
      expect(other.target).toEqual({ targetType });
      expect(other.resources.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(versionsIn(other.resources)).toEqual(['1.3.0']);
    }
    expect((await call(s, 'GET', `/resource-tree/product/${'0'.repeat(8)}`)).status).toBe(404);
    expect(
      (await call(s, 'GET', `/resource-tree/product/${PRODUCT_GUID}`, { targetType: 'x' })).status,
    ).toBe(400);
  });

  test('plans by external id, all plans, and a technical configuration by its ids', async () => {
    const s = await start();
    const gen2 = await call(s, 'GET', '/plan', { product: PRODUCT, externalId: 'gen2' });
    expect(gen2.body).toEqual({
      value: [
        {
          $schema: 'https://schema.mp.microsoft.com/schema/plan/2022-07-01',
          id: RESOURCE_IDS.plans.gen2,
          identity: { externalId: 'gen2' },
          alias: 'Contoso VM (Gen2)',
          product: PRODUCT,
        },
      ],
    });
    expect((await call(s, 'GET', '/plan', { product: PRODUCT, externalId: 'gen3' })).body).toEqual({
      value: [],
    });
    const all = (await call(s, 'GET', '/plan', { product: PRODUCT })).body.value as Resource[];
    expect(all.map((p) => p.id).sort()).toEqual(
      [RESOURCE_IDS.plans.gen1, RESOURCE_IDS.plans.gen2].sort(),
    );
    const config = await call(s, 'GET', `/${GEN1}`);
    expect(config.status).toBe(200);
    expect(config.body).toEqual(s.draft().find((r) => r.id === GEN1));
    const unknown = await call(
      s,
      'GET',
      `/virtual-machine-plan-technical-configuration/${PRODUCT_GUID}/${'0'.repeat(8)}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: { code: 'resourceNotFound', message: expect.any(String) },
    });
  });

  test('a core virtual machine offer: core technical configurations with softwareType', async () => {
    const s = await start('core-vm-offer');
    const product = (await tree(s)).resources.find((r) => r.id === PRODUCT)!;
    expect(product.type).toBe('coreVirtualMachine');
    const core = GEN2.replace('virtual-machine-', 'core-virtual-machine-');
    const config = await call(s, 'GET', `/${core}`);
    expect(config.body).toMatchObject({
      $schema:
        'https://schema.mp.microsoft.com/schema/core-virtual-machine-plan-technical-configuration/2022-03-01-preview5',
      id: core,
      softwareType: expect.any(String),
      vmImageVersions: [version('1.3.0')],
    });
    expect((await call(s, 'GET', `/${GEN2}`)).status).toBe(404);
    // A VM offer's configuration does not apply to it.
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      configure({
        ...config.body,
        $schema:
          'https://schema.mp.microsoft.com/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview5',
        id: undefined,
        validations: undefined,
      }),
    );
    expect(post.status).toBe(202);
    expect((await job(s, post.body.jobId)).errors[0]).toMatchObject({
      code: 'businessValidationError',
    });
    // Its own type, with a new version, is applied.
    const added = await edited(s, core, (v) => [...v, version('1.4.0')]);
    const ok = await call(s, 'POST', '/configure', {}, configure(added));
    expect((await job(s, ok.body.jobId)).jobResult).toBe('succeeded');
    expect(versionsIn(s.draft(), core)).toEqual(['1.3.0', '1.4.0']);
  });
});

describe('configure requests that change the resources', () => {
  test('a new version with every existing one kept: applied to the draft, recorded as a configure', async () => {
    const s = await start();
    const config = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    const post = await call(s, 'POST', '/configure', {}, configure(config));
    expect(post.status).toBe(202);
    expect(post.body).toMatchObject({ jobStatus: 'notStarted', jobResult: 'pending' });
    expect(await job(s, post.body.jobId)).toMatchObject({
      jobStatus: 'completed',
      jobResult: 'succeeded',
      errors: [],
    });
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
    expect(versionsIn(s.draft(), GEN1)).toEqual(['1.3.0']);
    // Replaced whole; the read-only validations stay the service's.
    const read = (await call(s, 'GET', `/${GEN2}`)).body as Resource;
    expect(read).toEqual({ ...config, validations: expect.any(Array) });
    expect(s.writesStarted()).toEqual([
      { kind: 'configure', id: post.body.jobId, at: expect.any(Number), resourceIds: [GEN2] },
    ]);
    expect(s.writesRefused()).toEqual([]);
  });

  test.each([
    [
      'an existing version changed',
      (v: Version[]) => [
        { ...version('1.3.0', 'x64Gen2', 'other-image') },
        ...v.slice(1),
        version('1.4.0'),
      ],
    ],
    ['an existing version removed', () => [version('1.4.0')]],
    ['a version number listed twice', (v: Version[]) => [...v, version('1.4.0'), version('1.4.0')]],
  ])('%s: the job fails with businessValidationError, the draft stays', async (_, edit) => {
    const s = await start();
    const before = s.draft();
    const config = await edited(s, GEN2, edit);
    const post = await call(s, 'POST', '/configure', {}, configure(config));
    expect(post.status).toBe(202);
    const failed = await job(s, post.body.jobId);
    expect(failed).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' });
    expect(failed.errors).toEqual([
      { resourceId: GEN2, code: 'businessValidationError', message: expect.any(String) },
    ]);
    expect(s.draft()).toEqual(before);
    expect(s.writesStarted()).toEqual([]);
    expect(s.writesRefused()).toEqual([
      { kind: 'configure', code: 'businessValidationError', at: expect.any(Number) },
    ]);
  });

  test('an existing version may be deprecated, but a published one not deleted', async () => {
    const s = await start('live');
    const deprecate = await edited(s, GEN2, (v) => [{ ...v[0]!, lifecycleState: 'deprecated' }]);
    const ok = await call(s, 'POST', '/configure', {}, configure(deprecate));
    expect((await job(s, ok.body.jobId)).jobResult).toBe('succeeded');
    const remove = await edited(s, GEN2, (v) => [{ ...v[0]!, lifecycleState: 'deleted' }]);
    const refused = await call(s, 'POST', '/configure', {}, configure(remove));
    expect((await job(s, refused.body.jobId)).errors[0]!.code).toBe('businessValidationError');
  });

  test('read-only validations sent back: 400 schemaValidationError naming the resource, nothing applied', async () => {
    const s = await start();
    const read = (await call(s, 'GET', `/${GEN2}`)).body as Resource & {
      vmImageVersions: Version[];
    };
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      configure({ ...read, vmImageVersions: [...read.vmImageVersions, version('1.4.0')] }),
    );
    expect(post.status).toBe(400);
    expect(post.body).toEqual({
      error: {
        code: 'schemaValidationError',
        message: expect.any(String),
        details: [
          {
            code: 'schemaValidationError',
            message: expect.stringMatching(/validations/),
            target: GEN2,
          },
        ],
      },
    });
    expect(versionsIn(s.draft())).toEqual(['1.3.0']);
    expect(s.writesRefused()).toEqual([
      { kind: 'configure', code: 'schemaValidationError', at: expect.any(Number) },
    ]);
  });

  const sasVersion = (source: unknown, imageType = 'x64Gen2') => ({
    versionNumber: '1.4.0',
    vmImages: [{ imageType, source }],
  });
  test.each([
    ['a version number that is not x.y.z', { ...version('1.4'), versionNumber: '1.4' }],
    [
      'three images',
      { ...version('1.4.0'), vmImages: [1, 2, 3].map(() => version('1.4.0').vmImages[0]) },
    ],
    ['no images', { versionNumber: '1.4.0', vmImages: [] }],
    ['an image type the schema does not know', version('1.4.0', 'x64Gen3')],
    ['a source of neither shape', sasVersion({ sourceType: 'managedImage', id: 'x' })],
    [
      'a gallery source without its tenant',
      sasVersion({ sourceType: 'sharedImageGallery', sharedImage: { resourceId: 'x' } }),
    ],
    [
      'a SAS source over http',
      sasVersion({ sourceType: 'sasUri', osDisk: { uri: 'http://x/a.vhd' } }),
    ],
  ])('schema: %s is refused with 400', async (_, bad) => {
    const s = await start();
    const config = await edited(s, GEN2, (v) => [...v, bad as Version]);
    const post = await call(s, 'POST', '/configure', {}, configure(config));
    expect(post.status).toBe(400);
    expect(post.body.error.code).toBe('schemaValidationError');
    expect(post.body.error.details[0]).toMatchObject({
      code: 'schemaValidationError',
      target: GEN2,
    });
    expect(versionsIn(s.draft())).toEqual(['1.3.0']);
    expect(s.writesRefused().map((r) => r.code)).toEqual(['schemaValidationError']);
  });

  test('schema: a SAS source with data disks is a valid shape', async () => {
    const s = await start();
    const sas = sasVersion({
      sourceType: 'sasUri',
      osDisk: { uri: 'https://contoso.blob.core.windows.net/vhds/os.vhd?sv=2020&sig=x' },
      dataDisks: [{ lunNumber: 0, uri: 'https://contoso.blob.core.windows.net/vhds/d0.vhd?sig=x' }],
    });
    const ok = await call(
      s,
      'POST',
      '/configure',
      {},
      configure(await edited(s, GEN2, (v) => [...v, sas])),
    );
    expect((await job(s, ok.body.jobId)).jobResult).toBe('succeeded');
  });

  test('schema: every resource needs a $schema on schema.mp.microsoft.com (the retired host too is refused)', async () => {
    const s = await start();
    const config = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    for (const $schema of [
      undefined,
      'https://product-ingestion.azureedge.net/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview5',
      'https://example.com/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview5',
    ]) {
      const post = await call(s, 'POST', '/configure', {}, configure({ ...config, $schema }));
      expect(post.status).toBe(400);
      expect(post.body.error.code).toBe('schemaValidationError');
    }
    // A resource without an id is named by its index.
    const listing = {
      $schema: 'https://product-ingestion.azureedge.net/schema/listing/2022-07-01',
    };
    const post = await call(s, 'POST', '/configure', {}, configure(config, listing));
    expect(post.body.error.details).toEqual([
      { code: 'schemaValidationError', message: expect.any(String), target: 'resources[1]' },
    ]);
    expect(s.writesRefused().map((r) => r.code)).toEqual(Array(4).fill('schemaValidationError'));
  });

  test.each([
    ['an x64Gen2 image in the Gen1-only plan', GEN1, version('1.4.0', 'x64Gen2')],
    ['an arm64Gen2 image in the Gen2 plan', GEN2, version('1.4.0', 'arm64Gen2')],
  ])('%s: not among its skus, the job fails', async (_, id, added) => {
    const s = await start();
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      configure(await edited(s, id, (v) => [...v, added])),
    );
    const failed = await job(s, post.body.jobId);
    expect(failed.errors).toEqual([
      { resourceId: id, code: 'businessValidationError', message: expect.stringMatching(/skus/) },
    ]);
    expect(versionsIn(s.draft(), id)).toEqual(['1.3.0']);
  });

  test('externalId references resolve to the product and its plans; unknown ones fail the job', async () => {
    const s = await start();
    const { id: _, ...config } = await edited(s, GEN1, (v) => [
      ...v,
      version('1.4.0', 'x64Gen1', 'contoso-vm-gen1'),
    ]);
    const byExternalId = {
      ...config,
      product: { externalId: 'contoso-vm' },
      plan: { externalId: 'gen1' },
    };
    const post = await call(s, 'POST', '/configure', {}, configure(byExternalId));
    expect((await job(s, post.body.jobId)).jobResult).toBe('succeeded');
    const stored = s.draft().find((r) => r.id === GEN1)!;
    expect(stored).toMatchObject({ product: PRODUCT, plan: RESOURCE_IDS.plans.gen1 });
    expect(versionsIn(s.draft(), GEN1)).toEqual(['1.3.0', '1.4.0']);
    expect(s.writesStarted()[0]!.resourceIds).toEqual([GEN1]);

    for (const [product, plan] of [
      [{ externalId: 'contoso-vm' }, { externalId: 'gen3' }],
      [PRODUCT, `plan/${PRODUCT_GUID}/00000000-0000-4000-8000-000000000000`],
      [`product/${PRODUCT_GUID.replace(/^./, '0')}`, { externalId: 'gen1' }],
    ]) {
      const unknown = await call(
        s,
        'POST',
        '/configure',
        {},
        configure(PREVIEW_SUBMISSION, { ...byExternalId, product, plan }),
      );
      expect(unknown.status).toBe(202);
      expect((await job(s, unknown.body.jobId)).errors).toEqual([
        {
          resourceId: expect.any(String),
          code: 'businessValidationError',
          message: expect.stringMatching(/not known/),
        },
      ]);
    }
  });

  test('other resources: replaced by id, or by type and identity, or added with a fresh durable id', async () => {
    const s = await start();
    const listing = s.draft().find((r) => r.id === RESOURCE_IDS.listing)!;
    const sameLanguage: Resource = { ...listing, title: 'Contoso VM 2' };
    delete sameLanguage.id;
    const plan = {
      $schema: 'https://schema.mp.microsoft.com/schema/plan/2022-07-01',
      identity: { externalId: 'arm' },
      alias: 'Contoso VM (Arm)',
      product: { externalId: 'contoso-vm' },
    };
    const armConfig = {
      ...(await edited(s, GEN2, () => [version('1.0.0', 'arm64Gen2', 'contoso-vm-arm')])),
      id: undefined,
      plan: { externalId: 'arm' },
      skus: [{ imageType: 'arm64Gen2', skuId: 'arm' }],
    };
    const post = await call(s, 'POST', '/configure', {}, configure(sameLanguage, plan, armConfig));
    expect((await job(s, post.body.jobId)).jobResult).toBe('succeeded');
    const draft = s.draft();
    expect(draft.find((r) => r.id === RESOURCE_IDS.listing)!.title).toBe('Contoso VM 2');
    const arm = (await call(s, 'GET', '/plan', { product: PRODUCT, externalId: 'arm' })).body
      .value[0] as Resource;
    expect(arm.id).toMatch(new RegExp(`^plan/${PRODUCT_GUID}/[0-9a-f-]{36}$`));
    const armConfigId = `virtual-machine-plan-technical-configuration/${String(arm.id).slice(5)}`;
    expect(versionsIn(draft, armConfigId)).toEqual(['1.0.0']);
    expect(s.writesStarted()[0]!.resourceIds).toEqual([RESOURCE_IDS.listing, arm.id, armConfigId]);
    expect(draft).toHaveLength(8);
  });

  test("productLocked while someone else's preview runs: a change alone or with a preview", async () => {
    const s = await start('publish-running');
    const change = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    for (const body of [configure(change), configure(change, PREVIEW_SUBMISSION)]) {
      const post = await call(s, 'POST', '/configure', {}, body);
      expect(post.status).toBe(202);
      expect(await job(s, post.body.jobId)).toMatchObject({
        jobStatus: 'completed',
        jobResult: 'failed',
        errors: [
          { code: 'productLocked', message: 'The product is locked by a submission in progress.' },
        ],
      });
    }
    // A preview alone still meets the submission conflict.
    const alone = await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    expect((await job(s, alone.body.jobId)).errors[0]!.code).toBe('conflict');
    expect(versionsIn(s.draft())).toEqual(['1.3.0']);
    expect(s.writesStarted()).toEqual([]);
    expect(s.writesRefused().map((r) => [r.kind, r.code])).toEqual([
      ['configure', 'productLocked'],
      ['configure', 'productLocked'],
      ['publish', 'conflict'],
    ]);
  });

  test("productLocked while this run's own publish runs, whatever the lagged views show", async () => {
    const s = await start('draft-only', { lagMs: 60_000 });
    await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      configure(await edited(s, GEN2, (v) => [...v, version('1.4.0')])),
    );
    expect((await job(s, post.body.jobId)).errors[0]!.code).toBe('productLocked');
  });

  test('a change and a preview in one body: the change is applied, then the preview starts and carries it', async () => {
    const s = await start('live');
    const change = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    const post = await call(s, 'POST', '/configure', {}, configure(change, PREVIEW_SUBMISSION));
    expect(post.status).toBe(202);
    expect(post.body.jobId).toBe(STARTED_JOBS.publish);
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
    expect(s.writesStarted()).toEqual([
      { kind: 'configure', id: STARTED_JOBS.publish, at: expect.any(Number), resourceIds: [GEN2] },
      {
        kind: 'publish',
        id: NEW_SUBMISSION_ID,
        at: expect.any(Number),
        previewId: NEW_SUBMISSION_ID,
      },
    ]);
    // Until the preview completes, the preview tree is the one before.
    expect(versionsIn((await tree(s, 'preview')).resources)).toEqual(['1.3.0']);
    expect(await ended(s, STARTED_JOBS.publish)).toMatchObject({ jobResult: 'succeeded' });
    expect(versionsIn((await tree(s, 'preview')).resources)).toEqual(['1.3.0', '1.4.0']);
    expect(versionsIn((await tree(s, 'live')).resources)).toEqual(['1.3.0']);
  });

  test('a rejected change with a preview: the job fails and nothing is published or applied', async () => {
    const s = await start('live');
    const before = await entries(s);
    const change = await edited(s, GEN1, (v) => [...v, version('1.4.0', 'x64Gen2')]);
    const post = await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION, change));
    expect(post.status).toBe(202);
    const failed = await job(s, post.body.jobId);
    expect(failed).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' });
    expect(failed.errors.map((e) => e.code)).toEqual(['businessValidationError']);
    expect(await entries(s)).toEqual(before);
    expect(versionsIn(s.draft(), GEN1)).toEqual(['1.3.0']);
    expect(s.writesStarted()).toEqual([]);
    expect(s.writesRefused().map((r) => [r.kind, r.code])).toEqual([
      ['configure', 'businessValidationError'],
    ]);
  });

  test('the preview and live trees follow completed submissions, not the draft', async () => {
    const s = await start('live');
    const change = async (n: string) => {
      const post = await call(
        s,
        'POST',
        '/configure',
        {},
        configure(await edited(s, GEN2, (v) => [...v, version(n)])),
      );
      expect((await job(s, post.body.jobId)).jobResult).toBe('succeeded');
    };
    await change('1.4.0');
    expect(versionsIn((await tree(s)).resources)).toEqual(['1.3.0', '1.4.0']);
    expect(versionsIn((await tree(s, 'preview')).resources)).toEqual(['1.3.0']);

    await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    await ended(s, STARTED_JOBS.publish);
    await change('1.5.0'); // the draft moves on; the preview stays as it was published
    expect(versionsIn((await tree(s, 'preview')).resources)).toEqual(['1.3.0', '1.4.0']);
    expect(versionsIn((await tree(s, 'live')).resources)).toEqual(['1.3.0']);

    const live = {
      ...PREVIEW_SUBMISSION,
      id: NEW_SUBMISSION_ID,
      target: { targetType: 'live' },
    };
    await call(s, 'POST', '/configure', {}, configure(live));
    await ended(s, STARTED_JOBS.goLive);
    expect(versionsIn((await tree(s, 'live')).resources)).toEqual(['1.3.0', '1.4.0']);
    expect(versionsIn((await tree(s)).resources)).toEqual(['1.3.0', '1.4.0', '1.5.0']);
  });

  test('a preview that fails certification does not become the preview tree', async () => {
    const s = await start('draft-only', { publishOutcome: 'fails' });
    const change = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    await call(s, 'POST', '/configure', {}, configure(change, PREVIEW_SUBMISSION));
    await new Promise((done) => setTimeout(done, 1_100));
    expect((await job(s, STARTED_JOBS.publish)).jobResult).toBe('failed');
    expect(versionsIn((await tree(s, 'preview')).resources)).toEqual(['1.3.0']);
    // The draft keeps the change (nothing of it was published).
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
  });

  test('another product of the run has its own GUIDs and draft', async () => {
    const s = await start('draft-only', { offerIds: ['contoso-vm', 'contoso-app'] });
    const other = (await call(s, 'GET', '/product', { externalId: 'contoso-app' })).body
      .value[0] as Resource;
    const guid = String(other.id).slice('product/'.length);
    expect(guid).not.toBe(PRODUCT_GUID);
    const plans = (await call(s, 'GET', '/plan', { product: String(other.id) })).body
      .value as Resource[];
    expect(plans).toHaveLength(2);
    for (const plan of plans) {
      expect(String(plan.id)).toMatch(new RegExp(`^plan/${guid}/`));
      expect(Object.values(RESOURCE_IDS.plans)).not.toContain(plan.id);
    }
  });
});
