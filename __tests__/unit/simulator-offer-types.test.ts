/**
 * The product-ingestion simulator's SaaS and container offers, asked directly over HTTP on loopback
 * (no action involved): their trees and technical configurations are served as a VM offer's are,
 * other products get GUIDs of their own, changes are applied when their job succeeds, resources
 * that do not belong to the product's type are refused, and a modular publish must be complete.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { IngestionSimulator, Resource } from '../../simulator/common.js';
import {
  CONTAINER_RESOURCE_IDS,
  PRODUCT_GUID,
  RESOURCE_IDS,
  SAAS_RESOURCE_IDS,
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
  scenario: string,
  more: Partial<IngestionSimulatorOptions> = {},
): Promise<IngestionSimulator> {
  sim = await startIngestionSimulator({ api: 'product-ingestion', scenario, ...more });
  return sim;
}

const PRODUCT = `product/${PRODUCT_GUID}`;
const SAAS = SAAS_RESOURCE_IDS;
const CONTAINER = CONTAINER_RESOURCE_IDS;
const SCHEMA = 'https://schema.mp.microsoft.com/schema/';
const PREVIEW_SUBMISSION = {
  $schema: `${SCHEMA}submission/2022-03-01-preview2`,
  product: PRODUCT,
  target: { targetType: 'preview' },
};

const configure = (...resources: unknown[]) => ({
  $schema: `${SCHEMA}configure/2022-07-01`,
  resources,
});

type Job = {
  jobStatus: string;
  jobResult: string;
  errors: { resourceId?: string; code: string; message: string }[];
};
const job = async (s: IngestionSimulator, id: string) =>
  (await call(s, 'GET', `/configure/${id}/status`)).body as Job;

/** Reads the job until it ends (each read moves the product one step). */
async function ended(s: IngestionSimulator, id: string): Promise<Job> {
  for (let i = 0; i < 10; i++) {
    const j = await job(s, id);
    if (j.jobStatus === 'completed') return j;
  }
  throw new Error(`job ${id} did not end`);
}

/** Sends a configure request (202) and returns its job id. */
async function post(s: IngestionSimulator, ...resources: unknown[]): Promise<string> {
  const answer = await call(s, 'POST', '/configure', {}, configure(...resources));
  expect(answer.status).toBe(202);
  return String(answer.body.jobId);
}

const tree = async (s: IngestionSimulator, targetType = 'draft', guid = PRODUCT_GUID) =>
  (await call(s, 'GET', `/resource-tree/product/${guid}`, { targetType })).body as {
    root: string;
    resources: Resource[];
  };

const byId = (resources: Resource[]) => new Map(resources.map((r) => [String(r.id), r]));
const sorted = (resources: Resource[]) =>
  [...resources].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));

/** The draft resource with this id, as a client sends it back. */
const sendable = (s: IngestionSimulator, id: string): Resource => {
  const found = s.draft().find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} in the draft`);
  const { validations: _, ...r } = found;
  return r;
};

const guidOf = (id: string) => id.split('/').at(-1)!;

describe('the trees of a SaaS and a container offer', () => {
  test('saas-offer: product, setup, property, listing, availability, the product-level technical configuration, and per plan its listing and price', async () => {
    const s = await start('saas-offer', { offerId: 'contoso-saas' });
    const draft = await tree(s);
    expect(draft.root).toBe(PRODUCT);
    const r = byId(draft.resources);
    expect(r.get(PRODUCT)).toEqual({
      $schema: `${SCHEMA}product/2022-07-01`,
      id: PRODUCT,
      identity: { externalId: 'contoso-saas' },
      type: 'softwareAsAService',
      alias: 'Contoso Insights',
    });
    expect(r.get(SAAS.commercialMarketplaceSetup)).toMatchObject({
      id: `commercial-marketplace-setup/${PRODUCT_GUID}`,
      sellThroughMicrosoft: true,
    });
    expect(SAAS.property).toBe(`property/${PRODUCT_GUID}/public/main`);
    expect(r.get(SAAS.property)).toMatchObject({
      kind: 'azureSaaS',
      termsConditions: 'standardMicrosoft',
      categories: expect.any(Object),
    });
    expect(r.get(SAAS.listing)).toMatchObject({
      id: `listing/${PRODUCT_GUID}/public/main/default/en-us`,
      kind: 'azureSaaS',
      languageId: 'en-us',
    });
    expect(r.get(SAAS.priceAndAvailabilityOffer)).toMatchObject({
      id: `price-and-availability-offer/${PRODUCT_GUID}`,
    });
    expect(r.get(SAAS.technicalConfiguration)).toEqual({
      $schema: `${SCHEMA}software-as-a-service-technical-configuration/2022-03-01-preview3`,
      id: `software-as-a-service-technical-configuration/${PRODUCT_GUID}`,
      product: PRODUCT,
      landingPageUrl: expect.stringMatching(/^https:\/\//),
      connectionWebhook: expect.stringMatching(/^https:\/\//),
      azureAdTenantId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      azureAdAppId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    for (const plan of ['basic', 'pro'] as const) {
      const id = SAAS.plans[plan];
      expect(id).toMatch(new RegExp(`^plan/${PRODUCT_GUID}/[0-9a-f-]{36}$`));
      expect(r.get(id)).toMatchObject({ identity: { externalId: plan }, product: PRODUCT });
      expect(r.get(SAAS.planListings[plan])).toMatchObject({
        id: `plan-listing/${PRODUCT_GUID}/public/main/${guidOf(id)}/en-us`,
        plan: id,
        kind: 'azureSaaS-plan',
        languageId: 'en-us',
      });
      expect(r.get(SAAS.priceAndAvailabilityPlans[plan])).toMatchObject({
        id: `price-and-availability-plan/${PRODUCT_GUID}/${guidOf(id)}`,
        plan: id,
        pricing: { recurrentPrice: { priceInputOption: 'usd', prices: expect.any(Array) } },
      });
    }
    // No technical configuration per plan on a SaaS offer.
    expect(draft.resources).toHaveLength(12);
    expect(
      draft.resources.filter((x) => /technical-configuration/.test(String(x.id))),
    ).toHaveLength(1);

    // Live: one submission stands for preview and live, both carrying the tree.
    for (const targetType of ['preview', 'live'])
      expect(sorted((await tree(s, targetType)).resources)).toEqual(sorted(draft.resources));
    const plans = (await call(s, 'GET', '/plan', { product: PRODUCT })).body.value as Resource[];
    expect(plans.map((p) => p.id).sort()).toEqual(Object.values(SAAS.plans).sort());
    const pro = await call(s, 'GET', '/plan', { product: PRODUCT, externalId: 'pro' });
    expect(pro.body.value.map((p: Resource) => p.id)).toEqual([SAAS.plans.pro]);
    const config = await call(s, 'GET', `/${SAAS.technicalConfiguration}`);
    expect(config.status).toBe(200);
    expect(config.body).toEqual(r.get(SAAS.technicalConfiguration));
  });

  test('container-offer: per plan a listing, a price and a technical configuration of CNAB bundles', async () => {
    const s = await start('container-offer', { offerId: 'contoso-stream' });
    const draft = await tree(s);
    const r = byId(draft.resources);
    expect(r.get(PRODUCT)).toMatchObject({
      identity: { externalId: 'contoso-stream' },
      type: 'azureContainer',
      alias: 'Contoso Stream for AKS',
    });
    expect(r.get(CONTAINER.property)).toMatchObject({
      kind: 'azureContainer',
      categories: { containers: ['container-apps', 'container-images'] },
    });
    expect(r.get(CONTAINER.listing)).toMatchObject({ kind: 'azureContainer', languageId: 'en-us' });
    for (const plan of ['standard', 'byol'] as const) {
      const id = CONTAINER.plans[plan];
      expect(r.get(id)).toMatchObject({ identity: { externalId: plan } });
      expect(r.get(CONTAINER.planListings[plan])).toMatchObject({ kind: 'azureContainer-plan' });
      expect(r.get(CONTAINER.priceAndAvailabilityPlans[plan])).toMatchObject({ plan: id });
      const configId = `container-plan-technical-configuration/${PRODUCT_GUID}/${guidOf(id)}`;
      expect(CONTAINER.technicalConfigurations[plan]).toBe(configId);
      expect(r.get(configId)).toMatchObject({
        $schema: `${SCHEMA}container-plan-technical-configuration/2022-03-01-preview3`,
        product: PRODUCT,
        plan: id,
        payloadType: 'cnab',
        clusterExtensionType: expect.stringMatching(/^Contoso\.Stream/),
        cnabReferences: [
          {
            tenantId: expect.any(String),
            subscriptionId: expect.any(String),
            resourceGroupName: expect.any(String),
            registryName: expect.any(String),
            repositoryName: expect.any(String),
            tag: '1.4.2',
            digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
          },
        ],
      });
      const served = await call(s, 'GET', `/${configId}`);
      expect(served.body).toEqual(r.get(configId));
    }
    expect(draft.resources).toHaveLength(13);
    expect(sorted((await tree(s, 'live')).resources)).toEqual(sorted(draft.resources));
    const unknown = await call(
      s,
      'GET',
      `/container-plan-technical-configuration/${PRODUCT_GUID}/${'0'.repeat(8)}`,
    );
    expect(unknown.status).toBe(404);
  });

  test("other products of the run: each type's tree under the product's own GUIDs, in every id", async () => {
    const s = await start('live', {
      offerIds: ['contoso-vm', 'contoso-saas', 'contoso-stream'],
      scenarioFor: { 'contoso-saas': 'saas-offer', 'contoso-stream': 'container-offer' },
    });
    const sampleGuids = [
      PRODUCT_GUID,
      ...[RESOURCE_IDS, SAAS, CONTAINER].flatMap((ids) => Object.values(ids.plans).map(guidOf)),
    ];
    for (const [offerId, ids, alias] of [
      ['contoso-saas', SAAS, 'Contoso Insights'],
      ['contoso-stream', CONTAINER, 'Contoso Stream for AKS'],
    ] as const) {
      const product = (await call(s, 'GET', '/product', { externalId: offerId })).body
        .value[0] as Resource;
      expect(product.alias).toBe(alias);
      const guid = guidOf(String(product.id));
      expect(guid).not.toBe(PRODUCT_GUID);
      const theirs = (await tree(s, 'draft', guid)).resources;
      expect(sorted(theirs)).toEqual(sorted(s.draft(offerId)));
      // The same resources as the sample's: every id the sample names, by type.
      const sampleIds = Object.values(ids).flatMap((v) =>
        typeof v === 'string' ? [v] : Object.values(v as Record<string, string>),
      );
      expect(theirs.map((r) => String(r.id).split('/')[0]).sort()).toEqual(
        sampleIds.map((id) => id.split('/')[0]).sort(),
      );
      for (const r of theirs) {
        expect(String(r.id)).toContain(guid);
        for (const g of sampleGuids) expect(JSON.stringify(r)).not.toContain(g);
      }
      const plans = (await call(s, 'GET', '/plan', { product: `product/${guid}` })).body
        .value as Resource[];
      expect(plans.map((p) => String(p.id).split('/')[1])).toEqual([guid, guid]);
    }
  });
});

describe('changes to a SaaS and a container offer', () => {
  test('a SaaS listing sent alone: applied to the draft when its job succeeds, not before; preview and live keep theirs', async () => {
    const s = await start('saas-offer');
    const before = sendable(s, SAAS.listing);
    const listing = { ...before, title: 'Contoso Insights 2' };
    const jobId = await post(s, listing);
    expect(s.draft().find((r) => r.id === SAAS.listing)).toEqual(before);
    expect(await ended(s, jobId)).toMatchObject({ jobResult: 'succeeded', errors: [] });
    expect(s.draft().find((r) => r.id === SAAS.listing)).toEqual(listing);
    expect(byId((await tree(s, 'preview')).resources).get(SAAS.listing)).toEqual(before);
    expect(s.writesStarted()).toEqual([
      { kind: 'configure', id: jobId, at: expect.any(Number), resourceIds: [SAAS.listing] },
    ]);
  });

  test("the SaaS technical configuration: replaced by its product's id, also when sent without one", async () => {
    const s = await start('saas-offer');
    const { id: _, ...config } = sendable(s, SAAS.technicalConfiguration);
    const moved = { ...config, landingPageUrl: 'https://insights.contoso.example/v2/landing' };
    await ended(s, await post(s, moved));
    const now = s.draft().filter((r) => String(r.id).startsWith('software-as-a-service'));
    expect(now).toEqual([{ ...moved, id: SAAS.technicalConfiguration }]);
    // An id that is not the product's is refused.
    const wrong = {
      ...moved,
      id: `software-as-a-service-technical-configuration/${'0'.repeat(8)}`,
    };
    expect((await ended(s, await post(s, wrong))).errors).toEqual([
      { resourceId: wrong.id, code: 'businessValidationError', message: expect.any(String) },
    ]);
  });

  test("a container plan's technical configuration: a new bundle applied when its job succeeds; its published cluster extension type cannot change", async () => {
    const s = await start('container-offer');
    const id = CONTAINER.technicalConfigurations.standard;
    const before = sendable(s, id);
    const [bundle] = before.cnabReferences as Record<string, unknown>[];
    const next = {
      ...before,
      cnabReferences: [{ ...bundle, tag: '1.5.0', digest: `sha256:${'ab'.repeat(32)}` }],
    };
    const jobId = await post(s, next);
    expect(s.draft().find((r) => r.id === id)).toEqual(before);
    expect(await ended(s, jobId)).toMatchObject({ jobResult: 'succeeded' });
    expect(s.draft().find((r) => r.id === id)).toEqual(next);
    expect(byId((await tree(s, 'live')).resources).get(id)).toEqual(before);

    const renamed = { ...next, clusterExtensionType: 'Contoso.StreamRenamed' };
    expect(await ended(s, await post(s, renamed))).toMatchObject({
      jobResult: 'failed',
      errors: [
        {
          resourceId: id,
          code: 'businessValidationError',
          message: expect.stringMatching(/clusterExtensionType/),
        },
      ],
    });
    expect(s.draft().find((r) => r.id === id)).toEqual(next);
  });

  test('a new container plan (by external id) with its technical configuration: fresh durable ids', async () => {
    const s = await start('container-offer');
    const plan = {
      ...sendable(s, CONTAINER.plans.standard),
      id: undefined,
      identity: { externalId: 'enterprise' },
      alias: 'Contoso Stream Enterprise',
    };
    const { id: _, ...config } = sendable(s, CONTAINER.technicalConfigurations.standard);
    const jobId = await post(s, plan, {
      ...config,
      plan: { externalId: 'enterprise' },
      clusterExtensionType: 'Contoso.StreamEnt',
    });
    expect(await ended(s, jobId)).toMatchObject({ jobResult: 'succeeded' });
    const added = s
      .draft()
      .find((r) => (r.identity as { externalId?: string })?.externalId === 'enterprise')!;
    expect(String(added.id)).toMatch(new RegExp(`^plan/${PRODUCT_GUID}/`));
    expect(s.draft().find((r) => r.plan === added.id)).toMatchObject({
      id: `container-plan-technical-configuration/${PRODUCT_GUID}/${guidOf(String(added.id))}`,
      clusterExtensionType: 'Contoso.StreamEnt',
    });
  });
});

/** A VM plan's technical configuration, as a client would send it for `plan`. */
const vmConfiguration = (plan: string) => ({
  $schema: `${SCHEMA}virtual-machine-plan-technical-configuration/2022-03-01-preview5`,
  product: PRODUCT,
  plan,
  skus: [{ imageType: 'x64Gen2', skuId: 'gen2' }],
  vmImageVersions: [],
});

describe('resources that do not belong to the product type', () => {
  test.each([
    [
      'a VM technical configuration on a SaaS offer',
      'saas-offer',
      () => vmConfiguration(SAAS.plans.basic),
      /virtual-machine-plan-technical-configuration does not apply to a product of type softwareAsAService/,
    ],
    [
      'a container technical configuration on a SaaS offer',
      'saas-offer',
      () => ({
        $schema: `${SCHEMA}container-plan-technical-configuration/2022-03-01-preview3`,
        product: PRODUCT,
        plan: SAAS.plans.basic,
        payloadType: 'image',
        imageRepositoryDetails: {
          subscriptionId: '0c6f2a8e-4d1b-4a7e-9c3f-5b8d2e6a1f70',
          resourceGroupName: 'rg',
          registryName: 'reg',
          userName: 'u',
          password: 'p',
        },
        imageTags: ['latest'],
      }),
      /container-plan-technical-configuration does not apply/,
    ],
    [
      'a SaaS technical configuration on a container offer',
      'container-offer',
      () => ({
        $schema: `${SCHEMA}software-as-a-service-technical-configuration/2022-03-01-preview3`,
        product: PRODUCT,
        landingPageUrl: 'https://x.example/landing',
        connectionWebhook: 'https://x.example/webhook',
        azureAdTenantId: '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95',
        azureAdAppId: '9f2c4e6a-8b1d-4c3e-a5f7-0d2e4b6c8a17',
      }),
      /does not apply to a product of type azureContainer/,
    ],
    [
      'a container technical configuration on a VM offer',
      'live',
      (s: IngestionSimulator) => ({
        ...sendable(s, RESOURCE_IDS.technicalConfigurations.gen2),
        $schema: `${SCHEMA}container-plan-technical-configuration/2022-03-01-preview3`,
        id: undefined,
        payloadType: 'cnab',
        clusterExtensionType: 'Contoso.Vm',
        cnabReferences: [
          {
            tenantId: '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95',
            subscriptionId: '0c6f2a8e-4d1b-4a7e-9c3f-5b8d2e6a1f70',
            resourceGroupName: 'rg',
            registryName: 'reg',
            repositoryName: 'repo',
            tag: '1',
            digest: `sha256:${'0'.repeat(64)}`,
          },
        ],
      }),
      /does not apply to a product of type azureVirtualMachine/,
    ],
    [
      'a listing of kind azureVM on a SaaS offer',
      'saas-offer',
      (s: IngestionSimulator) => ({ ...sendable(s, SAAS.listing), kind: 'azureVM' }),
      /kind "azureVM" does not apply .* \(kind azureSaaS\)/,
    ],
    [
      'a plan listing of kind azureSaaS-plan on a container offer',
      'container-offer',
      (s: IngestionSimulator) => ({
        ...sendable(s, CONTAINER.planListings.byol),
        kind: 'azureSaaS-plan',
      }),
      /kind azureContainer-plan/,
    ],
  ])(
    '%s: its job fails with businessValidationError, nothing applied',
    async (_, scenario, resource, why) => {
      const s = await start(scenario);
      const draft = s.draft();
      const failed = await ended(s, await post(s, resource(s)));
      expect(failed).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' });
      expect(failed.errors).toEqual([
        {
          resourceId: expect.any(String),
          code: 'businessValidationError',
          message: expect.stringMatching(why),
        },
      ]);
      expect(s.draft()).toEqual(draft);
      expect(s.writesStarted()).toEqual([]);
      expect(s.writesRefused().map((r) => [r.kind, r.code])).toEqual([
        ['configure', 'businessValidationError'],
      ]);
    },
  );

  test("a kind no product type has is the schema's business (not modelled): accepted", async () => {
    const s = await start('saas-offer');
    const listing = { ...sendable(s, SAAS.listing), kind: 'azureListing' };
    expect(await ended(s, await post(s, listing))).toMatchObject({ jobResult: 'succeeded' });
    expect(s.draft().find((r) => r.id === SAAS.listing)).toEqual(listing);
  });

  test.each([
    [
      'a SaaS landing page over http',
      'saas-offer',
      (s: IngestionSimulator) => ({
        ...sendable(s, SAAS.technicalConfiguration),
        landingPageUrl: 'http://insights.contoso.example/landing',
      }),
      /landingPageUrl/,
    ],
    [
      'a SaaS technical configuration naming a plan',
      'saas-offer',
      (s: IngestionSimulator) => ({
        ...sendable(s, SAAS.technicalConfiguration),
        plan: SAAS.plans.basic,
      }),
      /plan is not a field/,
    ],
    [
      'a SaaS Entra app id that is not a GUID',
      'saas-offer',
      (s: IngestionSimulator) => ({
        ...sendable(s, SAAS.technicalConfiguration),
        azureAdAppId: 'contoso-app',
      }),
      /azureAdAppId/,
    ],
    [
      'a container bundle without a digest',
      'container-offer',
      (s: IngestionSimulator) => {
        const c = sendable(s, CONTAINER.technicalConfigurations.standard);
        const [ref] = c.cnabReferences as Record<string, unknown>[];
        return { ...c, cnabReferences: [{ ...ref, digest: 'latest' }] };
      },
      /digest/,
    ],
    [
      'a container cluster extension type with digits',
      'container-offer',
      (s: IngestionSimulator) => ({
        ...sendable(s, CONTAINER.technicalConfigurations.standard),
        clusterExtensionType: 'Contoso.Stream2',
      }),
      /clusterExtensionType/,
    ],
    [
      'a container payload type of neither kind',
      'container-offer',
      (s: IngestionSimulator) => ({
        ...sendable(s, CONTAINER.technicalConfigurations.standard),
        payloadType: 'helm',
      }),
      /payloadType/,
    ],
    [
      'read-only validations sent back on a container configuration',
      'container-offer',
      (s: IngestionSimulator) => ({
        ...sendable(s, CONTAINER.technicalConfigurations.standard),
        validations: [],
      }),
      /validations/,
    ],
  ])('schema: %s is refused with 400', async (_, scenario, resource, why) => {
    const s = await start(scenario);
    const answer = await call(s, 'POST', '/configure', {}, configure(resource(s)));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('schemaValidationError');
    expect(answer.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(why) })]),
    );
  });
});

describe('a modular publish of a SaaS and a container offer', () => {
  test.each([
    [
      'SaaS: a plan listing with the product and property only',
      'saas-offer',
      (s: IngestionSimulator) => [
        sendable(s, PRODUCT),
        sendable(s, SAAS.property),
        { ...sendable(s, SAAS.planListings.pro), name: 'Pro, renamed' },
      ],
      // The plan; no technical configuration per plan, but the product's own.
      [SAAS.technicalConfiguration, SAAS.plans.pro],
    ],
    [
      'container: a technical configuration alone',
      'container-offer',
      (s: IngestionSimulator) => [sendable(s, CONTAINER.technicalConfigurations.byol)],
      [PRODUCT, CONTAINER.property, CONTAINER.plans.byol],
    ],
    [
      'container: a plan without its technical configuration',
      'container-offer',
      (s: IngestionSimulator) => [
        sendable(s, PRODUCT),
        sendable(s, CONTAINER.property),
        { ...sendable(s, CONTAINER.plans.standard), alias: 'Standard' },
      ],
      [CONTAINER.technicalConfigurations.standard],
    ],
  ])(
    'incomplete, %s: refused at once, one businessValidationError per missing resource',
    async (_, scenario, resources, missing) => {
      const s = await start(scenario);
      const draft = s.draft();
      const jobId = await post(s, ...resources(s), PREVIEW_SUBMISSION);
      const failed = await job(s, jobId);
      expect(failed).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' });
      expect(failed.errors).toEqual(
        missing.map((resourceId) => ({
          resourceId,
          code: 'businessValidationError',
          message: expect.stringMatching(/modular publish needs/),
        })),
      );
      expect(s.draft()).toEqual(draft);
      expect(s.writesStarted()).toEqual([]);
      expect(s.writesRefused().map((r) => [r.kind, r.code])).toEqual([
        ['publish', 'businessValidationError'],
      ]);
    },
  );

  test.each([
    [
      'SaaS: product, property, its technical configuration and a plan with its changed listing',
      'saas-offer',
      (s: IngestionSimulator) => [
        sendable(s, PRODUCT),
        sendable(s, SAAS.property),
        sendable(s, SAAS.technicalConfiguration),
        sendable(s, SAAS.plans.pro),
        { ...sendable(s, SAAS.planListings.pro), name: 'Pro, renamed' },
      ],
      SAAS.planListings.pro,
    ],
    [
      'container: product, property, a plan and its changed technical configuration',
      'container-offer',
      (s: IngestionSimulator) => {
        const config = sendable(s, CONTAINER.technicalConfigurations.byol);
        const [ref] = config.cnabReferences as Record<string, unknown>[];
        return [
          sendable(s, PRODUCT),
          sendable(s, CONTAINER.property),
          sendable(s, CONTAINER.plans.byol),
          { ...config, cnabReferences: [{ ...ref, tag: '1.5.0' }] },
        ];
      },
      CONTAINER.technicalConfigurations.byol,
    ],
  ])(
    'complete, %s: applied at once and published alone',
    async (_, scenario, resources, changed) => {
      const s = await start(scenario);
      const sent = resources(s);
      const jobId = await post(s, ...sent, PREVIEW_SUBMISSION);
      expect(jobId).toBe(STARTED_JOBS.publish);
      expect(s.draft().find((r) => r.id === changed)).toEqual(sent.at(-1));
      expect(s.writesStarted().map((w) => w.kind)).toEqual(['configure', 'publish']);
      expect(await ended(s, jobId)).toMatchObject({ jobResult: 'succeeded' });
      expect(byId((await tree(s, 'preview')).resources).get(changed)).toEqual(sent.at(-1));
      expect(byId((await tree(s, 'live')).resources).get(changed)).not.toEqual(sent.at(-1));
    },
  );
});
