/**
 * An offer exported to files (core/configure/export.ts): the names, the text, what is left out,
 * secrets as placeholders, and the round trip: read back as resources, every file plans
 * `already-there` against the same draft. On the simulator's VM tree and on small SaaS- and
 * container-shaped trees of this file's own.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { planResources } from '../../src/core/configure/diff.js';
import { exportPaths, safeSegment } from '../../src/core/configure/export-paths.js';
import { exportOffer, type OfferExport } from '../../src/core/configure/export.js';
import type { FileResource, ProductRef, Resource } from '../../src/core/configure/types.js';

const fixture = JSON.parse(
  readFileSync(
    new URL('../../simulator/fixtures/ingestion/resource-tree.json', import.meta.url),
    'utf8',
  ),
) as { root: string; resources: Resource[] };
const vm: ProductRef = { id: fixture.root, externalId: 'contoso-vm' };
const vmTree = fixture.resources;

const schema = (type: string, version = '2022-03-01-preview3') =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`;
const SIG = 'S1gNaTuRe%3D';

/** The export's files read back as `resources` files would give them. */
function readBack(exported: OfferExport): FileResource[] {
  return exported.files.map((f) => ({
    file: f.path,
    index: 0,
    resource: JSON.parse(f.text) as Resource,
  }));
}

/** Each file's status when read back against the tree. */
function roundTrip(tree: Resource[], product: ProductRef, exported = exportOffer(tree, product)) {
  return Object.fromEntries(
    planResources(tree, readBack(exported), product).map((c) => [
      c.kind === 'resource' ? c.file : c.planId,
      c.status,
    ]),
  );
}

const allThere = (exported: OfferExport) =>
  Object.fromEntries(exported.files.map((f) => [f.path, 'already-there']));

/** A deterministic shuffle: the service does not promise the tree's order. */
function shuffled<T>(list: readonly T[]): T[] {
  return list
    .map((item, i) => ({ item, key: (i * 7919) % 13 }))
    .sort((a, b) => a.key - b.key)
    .map((e) => e.item);
}

// A SaaS offer: two listing languages, a product-level technical configuration, a plan, a
// submission (never exported) and customer leads with a secret.
const S = '5a5a5a5a-0000-4000-8000-000000000000';
const SP = '5a5a5a5a-0000-4000-8000-0000000000b1';
const saas: ProductRef = { id: `product/${S}`, externalId: 'contoso-saas' };
const saasTree: Resource[] = [
  {
    $schema: schema('product', '2022-07-01'),
    id: `product/${S}`,
    identity: { externalId: 'contoso-saas' },
    type: 'softwareAsAService',
    alias: 'Contoso SaaS',
  },
  {
    $schema: schema('property', '2022-03-01-preview5'),
    id: `property/${S}/public/main`,
    product: `product/${S}`,
    kind: 'azureSaaS',
    termsConditions: 'standardMicrosoft',
    categories: { 'developer-tools-saas': ['devService'] },
  },
  ...['en-us', 'de-de'].map((lang) => ({
    $schema: schema('listing', '2022-03-01-preview5'),
    id: `listing/${S}/public/main/default/${lang}`,
    product: `product/${S}`,
    kind: 'azureSaaS',
    languageId: lang,
    title: lang === 'en-us' ? 'Contoso SaaS' : 'Contoso SaaS (Deutsch)',
  })),
  {
    $schema: schema('software-as-a-service-technical-configuration'),
    id: `software-as-a-service-technical-configuration/${S}`,
    product: `product/${S}`,
    landingPageUrl: 'https://contoso.example/landing',
    connectionWebhook: 'https://contoso.example/webhook',
    azureAdTenantId: '11111111-1111-4111-8111-111111111111',
    azureAdAppId: '22222222-2222-4222-8222-222222222222',
  },
  {
    $schema: schema('plan', '2022-03-01-preview2'),
    id: `plan/${S}/${SP}`,
    identity: { externalId: 'basic' },
    alias: 'Basic',
    product: `product/${S}`,
    azureRegions: ['azureGlobal'],
  },
  ...['en-us', 'de-de'].map((lang) => ({
    $schema: schema('plan-listing'),
    id: `plan-listing/${S}/public/main/${SP}/${lang}`,
    product: `product/${S}`,
    plan: `plan/${S}/${SP}`,
    kind: 'azureSaaS-plan',
    languageId: lang,
    name: 'Basic',
    description: lang === 'en-us' ? 'The basic plan' : 'Der Basisplan',
  })),
  {
    $schema: schema('price-and-availability-plan', '2022-03-01-preview4'),
    id: `price-and-availability-plan/${S}/${SP}`,
    product: `product/${S}`,
    plan: `plan/${S}/${SP}`,
    visibility: 'visible',
    audience: 'public',
    pricing: { licenseModel: 'flatRate', recurrentPrice: { priceInputOption: 'usd' } },
  },
  {
    $schema: schema('customer-leads'),
    id: `customer-leads/${S}`,
    product: `product/${S}`,
    leadDestination: 'marketo',
    marketo: { serverId: 'abc', clientId: 'lead-app', clientSecret: 'Sup3rS3cret' },
  },
  {
    $schema: schema('submission', '2022-03-01-preview2'),
    id: `submission/${S}/0`,
    product: `product/${S}`,
    target: { targetType: 'draft' },
  },
];

// A container offer: a plan technical configuration with a registry password, listing assets
// that nothing but their id tells apart, a terms URL signed with a SAS token.
const C = 'c0c0c0c0-0000-4000-8000-000000000000';
const CP = 'c0c0c0c0-0000-4000-8000-0000000000c1';
const container: ProductRef = { id: `product/${C}`, externalId: 'contoso-container' };
const TERMS_SAS = `https://contosodocs.blob.core.windows.net/legal/terms.pdf?sv=2024-01-01&sr=b&sig=${SIG}`;
const containerTree: Resource[] = [
  {
    $schema: schema('product', '2022-07-01'),
    id: `product/${C}`,
    identity: { externalId: 'contoso-container' },
    type: 'azureContainer',
    alias: 'Contoso Container',
  },
  {
    $schema: schema('property', '2022-03-01-preview5'),
    id: `property/${C}/public/main`,
    product: `product/${C}`,
    kind: 'azureContainer',
    termsConditions: 'custom',
    termsOfUseUrl: TERMS_SAS,
    categories: { containers: ['container-apps', 'container-images'] },
  },
  {
    $schema: schema('commercial-marketplace-setup', '2022-03-01-preview2'),
    id: `commercial-marketplace-setup/${C}`,
    product: `product/${C}`,
    sellThroughMicrosoft: false,
  },
  {
    $schema: schema('listing', '2022-03-01-preview5'),
    id: `listing/${C}/public/main/default/en-us`,
    product: `product/${C}`,
    kind: 'azureContainer',
    languageId: 'en-us',
    title: 'Contoso Container',
  },
  ...['azureLogoLarge', 'azureLogoScreenshot'].map((type) => ({
    $schema: schema('listing-asset', '2022-03-01-preview5'),
    id: `listing-asset/${C}/public/main/default/en-us/${type.toLowerCase()}/1`,
    product: `product/${C}`,
    listing: `listing/${C}/public/main/default/en-us`,
    kind: 'azure',
    type,
    languageId: 'en-us',
    fileName: `${type}.png`,
    url: `https://contoso.example/assets/${type}.png`,
  })),
  {
    $schema: schema('plan', '2022-03-01-preview2'),
    id: `plan/${C}/${CP}`,
    identity: { externalId: 'images' },
    alias: 'Images',
    product: `product/${C}`,
    azureRegions: ['azureGlobal'],
  },
  {
    $schema: schema('container-plan-technical-configuration'),
    id: `container-plan-technical-configuration/${C}/${CP}`,
    product: `product/${C}`,
    plan: `plan/${C}/${CP}`,
    payloadType: 'image',
    imageRepositoryDetails: {
      subscriptionID: '537d2130-be25-451e-b3ff-c5b469a13e2d',
      resourceGroupName: 'images',
      registryName: 'contoso',
      userName: 'puller',
      password: 'R3g1stryPassw0rd',
      repositoryName: 'app',
    },
    imageTags: ['latest', '1.0.4'],
  },
  {
    $schema: schema('price-and-availability-plan', '2022-03-01-preview4'),
    id: `price-and-availability-plan/${C}/${CP}`,
    product: `product/${C}`,
    plan: `plan/${C}/${CP}`,
    visibility: 'hidden',
    audience: 'public',
  },
];

describe('exportOffer on the simulator VM tree', () => {
  const exported = exportOffer(vmTree, vm);

  test('one file per resource, named by what it is and its plan', () => {
    expect(exported.files.map((f) => f.path)).toEqual([
      'availability.json',
      'listing.json',
      'plans/gen1/listing.json',
      'plans/gen1/plan.json',
      'plans/gen1/price-and-availability.json',
      'plans/gen1/technical-configuration.json',
      'plans/gen2/listing.json',
      'plans/gen2/plan.json',
      'plans/gen2/price-and-availability.json',
      'plans/gen2/technical-configuration.json',
      'product.json',
      'property.json',
    ]);
    expect(exported.notes).toEqual([]);
  });

  test('read back, every file is already there', () => {
    expect(roundTrip(vmTree, vm, exported)).toEqual(allThere(exported));
  });

  test('references by external id; no durable id, read-only field or image version', () => {
    const texts = exported.files.map((f) => f.text).join('\n');
    expect(texts).not.toContain(fixture.root.split('/')[1]);
    expect(texts).not.toMatch(/^ {2}"(id|validations|vmImageVersions)":/m);
    const techConfig = JSON.parse(
      exported.files.find((f) => f.path === 'plans/gen2/technical-configuration.json')!.text,
    ) as Resource;
    expect(techConfig.product).toEqual({ externalId: 'contoso-vm' });
    expect(techConfig.plan).toEqual({ externalId: 'gen2' });
    expect(techConfig.skus).toEqual(vmTree.find((r) => r.id === techConfigId('4c7d'))!.skus);
  });

  test('the text: keys sorted at every depth, $schema first, 2 spaces, a final newline', () => {
    const listing = exported.files.find((f) => f.path === 'listing.json')!.text;
    expect(
      listing.startsWith('{\n  "$schema": "https://schema.mp.microsoft.com/schema/listing/'),
    ).toBe(true);
    expect(listing.endsWith('}\n')).toBe(true);
    expect(listing).toContain(
      '  "supportContact": {\n    "email": "support@contoso.example",\n    "name": "Contoso Support",',
    );
    for (const file of exported.files) {
      const keys = [...file.text.matchAll(/^ {2}"([^"]+)":/gm)].map((m) => m[1]!);
      expect(keys[0]).toBe('$schema');
      expect(keys.slice(1)).toEqual([...keys.slice(1)].sort());
    }
  });

  test('a re-export of the same tree in another order is byte for byte the same', () => {
    const again = exportOffer(
      shuffled(vmTree).map((r) => Object.fromEntries(shuffled(Object.entries(r))) as Resource),
      vm,
    );
    expect(again).toEqual(exported);
  });

  test('a retired schema host is written as the current one', () => {
    const retired = vmTree.map((r) =>
      typeof r.$schema === 'string' && r.$schema.includes('/listing/')
        ? {
            ...r,
            $schema: r.$schema.replace(
              'schema.mp.microsoft.com',
              'product-ingestion.azureedge.net',
            ),
          }
        : r,
    );
    expect(exportOffer(retired, vm)).toEqual(exported);
  });

  test('from another target, a note says the files are planned against the draft', () => {
    expect(exportOffer(vmTree, vm, { target: 'live' }).notes).toEqual([
      'exported from the live tree: read back as resources, the files are planned against the draft, so what the draft holds since shows as a change',
    ]);
  });
});

function techConfigId(planPrefix: string): string {
  return String(
    vmTree.find(
      (r) =>
        String(r.id).startsWith('virtual-machine-plan-technical-configuration/') &&
        String(r.plan).includes(`/${planPrefix}`),
    )!.id,
  );
}

describe('exportOffer on a SaaS-shaped tree', () => {
  const exported = exportOffer(shuffled(saasTree), saas);

  test('listings per language, the product-level technical configuration, no submission', () => {
    expect(exported.files.map((f) => f.path)).toEqual([
      'customer-leads.json',
      'listing.de-de.json',
      'listing.en-us.json',
      'plans/basic/listing.de-de.json',
      'plans/basic/listing.en-us.json',
      'plans/basic/plan.json',
      'plans/basic/price-and-availability.json',
      'product.json',
      'property.json',
      'technical-configuration.json',
    ]);
    // Each one found again without its durable id: by identity, or by product, plan and language.
    for (const file of exported.files) expect(file.text).not.toMatch(/^ {2}"id":/m);
  });

  test('a secret field is a placeholder, said in a note; read back, all is already there', () => {
    const leads = exported.files.find((f) => f.path === 'customer-leads.json')!.text;
    expect(leads).not.toContain('Sup3rS3cret');
    expect(leads).toContain(
      '"clientSecret": "<secret: kept from the offer, see docs/offer-as-code.md#sas>"',
    );
    expect(exported.notes).toEqual([
      "customer-leads.json: 1 secret written as a placeholder (marketo.clientSecret): read back, the offer's value is kept (docs/offer-as-code.md#sas)",
    ]);
    expect(roundTrip(saasTree, saas, exported)).toEqual(allThere(exported));
  });
});

describe('exportOffer on a container-shaped tree', () => {
  const exported = exportOffer(containerTree, container);
  const text = (path: string) => exported.files.find((f) => f.path === path)!.text;

  test('any other type by its name, at its plan when it has one; ids where nothing else tells', () => {
    expect(exported.files.map((f) => f.path)).toEqual([
      'commercial-marketplace-setup.json',
      'listing-asset.public.main.default.en-us.azurelogolarge.1.json',
      'listing-asset.public.main.default.en-us.azurelogoscreenshot.1.json',
      'listing.json',
      'plans/images/plan.json',
      'plans/images/price-and-availability.json',
      'plans/images/technical-configuration.json',
      'product.json',
      'property.json',
    ]);
    expect(
      JSON.parse(text('listing-asset.public.main.default.en-us.azurelogolarge.1.json')),
    ).toHaveProperty('id', `listing-asset/${C}/public/main/default/en-us/azurelogolarge/1`);
    expect(JSON.parse(text('property.json'))).not.toHaveProperty('id');
  });

  test('no SAS URI or password is written: placeholders, one note per resource', () => {
    const all = exported.files.map((f) => f.text).join('\n');
    expect(all).not.toMatch(/sig=|S1gNaTuRe|R3g1stryPassw0rd/i);
    expect(JSON.parse(text('property.json'))).toHaveProperty(
      'termsOfUseUrl',
      '<SAS URI of contosodocs/legal/terms.pdf: kept from the offer, see docs/offer-as-code.md#sas>',
    );
    expect(exported.notes).toEqual([
      `listing-asset.public.main.default.en-us.azurelogolarge.1.json: keeps its durable id listing-asset/${C}/public/main/default/en-us/azurelogolarge/1: nothing else tells it apart in the draft (no identity, and not one of a kind for its product, plan and language)`,
      `listing-asset.public.main.default.en-us.azurelogoscreenshot.1.json: keeps its durable id listing-asset/${C}/public/main/default/en-us/azurelogoscreenshot/1: nothing else tells it apart in the draft (no identity, and not one of a kind for its product, plan and language)`,
      "plans/images/technical-configuration.json: 1 secret written as a placeholder (imageRepositoryDetails.password): read back, the offer's value is kept (docs/offer-as-code.md#sas)",
      "property.json: 1 SAS URI written as a placeholder (contosodocs/legal/terms.pdf): read back, the offer's value is kept (docs/offer-as-code.md#sas)",
    ]);
    for (const note of exported.notes) expect(note).not.toMatch(/[\r\n]/);
  });

  test('read back, every file is already there, the secrets kept from the draft', () => {
    expect(roundTrip(containerTree, container, exported)).toEqual(allThere(exported));
    // A change next to a placeholder sends the draft's secret, not the placeholder.
    const files = readBack(exported).map((f) =>
      f.file === 'property.json'
        ? { ...f, resource: { ...f.resource, termsConditions: 'standardMicrosoft' } }
        : f,
    );
    const change = planResources(containerTree, files, container).find(
      (c) => c.kind === 'resource' && c.file === 'property.json',
    );
    expect(change?.status).toBe('change');
    expect(change?.resource?.termsOfUseUrl).toBe(TERMS_SAS);
  });

  test('a SAS token that is not a URI, or signed in an escaped query, is a secret too', () => {
    const tree = containerTree.map((r) =>
      r.id === `commercial-marketplace-setup/${C}`
        ? {
            ...r,
            token: `?sv=2024-01-01&sig=${SIG}`,
            redirect: `https://contoso.example/go?to=https%3A%2F%2Fa.example%2Fx%3Fsig%3D${SIG}`,
          }
        : r,
    );
    const again = exportOffer(tree, container);
    const setup = again.files.find((f) => f.path === 'commercial-marketplace-setup.json')!.text;
    expect(setup).not.toContain(SIG);
    expect(roundTrip(tree, container, again)).toEqual(allThere(again));
  });

  test('a field name holding a signed URI: the resource is left out, with a note', () => {
    const tree = [
      ...containerTree,
      { $schema: schema('reseller'), id: `reseller/${C}`, [TERMS_SAS]: 1 },
    ];
    const again = exportOffer(tree, container);
    expect(again.files.map((f) => f.path)).not.toContain('reseller.json');
    expect(again.notes[0]).toBe(
      `reseller 'reseller/${C}': not exported: a field name holds a signed URI or token`,
    );
  });
});

describe('file names', () => {
  const plan = (externalId: string, guid: string): Resource => ({
    $schema: schema('plan'),
    id: `plan/${C}/${guid}`,
    identity: { externalId },
    product: `product/${C}`,
  });
  const listingOf = (guid: string, lang: string): Resource => ({
    $schema: schema('plan-listing'),
    id: `plan-listing/${C}/public/main/${guid}/${lang}`,
    product: `product/${C}`,
    plan: `plan/${C}/${guid}`,
    languageId: lang,
  });

  test('an external id, a type or a language that is not plainly safe is encoded', () => {
    const tree = [
      plan('../../etc', 'g1'),
      listingOf('g1', 'en-us'),
      listingOf('g1', '../x'),
      plan('CON', 'g2'),
      { $schema: 'https://schema.mp.microsoft.com/schema/../2022-01-01', id: 'x/y' },
      { $schema: 'https://schema.mp.microsoft.com/schema/a b%/2022-01-01', id: 'x/z' },
    ];
    const paths = exportPaths(tree, tree);
    expect(paths).toEqual([
      'plans/%2E.%2F..%2Fetc/plan.json',
      'plans/%2E.%2F..%2Fetc/listing.en-us.json',
      'plans/%2E.%2F..%2Fetc/listing.%2E.%2Fx.json',
      'plans/%43ON/plan.json',
      '%2E%2E.json',
      'a%20b%25.json',
    ]);
    for (const path of paths) {
      expect(path.split('/').every((s) => s !== '' && s !== '.' && s !== '..')).toBe(true);
      expect(path).toMatch(/^[A-Za-z0-9_.%~/-]+$/);
    }
  });

  test('names that would collide, case aside, take their id, then a counter', () => {
    const tree = [
      plan('Gen2', 'g1'),
      plan('gen2', 'g2'),
      { $schema: schema('reseller') },
      { $schema: schema('reseller'), x: 1 },
    ];
    expect(exportPaths(tree, tree)).toEqual([
      'plans/Gen2/plan.g1.json',
      'plans/gen2/plan.g2.json',
      'reseller~1.json',
      'reseller~2.json',
    ]);
  });

  test('safeSegment: plain names as they are; anything else never shares a segment', () => {
    expect(safeSegment('gen2_x-1.b')).toBe('gen2_x-1.b');
    expect(safeSegment('')).toBe('%');
    expect(safeSegment('.hidden')).toBe('%2Ehidden');
    expect(safeSegment('trailing.')).toBe('trailing%2E');
    expect(safeSegment('a%2F')).toBe('a%252F');
    expect(safeSegment('a/')).toBe('a%2F');
    expect(safeSegment('é')).toBe('%C3%A9');
    expect(safeSegment('nul')).toBe('%6Eul');
  });
});
