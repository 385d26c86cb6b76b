/**
 * The product-ingestion simulator's resources, asked directly over HTTP on loopback (no action
 * involved): the draft resource tree, plans and technical configurations, and configure requests
 * that change them — checked against the schemas (400) and the business rules (a failed job),
 * applied to the draft when their job succeeds — and how a publish carries them: the whole draft
 * (a submission alone), or only the resources of a complete modular publish.
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

/** Sends a configure request and follows its job to its end. */
async function configured(s: Simulator, ...resources: unknown[]) {
  const post = await call(s, 'POST', '/configure', {}, configure(...resources));
  expect(post.status).toBe(202);
  return { jobId: String(post.body.jobId), end: await ended(s, post.body.jobId) };
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
      kind: 'azureVM',
      languageId: 'en-us',
      title: expect.any(String),
      description: expect.any(String),
      searchResultSummary: expect.any(String),
      shortDescription: expect.any(String),
      privacyPolicyLink: expect.stringMatching(/^https:/),
    });
    expect(byId.get(RESOURCE_IDS.listing)).not.toHaveProperty('summary');
    expect(RESOURCE_IDS.property).toBe(`property/${PRODUCT_GUID}/public/main`);
    expect(byId.get(RESOURCE_IDS.property)).toMatchObject({
      product: PRODUCT,
      kind: 'azureVM',
      termsConditions: 'custom',
      categories: { compute: ['operating-systems'] },
    });
    expect(byId.get(RESOURCE_IDS.priceAndAvailabilityOffer)).toMatchObject({
      id: `price-and-availability-offer/${PRODUCT_GUID}`,
      product: PRODUCT,
      previewAudiences: [
        { type: 'subscription', id: expect.any(String), label: expect.any(String) },
      ],
    });
    for (const plan of ['gen2', 'gen1'] as const) {
      const planGuid = RESOURCE_IDS.plans[plan].split('/').at(-1);
      expect(byId.get(RESOURCE_IDS.planListings[plan])).toMatchObject({
        id: `plan-listing/${PRODUCT_GUID}/public/main/${planGuid}/en-us`,
        product: PRODUCT,
        plan: RESOURCE_IDS.plans[plan],
        kind: 'azureVM-plan',
        languageId: 'en-us',
        name: expect.any(String),
        summary: expect.any(String),
        description: expect.any(String),
      });
      expect(byId.get(RESOURCE_IDS.priceAndAvailabilityPlans[plan])).toMatchObject({
        id: `price-and-availability-plan/${PRODUCT_GUID}/${planGuid}`,
        product: PRODUCT,
        plan: RESOURCE_IDS.plans[plan],
        visibility: 'visible',
        audience: 'public',
        markets: expect.arrayContaining(['us']),
        pricing: { licenseModel: 'payAsYouGo', corePricing: expect.any(Object) },
      });
    }
    expect(ids).toHaveLength(12);
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

    // Never published: no preview, no live.
    for (const targetType of ['preview', 'live']) {
      const other = await tree(s, targetType);
      expect(other).toMatchObject({ root: PRODUCT, target: { targetType }, resources: [] });
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
    expect((await configured(s, added)).end.jobResult).toBe('succeeded');
    expect(versionsIn(s.draft(), core)).toEqual(['1.3.0', '1.4.0']);
  });
});

describe('configure requests that change the resources', () => {
  test('a new version with every existing one kept: a job that takes reads, applied to the draft when it succeeds', async () => {
    const s = await start();
    const config = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    const post = await call(s, 'POST', '/configure', {}, configure(config));
    expect(post.status).toBe(202);
    expect(post.body).toMatchObject({ jobStatus: 'notStarted', jobResult: 'pending' });
    // Recorded as started at the request; the draft does not hold it until the job succeeds.
    expect(s.writesStarted()).toEqual([
      { kind: 'configure', id: post.body.jobId, at: expect.any(Number), resourceIds: [GEN2] },
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      expect(versionsIn(s.draft())).toEqual(['1.3.0']);
      expect(versionsIn((await tree(s)).resources)).toEqual(['1.3.0']);
      const j = await job(s, post.body.jobId);
      seen.push(`${j.jobStatus}/${j.jobResult}`);
    }
    expect(seen).toEqual(['notStarted/pending', 'running/pending', 'completed/succeeded']);
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
    expect((await configured(s, deprecate)).end.jobResult).toBe('succeeded');
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
    const ok = await configured(s, await edited(s, GEN2, (v) => [...v, sas]));
    expect(ok.end.jobResult).toBe('succeeded');
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
    expect((await configured(s, byExternalId)).end.jobResult).toBe('succeeded');
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
    expect((await configured(s, sameLanguage, plan, armConfig)).end.jobResult).toBe('succeeded');
    const draft = s.draft();
    expect(draft.find((r) => r.id === RESOURCE_IDS.listing)!.title).toBe('Contoso VM 2');
    const arm = (await call(s, 'GET', '/plan', { product: PRODUCT, externalId: 'arm' })).body
      .value[0] as Resource;
    expect(arm.id).toMatch(new RegExp(`^plan/${PRODUCT_GUID}/[0-9a-f-]{36}$`));
    const armConfigId = `virtual-machine-plan-technical-configuration/${String(arm.id).slice(5)}`;
    expect(versionsIn(draft, armConfigId)).toEqual(['1.0.0']);
    expect(s.writesStarted()[0]!.resourceIds).toEqual([RESOURCE_IDS.listing, arm.id, armConfigId]);
    expect(draft).toHaveLength(14);
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
      const config = await edited(s, GEN2, (v) => [...v, version(n)]);
      expect((await configured(s, config)).end.jobResult).toBe('succeeded');
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

  test('a preview that fails certification: the preview tree is still what it carried; live is not', async () => {
    const s = await start('live', { publishOutcome: 'fails' });
    await configured(s, await edited(s, GEN2, (v) => [...v, version('1.4.0')]));
    await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    await new Promise((done) => setTimeout(done, 1_100));
    expect((await job(s, STARTED_JOBS.publish)).jobResult).toBe('failed');
    expect(versionsIn((await tree(s, 'preview')).resources)).toEqual(['1.3.0', '1.4.0']);
    expect(versionsIn((await tree(s, 'live')).resources)).toEqual(['1.3.0']);
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
    // Every id of its tree, the new resources' too, is its own.
    const theirs = s.draft('contoso-app');
    expect(theirs).toHaveLength(s.draft().length);
    const sampleGuids = [PRODUCT_GUID, ...Object.values(RESOURCE_IDS.plans)].map((id) =>
      id.split('/').at(-1)!,
    );
    for (const r of theirs) {
      expect(String(r.id)).toContain(guid);
      for (const sample of sampleGuids) expect(JSON.stringify(r)).not.toContain(sample);
    }
    expect(theirs.map((r) => String(r.id).split('/')[0]).sort()).toEqual(
      s
        .draft()
        .map((r) => String(r.id).split('/')[0])
        .sort(),
    );
  });
});

/** The draft resource with this id, as a client sends it back (without read-only fields). */
const sendable = (s: IngestionSimulator, id: string): Resource => {
  const { validations: _, ...r } = s.draft().find((x) => x.id === id)!;
  return r;
};

describe('a change job, and a publish sent before it succeeded', () => {
  test('a preview sent while a change job runs carries the draft without the change (not refused)', async () => {
    const s = await start('live');
    const change = await call(
      s,
      'POST',
      '/configure',
      {},
      configure(await edited(s, GEN2, (v) => [...v, version('1.4.0')])),
    );
    const preview = await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    expect(preview.status).toBe(202);
    expect(preview.body.jobId).toBe(STARTED_JOBS.publish);
    expect(await ended(s, STARTED_JOBS.publish)).toMatchObject({ jobResult: 'succeeded' });
    // The change job ran on to its end: the draft has it, the preview does not.
    expect(await job(s, change.body.jobId)).toMatchObject({ jobResult: 'succeeded' });
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
    expect(versionsIn((await tree(s, 'preview')).resources)).toEqual(['1.3.0']);
    expect(s.writesStarted().map((w) => w.kind)).toEqual(['configure', 'publish']);
    expect(s.writesRefused()).toEqual([]);
  });

  test('a change job cancelled before its end applies nothing', async () => {
    const s = await start('live');
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      configure(await edited(s, GEN2, (v) => [...v, version('1.4.0')])),
    );
    await job(s, post.body.jobId);
    const cancel = await call(s, 'POST', `/configure/${post.body.jobId}/cancel`);
    expect(cancel.body).toMatchObject({ jobStatus: 'completed', jobResult: 'cancelled' });
    for (let i = 0; i < 3; i++) await job(s, post.body.jobId);
    expect(versionsIn(s.draft())).toEqual(['1.3.0']);
  });

  test('two change jobs: each applied when it succeeds, in order', async () => {
    const s = await start('live');
    const listing = { ...sendable(s, RESOURCE_IDS.listing), title: 'Contoso VM 2' };
    const config = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    const first = await call(s, 'POST', '/configure', {}, configure(listing));
    const second = await call(s, 'POST', '/configure', {}, configure(config));
    await ended(s, first.body.jobId);
    expect(s.draft().find((r) => r.id === RESOURCE_IDS.listing)!.title).toBe('Contoso VM 2');
    await ended(s, second.body.jobId);
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
  });

  test('changeRefusal: the next change fails at once with the code and message given; the one after is accepted', async () => {
    const sas =
      'https://contoso.blob.core.windows.net/vhds/os.vhd?sv=2024-08-04&sr=b&sig=S3cr3t%3D&se=2026-12-31';
    const s = await start('live', {
      changeRefusal: [
        { code: 'businessValidationError', message: 'Image version 1.4.0 already exists' },
        { code: 'invalidResource', message: `The VHD ${sas} could not be read.`, resourceId: GEN2 },
      ],
    });
    const config = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    const refused = await call(s, 'POST', '/configure', {}, configure(config));
    expect(refused.status).toBe(202);
    expect(await job(s, refused.body.jobId)).toMatchObject({
      jobStatus: 'completed',
      jobResult: 'failed',
      errors: [{ code: 'businessValidationError', message: 'Image version 1.4.0 already exists' }],
    });
    const again = await call(s, 'POST', '/configure', {}, configure(config));
    expect((await job(s, again.body.jobId)).errors).toEqual([
      { code: 'invalidResource', message: `The VHD ${sas} could not be read.`, resourceId: GEN2 },
    ]);
    expect(versionsIn(s.draft())).toEqual(['1.3.0']);
    expect(s.writesStarted()).toEqual([]);
    expect(s.writesRefused().map((r) => [r.kind, r.code])).toEqual([
      ['configure', 'businessValidationError'],
      ['configure', 'invalidResource'],
    ]);
    expect((await configured(s, config)).end.jobResult).toBe('succeeded');
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
  });

  test('changeRefusal waits while the product is locked: productLocked comes first', async () => {
    const s = await start('publish-running', {
      changeRefusal: {
        code: 'businessValidationError',
        message: 'Image version 1.4.0 already exists',
      },
    });
    const config = await edited(s, GEN2, (v) => [...v, version('1.4.0')]);
    const post = await call(s, 'POST', '/configure', {}, configure(config));
    expect((await job(s, post.body.jobId)).errors.map((e) => e.code)).toEqual(['productLocked']);
  });

  test('change faults: one per attempt; after acting the job runs and applies though the answer is lost', async () => {
    const s = await start('live', {
      change: ['503-before-acting', 'validation', 'drop-after-acting', '500-after-acting'],
      publish: '503-before-acting',
    });
    const body = configure(await edited(s, GEN2, (v) => [...v, version('1.4.0')]));
    expect((await call(s, 'POST', '/configure', {}, body)).status).toBe(503);
    expect((await call(s, 'POST', '/configure', {}, body)).status).toBe(422);
    expect(s.writesStarted()).toEqual([]);
    await expect(call(s, 'POST', '/configure', {}, body)).rejects.toThrow();
    const lost = s.writesStarted();
    expect(lost).toEqual([
      { kind: 'configure', id: expect.any(String), at: expect.any(Number), resourceIds: [GEN2] },
    ]);
    expect((await ended(s, lost[0]!.id)).jobResult).toBe('succeeded');
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
    // The next attempt acts too (its versions are now the draft's) and answers 500.
    const next = configure(await edited(s, GEN2, (v) => v));
    expect((await call(s, 'POST', '/configure', {}, next)).status).toBe(500);
    expect(s.writesStarted()).toHaveLength(2);
    // Then accept; the publish's fault script is its own.
    expect((await call(s, 'POST', '/configure', {}, next)).status).toBe(202);
    expect((await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION))).status).toBe(
      503,
    );
  });
});

describe('a modular publish: resources sent with a preview submission', () => {
  /** The resources a modular publish of the gen2 plan's technical configuration needs. */
  const gen2Modular = async (s: IngestionSimulator, n = '1.4.0') => [
    sendable(s, PRODUCT),
    sendable(s, RESOURCE_IDS.property),
    sendable(s, RESOURCE_IDS.plans.gen2),
    await edited(s, GEN2, (v) => [...v, version(n)]),
  ];

  test.each([
    [
      'a technical configuration alone',
      async (s: IngestionSimulator) => [await edited(s, GEN2, (v) => [...v, version('1.4.0')])],
      [PRODUCT, RESOURCE_IDS.property, RESOURCE_IDS.plans.gen2],
    ],
    [
      'product, plan and technical configuration without the property',
      async (s: IngestionSimulator) =>
        (await gen2Modular(s)).filter((r) => r.id !== RESOURCE_IDS.property),
      [RESOURCE_IDS.property],
    ],
    [
      "a plan's listing without its plan and technical configuration",
      async (s: IngestionSimulator) => [
        sendable(s, PRODUCT),
        sendable(s, RESOURCE_IDS.property),
        { ...sendable(s, RESOURCE_IDS.planListings.gen1), name: 'Gen1, renamed' },
      ],
      [RESOURCE_IDS.plans.gen1, GEN1],
    ],
  ])(
    'incomplete, %s: refused at once, one businessValidationError per missing resource',
    async (_, resources, missing) => {
      const s = await start('live');
      const before = { entries: await entries(s), draft: s.draft() };
      const sent = await resources(s);
      const post = await call(s, 'POST', '/configure', {}, configure(...sent, PREVIEW_SUBMISSION));
      expect(post.status).toBe(202);
      const failed = await job(s, post.body.jobId);
      expect(failed).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' });
      expect(failed.errors).toEqual(
        missing.map((resourceId) => ({
          resourceId,
          code: 'businessValidationError',
          message: expect.stringMatching(/modular publish needs/),
        })),
      );
      expect(await entries(s)).toEqual(before.entries);
      expect(s.draft()).toEqual(before.draft);
      expect(s.writesStarted()).toEqual([]);
      expect(s.writesRefused().map((r) => [r.kind, r.code])).toEqual([
        ['publish', 'businessValidationError'],
      ]);
    },
  );

  test('complete: applied at once, and the preview carries only its resources on top of the last preview', async () => {
    const s = await start('live-with-draft-edits');
    const published = await tree(s, 'preview');
    const draftListing = s.draft().find((r) => r.id === RESOURCE_IDS.listing)!;
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      configure(...(await gen2Modular(s)), PREVIEW_SUBMISSION),
    );
    expect(post.body.jobId).toBe(STARTED_JOBS.publish);
    expect(versionsIn(s.draft())).toEqual(['1.3.0', '1.4.0']);
    expect(s.writesStarted()).toEqual([
      {
        kind: 'configure',
        id: STARTED_JOBS.publish,
        at: expect.any(Number),
        resourceIds: [PRODUCT, RESOURCE_IDS.property, RESOURCE_IDS.plans.gen2, GEN2],
      },
      {
        kind: 'publish',
        id: NEW_SUBMISSION_ID,
        at: expect.any(Number),
        previewId: NEW_SUBMISSION_ID,
      },
    ]);
    expect(await ended(s, STARTED_JOBS.publish)).toMatchObject({ jobResult: 'succeeded' });
    const preview = new Map((await tree(s, 'preview')).resources.map((r) => [r.id, r]));
    expect(versionsIn([...preview.values()])).toEqual(['1.3.0', '1.4.0']);
    // The draft's other edits were not published.
    const before = new Map(published.resources.map((r) => [r.id, r]));
    for (const id of [RESOURCE_IDS.listing, RESOURCE_IDS.priceAndAvailabilityPlans.gen1])
      expect(preview.get(id)).toEqual(before.get(id));
    expect(preview.get(RESOURCE_IDS.listing)).not.toEqual(draftListing);
    expect(s.draft().find((r) => r.id === RESOURCE_IDS.listing)).toEqual(draftListing);
    expect(versionsIn((await tree(s, 'live')).resources)).toEqual(['1.3.0']);
  });

  test('a submission alone publishes the whole draft as it is when it starts', async () => {
    const s = await start('live-with-draft-edits');
    const draft = s.draft();
    await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    await ended(s, STARTED_JOBS.publish);
    const preview = (await tree(s, 'preview')).resources;
    const byId = (rs: Resource[]) => [...rs].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
    expect(byId(preview)).toEqual(byId(draft));
  });

  test('a live submission takes no other resources: businessValidationError, nothing goes live', async () => {
    const s = await start('previous-preview-at-signoff');
    const live = { ...PREVIEW_SUBMISSION, id: NEW_SUBMISSION_ID, target: { targetType: 'live' } };
    const before = s.draft();
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      configure(...(await gen2Modular(s)), live),
    );
    expect(post.status).toBe(202);
    const failed = await job(s, post.body.jobId);
    expect(failed).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' });
    expect(failed.errors).toEqual([
      {
        resourceId: NEW_SUBMISSION_ID,
        code: 'businessValidationError',
        message: expect.stringMatching(/live/),
      },
    ]);
    expect(s.draft()).toEqual(before);
    expect(s.writesStarted()).toEqual([]);
    expect(s.writesRefused().map((r) => [r.kind, r.code])).toEqual([
      ['go-live', 'businessValidationError'],
    ]);
    // The same go-live alone is accepted.
    const alone = await call(s, 'POST', '/configure', {}, configure(live));
    expect((await ended(s, alone.body.jobId)).jobResult).toBe('succeeded');
  });
});

describe('trees per target, and edits made elsewhere', () => {
  test('preview: what the latest preview submission carries, from its start; live: the last go-live that succeeded; none before a first publish', async () => {
    const s = await start('draft-only');
    expect((await tree(s, 'preview')).resources).toEqual([]);
    await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    // Running: the preview carries the draft as it was when it started.
    const running = await tree(s, 'preview');
    expect(running.resources.map((r) => r.id).sort()).toEqual(
      s
        .draft()
        .map((r) => r.id)
        .sort(),
    );
    await ended(s, STARTED_JOBS.publish);
    const preview = await tree(s, 'preview');
    expect(preview.resources.map((r) => r.id).sort()).toEqual(
      s
        .draft()
        .map((r) => r.id)
        .sort(),
    );
    // Served shuffled, the same order on every read, not the draft's.
    expect(preview.resources.map((r) => r.id)).not.toEqual(s.draft().map((r) => r.id));
    expect((await tree(s, 'preview')).resources).toEqual(preview.resources);
    expect((await tree(s, 'live')).resources).toEqual([]);
  });

  test("live-with-draft-edits: the draft's listing summary and gen1 price differ from preview and live", async () => {
    const s = await start('live-with-draft-edits');
    const draft = new Map((await tree(s)).resources.map((r) => [r.id, r]));
    for (const targetType of ['preview', 'live']) {
      const other = new Map((await tree(s, targetType)).resources.map((r) => [r.id, r]));
      expect([...other.keys()].sort()).toEqual([...draft.keys()].sort());
      const differ = [...draft.keys()].filter(
        (id) => JSON.stringify(draft.get(id)) !== JSON.stringify(other.get(id)),
      );
      expect(differ.sort()).toEqual(
        [RESOURCE_IDS.listing, RESOURCE_IDS.priceAndAvailabilityPlans.gen1].sort(),
      );
    }
    const listing = draft.get(RESOURCE_IDS.listing)!;
    const preview = (await tree(s, 'preview')).resources.find(
      (r) => r.id === RESOURCE_IDS.listing,
    )!;
    expect(listing.searchResultSummary).not.toBe(preview.searchResultSummary);
    expect(listing.title).toBe(preview.title);
  });

  test('editDraft changes a copy of the draft, as a person in Partner Center would; publishes carry it', async () => {
    let edits = 0;
    const s = await start('live', {
      offerIds: ['contoso-vm', 'contoso-app'],
      // Someone edits the listing just as the preview request arrives.
      intercept: (req) => {
        if (req.method === 'POST' && edits++ === 0)
          s.editDraft((draft) => {
            draft.find((r) => r.id === RESOURCE_IDS.listing)!.title = 'Edited in Partner Center';
          });
        return undefined;
      },
    });
    s.editDraft((draft) => draft.filter((r) => r.id !== RESOURCE_IDS.priceAndAvailabilityOffer));
    expect(s.draft()).toHaveLength(11);
    const other = s.draft('contoso-app');
    s.editDraft((draft) => draft.slice(1), 'contoso-app');
    expect(s.draft('contoso-app')).toEqual(other.slice(1));
    expect(s.draft()).toHaveLength(11);
    // The edit was made to a copy: changing it afterwards changes nothing.
    let handed: Resource[] = [];
    s.editDraft((draft) => {
      handed = draft;
    });
    handed.find((r) => r.id === PRODUCT)!.alias = 'changed later';
    expect(s.draft().find((r) => r.id === PRODUCT)!.alias).toBe('Contoso VM');

    await call(s, 'POST', '/configure', {}, configure(PREVIEW_SUBMISSION));
    await ended(s, STARTED_JOBS.publish);
    const preview = (await tree(s, 'preview')).resources;
    expect(preview.find((r) => r.id === RESOURCE_IDS.listing)!.title).toBe(
      'Edited in Partner Center',
    );
    expect(preview.map((r) => r.id)).not.toContain(RESOURCE_IDS.priceAndAvailabilityOffer);
    expect(() => s.editDraft(() => undefined, 'no-such-offer')).toThrow(/no-such-offer/);
  });
});
