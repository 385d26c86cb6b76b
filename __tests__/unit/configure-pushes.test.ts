import { describe, expect, test } from '@jest/globals';
import { planResources } from '../../src/core/configure/diff.js';
import { planVmImageVersion } from '../../src/core/configure/plan.js';
import { MAX_PUSHES, applyChanges, describePushes } from '../../src/core/configure/pushes.js';
import type { PlannedChange, Resource } from '../../src/core/configure/types.js';

const P = '11111111-2222-3333-4444-555555555555';
const G2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const G1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const G3 = 'aaaaaaaa-0000-4000-8000-000000000003';
const schema = (type: string, version = '2022-03-01-preview3') =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`;
const SUB = '0a1b2c3d-0000-4000-8000-000000000001';
const image = (v: string) => ({
  imageType: 'x64Gen2',
  source: {
    sourceType: 'sharedImageGallery',
    sharedImage: {
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      resourceId: `/subscriptions/${SUB}/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/${v}`,
    },
  },
});

/** A small tree in the notes' shapes: the offer's resources and two plans' (gen3 optional). */
function tree(withGen3 = false): Resource[] {
  const plan = (guid: string, externalId: string): Resource[] => [
    {
      $schema: schema('plan', '2022-03-01-preview2'),
      id: `plan/${P}/${guid}`,
      identity: { externalId },
      alias: `Contoso ${externalId}`,
      product: `product/${P}`,
    },
    {
      $schema: schema('plan-listing'),
      id: `plan-listing/${P}/public/main/${guid}/en-us`,
      product: `product/${P}`,
      plan: `plan/${P}/${guid}`,
      kind: 'azureVM-plan',
      name: externalId,
      summary: `${externalId} summary`,
      languageId: 'en-us',
    },
    {
      $schema: schema('price-and-availability-plan', '2022-03-01-preview4'),
      id: `price-and-availability-plan/${P}/${guid}`,
      product: `product/${P}`,
      plan: `plan/${P}/${guid}`,
      visibility: 'visible',
      audience: 'public',
      markets: ['us'],
      pricing: {
        licenseModel: 'payAsYouGo',
        corePricing: { priceInputOption: 'perCore', pricePerCore: 0.1 },
      },
    },
    {
      $schema: schema('virtual-machine-plan-technical-configuration', '2022-03-01-preview5'),
      id: `virtual-machine-plan-technical-configuration/${P}/${guid}`,
      product: `product/${P}`,
      plan: `plan/${P}/${guid}`,
      skus: [{ imageType: 'x64Gen2', skuId: externalId }],
      vmImageVersions: [
        { versionNumber: '1.2.0', vmImages: [image('1.2.0')] },
        { versionNumber: '1.3.0', vmImages: [image('1.3.0')] },
      ],
      openPorts: [],
      validations: [{ versionNumber: '1.3.0', state: 'passed' }],
    },
  ];
  return [
    {
      $schema: schema('product', '2022-07-01'),
      id: `product/${P}`,
      identity: { externalId: 'contoso-vm' },
      type: 'azureVirtualMachine',
      alias: 'Contoso VM',
    },
    {
      $schema: schema('listing'),
      id: `listing/${P}/public/main/default/en-us`,
      product: `product/${P}`,
      kind: 'azureVM',
      languageId: 'en-us',
      title: 'Contoso VM',
      searchResultSummary: 'Hardened Linux',
      shortDescription: 'Short',
    },
    {
      $schema: schema('property', '2022-03-01-preview2'),
      id: `property/${P}/public/main`,
      product: `product/${P}`,
      kind: 'azureVM',
      termsConditions: 'standardMicrosoft',
      categories: { compute: ['operating-systems'] },
    },
    {
      $schema: schema('price-and-availability-offer', '2022-03-01-preview2'),
      id: `price-and-availability-offer/${P}`,
      product: `product/${P}`,
      previewAudiences: [{ type: 'subscription', id: SUB, label: 'Test' }],
    },
    ...plan(G2, 'gen2'),
    ...plan(G1, 'gen1'),
    ...(withGen3 ? plan(G3, 'gen3') : []),
    {
      $schema: schema('submission', '2022-03-01-preview2'),
      id: `submission/${P}/0`,
      product: `product/${P}`,
      target: { targetType: 'draft' },
    },
  ];
}

/** The tree with the resource whose id starts with `prefix` changed by `edit`. */
function edited(prefix: string, edit: (r: Resource) => void, base = tree()): Resource[] {
  return base.map((r) => {
    if (!String(r.id).startsWith(prefix)) return r;
    const copy = structuredClone(r);
    edit(copy);
    return copy;
  });
}
const tc = (guid: string) => `virtual-machine-plan-technical-configuration/${P}/${guid}`;
const versions = (r: Resource) => r.vmImageVersions as Record<string, unknown>[];

describe('describePushes', () => {
  test('the same content is nothing to push: order, key order, schema, read-only fields, ids case', () => {
    const preview = tree()
      .reverse()
      .map((r) => {
        const copy: Resource = Object.fromEntries(Object.entries(r).reverse());
        copy.$schema = String(r.$schema).replace('2022', '2023');
        if (typeof r.id === 'string') copy.id = r.id.toUpperCase();
        if (copy.validations) copy.validations = [];
        if (copy.target) copy.id = `submission/${P}/1152921515689848683`;
        return copy;
      });
    expect(describePushes(tree(), preview)).toEqual([]);
  });

  test.each([
    [
      'listing: the fields that differ',
      'listing/',
      (r: Resource) => {
        r.searchResultSummary = 'Faster';
        r.title = 'Contoso VM 2';
      },
      ['listing title, searchResultSummary'],
    ],
    [
      'a listing field removed',
      'listing/',
      (r: Resource) => delete r.shortDescription,
      ['listing shortDescription'],
    ],
    [
      'a plan price: just "price"',
      `price-and-availability-plan/${P}/${G1}`,
      (r: Resource) => {
        (r.pricing as { corePricing: { pricePerCore: number } }).corePricing.pricePerCore = 0.2;
        r.markets = ['us', 'ca'];
      },
      ['plan gen1 price'],
    ],
    [
      'a plan listing',
      `plan-listing/${P}/public/main/${G2}`,
      (r: Resource) => (r.summary = 'New'),
      ['plan gen2 listing summary'],
    ],
    [
      'properties',
      'property/',
      (r: Resource) => (r.categories = { compute: ['operating-systems', 'security'] }),
      ['properties categories'],
    ],
    [
      'availability',
      'price-and-availability-offer/',
      (r: Resource) => (r.previewAudiences = []),
      ['availability previewAudiences'],
    ],
    ['a plan itself', `plan/${P}/${G2}`, (r: Resource) => (r.alias = 'Gen 2'), ['plan gen2 alias']],
    [
      'a version added',
      tc(G2),
      (r: Resource) => versions(r).push({ versionNumber: '1.4.0', vmImages: [image('1.4.0')] }),
      ['plan gen2 version 1.4.0'],
    ],
    [
      'a version deprecated',
      tc(G2),
      (r: Resource) => (versions(r)[0]!.lifecycleState = 'deprecated'),
      ['plan gen2 version 1.2.0 deprecated'],
    ],
    [
      'a version changed otherwise, or removed',
      tc(G1),
      (r: Resource) => {
        versions(r)[0]!.vmImages = [image('1.2.1')];
        versions(r).pop();
      },
      ['plan gen1 version 1.2.0 changed', 'plan gen1 version 1.3.0 removed'],
    ],
    [
      'other technical configuration fields',
      tc(G2),
      (r: Resource) => {
        r.openPorts = [{ port: 22 }];
        r.skus = [];
      },
      ['plan gen2 technical configuration skus, openPorts'],
    ],
  ] as [string, string, (r: Resource) => void, string[]][])('%s', (_n, prefix, edit, words) => {
    expect(describePushes(edited(prefix, edit), tree())).toEqual(words);
  });

  test('a new plan is one entry, with the versions it brings; a removed plan one entry', () => {
    expect(describePushes(tree(true), tree())).toEqual([
      'new plan gen3',
      'plan gen3 version 1.2.0',
      'plan gen3 version 1.3.0',
    ]);
    expect(describePushes(tree(), tree(true))).toEqual(
      [
        'plan gen3 removed',
        'plan gen3 version 1.2.0 removed',
        'plan gen3 version 1.3.0 removed',
        'plan gen3 technical configuration removed',
      ].sort(),
    );
  });

  test('several differences, sorted; a plan is named by its external id in either tree, else its durable id', () => {
    const noIdentity = (base: Resource[]) =>
      edited(`plan/${P}/${G1}`, (r) => delete r.identity, base);
    const draft = edited('listing/', (r) => (r.title = 'x'), noIdentity(tree()));
    const withPrice = edited(
      `price-and-availability-plan/${P}/${G1}`,
      (r) => (r.visibility = 'hidden'),
      draft,
    );
    // The preview still knows the plan as gen1.
    expect(describePushes(withPrice, tree())).toEqual([
      'listing title',
      'plan gen1 identity',
      'plan gen1 price',
    ]);
    expect(describePushes(withPrice, noIdentity(tree()))).toEqual([
      'listing title',
      `plan plan/${P}/${G1} price`,
    ]);
  });

  test(`bounded: at most ${MAX_PUSHES} entries then a count; field lists too; every entry one line`, () => {
    const draft = edited(tc(G2), (r) => {
      for (let i = 0; i < 25; i++) versions(r).push({ versionNumber: `2.0.${i}`, vmImages: [] });
    });
    const words = describePushes(draft, tree());
    expect(words).toHaveLength(MAX_PUSHES + 1);
    expect(words[0]).toBe('plan gen2 version 2.0.0');
    expect(words[1]).toBe('plan gen2 version 2.0.1');
    expect(words.at(-1)).toBe('and 5 more');
    const many = edited('listing/', (r) => {
      for (const f of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) r[f] = 1;
    });
    expect(describePushes(many, tree())).toEqual(['listing a, b, c, d, e and 2 more']);
    const hostile = edited(
      `plan/${P}/${G2}`,
      (r) => (r.identity = { externalId: 'gen2\n::error::x' }),
    );
    const lines = describePushes(
      edited(`plan-listing/${P}/public/main/${G2}`, (r) => (r.summary = 'y'), hostile),
      tree(),
    );
    expect(lines).toEqual([
      'plan gen2 ::error::x identity',
      'plan gen2 ::error::x listing summary',
    ]);
  });
});

describe('applyChanges, then describePushes: what a publish of the planned change pushes', () => {
  test('sent resources replace the draft’s, new ones join, already-there ones change nothing', () => {
    const draft = tree();
    const product = { id: `product/${P}`, externalId: 'contoso-vm' };
    const files = planResources(
      draft,
      [
        {
          file: 'listing.json',
          index: 0,
          resource: {
            $schema: schema('listing'),
            product: { externalId: 'contoso-vm' },
            searchResultSummary: 'Faster',
          },
        },
        {
          file: 'price.json',
          index: 0,
          resource: {
            $schema: schema('price-and-availability-plan'),
            product: { externalId: 'contoso-vm' },
            plan: { externalId: 'gen1' },
            visibility: 'visible',
          },
        },
      ],
      product,
    );
    const version = planVmImageVersion({
      planId: 'gen2',
      techConfig: draft.find((r) => r.id === tc(G2))!,
      version: '1.4.0',
      images: [
        {
          imageType: 'x64Gen2',
          source: { kind: 'gallery', resourceId: image('1.4.0').source.sharedImage.resourceId },
        },
      ],
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    });
    const newPlan: PlannedChange = {
      kind: 'resource',
      file: 'plan.json',
      index: 0,
      resourceId: '',
      label: "plan 'gen3'",
      status: 'new',
      fields: [],
      resource: {
        $schema: schema('plan'),
        product: { externalId: 'contoso-vm' },
        identity: { externalId: 'gen3' },
      },
    };
    const changes = [version, ...files, newPlan];
    expect(files.map((c) => c.status)).toEqual(['change', 'already-there']);
    const after = applyChanges(draft, changes);
    expect(after).toHaveLength(draft.length + 1);
    expect(after.find((r) => r.id === tc(G2))).toEqual(version.resource);
    expect(after.find((r) => String(r.id).startsWith('listing/'))).toEqual(
      expect.objectContaining({ product: `product/${P}`, searchResultSummary: 'Faster' }),
    );
    expect(draft).toEqual(tree()); // the draft given is left alone
    expect(describePushes(after, draft)).toEqual([
      'listing searchResultSummary',
      'new plan gen3',
      'plan gen2 version 1.4.0',
    ]);
  });
});
