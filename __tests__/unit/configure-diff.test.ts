import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { ConfigureError } from '../../src/core/configure/configure-error.js';
import {
  MAX_FIELD_CHANGES,
  READ_ONLY_FIELDS,
  diffResource,
  matchDraft,
  planResources,
} from '../../src/core/configure/diff.js';
import { SECRET_PLACEHOLDER_TEXT, sasPlaceholder } from '../../src/core/configure/placeholder.js';
import type { FileResource, Resource } from '../../src/core/configure/types.js';

const P = '11111111-2222-3333-4444-555555555555';
const GEN2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const GEN1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const product = { id: `product/${P}`, externalId: 'contoso-vm' };
const schema = (type: string, version = '2022-03-01-preview3') =>
  `https://schema.mp.microsoft.com/schema/${type}/${version}`;
const SECRET = 'SeCrEtSiGnAtUrE';

const listing = (): Resource => ({
  $schema: schema('listing'),
  id: `listing/${P}/public/main/default/en-us`,
  product: `product/${P}`,
  kind: 'azureListing',
  title: 'Contoso VM',
  summary: 'A VM',
  description: '<p>Contoso</p>',
  languageId: 'en-us',
  keywords: ['linux', 'contoso'],
});
const plan = (guid: string, externalId: string): Resource => ({
  $schema: schema('plan', '2022-03-01-preview2'),
  id: `plan/${P}/${guid}`,
  identity: { externalId },
  alias: `Contoso ${externalId}`,
  product: `product/${P}`,
  azureRegions: ['azureGlobal'],
});
const planListing = (guid: string, name: string): Resource => ({
  $schema: schema('plan-listing'),
  id: `plan-listing/${P}/public/main/${guid}/en-us`,
  product: `product/${P}`,
  plan: `plan/${P}/${guid}`,
  kind: 'azureVM-plan',
  name,
  summary: `${name} summary`,
  languageId: 'en-us',
});
const techConfig = (): Resource => ({
  $schema: schema('virtual-machine-plan-technical-configuration', '2022-03-01-preview5'),
  id: `virtual-machine-plan-technical-configuration/${P}/${GEN2}`,
  product: `product/${P}`,
  plan: `plan/${P}/${GEN2}`,
  skus: [
    { imageType: 'x64Gen2', skuId: 'gen2' },
    { imageType: 'x64Gen1', skuId: 'gen1' },
  ],
  vmImageVersions: [
    {
      versionNumber: '1.3.0',
      lifecycleState: 'generallyAvailable',
      vmImages: [
        {
          imageType: 'x64Gen2',
          source: {
            sourceType: 'sasUri',
            osDisk: { uri: `https://acct.blob.core.windows.net/vhds/a.vhd?sig=${SECRET}` },
          },
        },
      ],
    },
  ],
  openPorts: [],
  validations: [{ result: 'passed' }],
});
const tree: Resource[] = [
  planListing(GEN1, 'Gen 1'),
  techConfig(),
  plan(GEN2, 'gen2'),
  listing(),
  plan(GEN1, 'gen1'),
  planListing(GEN2, 'Gen 2'),
  {
    $schema: schema('property', '2022-03-01-preview3'),
    id: `property/${P}/public/main`,
    product: `product/${P}`,
    kind: 'azureVM',
    categories: { 'it-and-management-tools': ['networking'] },
  },
  {
    $schema: schema('submission', '2022-03-01-preview2'),
    id: `submission/${P}/0`,
    product: `product/${P}`,
    target: { targetType: 'draft' },
  },
];

test('READ_ONLY_FIELDS: validations, which the notes say is read-only', () => {
  expect(READ_ONLY_FIELDS).toEqual(['validations']);
});

describe('matchDraft', () => {
  const { id: _, ...listingWithoutId } = listing();
  test.each([
    ['by id', { ...listing(), title: 'x' }, listing().id],
    [
      'by id in another case',
      { $schema: schema('listing'), id: String(listing().id).toUpperCase() },
      listing().id,
    ],
    [
      'by type and external id',
      { $schema: schema('plan', '2023-01-01'), identity: { externalId: 'gen1' } },
      `plan/${P}/${GEN1}`,
    ],
    [
      'an unknown id falls back on the external id',
      { $schema: schema('plan'), id: 'plan/x/y', identity: { externalId: 'gen2' } },
      `plan/${P}/${GEN2}`,
    ],
    ['one per product: by type and product (a durable id)', listingWithoutId, listing().id],
    [
      'one per product: the product by external id',
      { ...listingWithoutId, product: { externalId: 'contoso-vm' } },
      listing().id,
    ],
    [
      'one per product: no product at all',
      { $schema: schema('property'), kind: 'azureVM' },
      `property/${P}/public/main`,
    ],
    [
      'one per plan: by plan external id',
      {
        $schema: schema('plan-listing'),
        product: { externalId: 'contoso-vm' },
        plan: { externalId: 'gen1' },
      },
      `plan-listing/${P}/public/main/${GEN1}/en-us`,
    ],
    [
      'one per plan: by plan durable id',
      { $schema: schema('plan-listing'), plan: `plan/${P}/${GEN2}` },
      `plan-listing/${P}/public/main/${GEN2}/en-us`,
    ],
    [
      'the retired schema host reads the same',
      {
        $schema: 'https://product-ingestion.azureedge.net/schema/listing/2022-03-01-preview3',
        product: `product/${P}`,
      },
      listing().id,
    ],
  ] as [string, Resource, unknown][])('%s', (_name, wanted, id) => {
    expect(matchDraft(tree, wanted, product)?.id).toBe(id);
  });

  test.each([
    ['an unknown external id', { $schema: schema('plan'), identity: { externalId: 'gen3' } }],
    [
      'a plan without identity (only one-per-product resources match that way)',
      { $schema: schema('plan') },
    ],
    [
      'a plan-scoped resource of an unknown plan',
      { $schema: schema('plan-listing'), plan: { externalId: 'gen3' } },
    ],
    ['another product', { ...listingWithoutId, product: { externalId: 'other-vm' } }],
    ['a type the draft lacks', { $schema: schema('reseller-configuration') }],
    ['no $schema', { title: 'x' }],
  ] as [string, Resource][])('none: %s', (_name, wanted) => {
    expect(matchDraft(tree, wanted, product)).toBeUndefined();
  });

  test('several of a kind: the language tells listings apart, else it is an error', () => {
    const french = {
      ...listing(),
      id: `listing/${P}/public/main/default/fr-fr`,
      languageId: 'fr-fr',
    };
    const two = [...tree, french];
    expect(matchDraft(two, { $schema: schema('listing'), languageId: 'fr-fr' }, product)?.id).toBe(
      french.id,
    );
    expect(() => matchDraft(two, { $schema: schema('listing') }, product)).toThrow(
      new ConfigureError(
        'has neither id nor identity and matches 2 listing resources of the draft: give its id',
        '',
      ),
    );
  });
});

describe('diffResource', () => {
  const long = 'x'.repeat(300);
  test.each([
    ['nothing differs', listing(), listing(), []],
    [
      'another $schema version and host',
      listing(),
      {
        ...listing(),
        $schema: 'https://product-ingestion.azureedge.net/schema/listing/2099-01-01',
      },
      [],
    ],
    ['read-only fields', techConfig(), { ...techConfig(), validations: [] }, []],
    ['list order', listing(), { ...listing(), keywords: ['contoso', 'linux'] }, []],
    [
      'a field only the draft has is removed',
      listing(),
      { ...listing(), summary: undefined },
      [{ path: 'summary', before: '"A VM"' }],
    ],
    [
      'null, [] and a missing field are alike',
      techConfig(),
      { ...techConfig(), openPorts: null, recommendedVmSizes: [] },
      [],
    ],
    [
      'a list element that loses a field changes: the list is sent whole',
      { ...techConfig(), skus: [{ imageType: 'x64Gen2', skuId: 'gen2', extra: 1 }] },
      { ...techConfig(), skus: [{ imageType: 'x64Gen2', skuId: 'gen2' }] },
      [
        {
          path: 'skus',
          before: '[{"imageType":"x64Gen2","skuId":"gen2","extra":1}]',
          after: '[{"imageType":"x64Gen2","skuId":"gen2"}]',
        },
      ],
    ],
    [
      'a changed field',
      listing(),
      { ...listing(), title: 'Contoso VM Pro' },
      [{ path: 'title', before: '"Contoso VM"', after: '"Contoso VM Pro"' }],
    ],
    [
      'a new field',
      listing(),
      { ...listing(), shortDescription: 'Short' },
      [{ path: 'shortDescription', after: '"Short"' }],
    ],
    [
      'a field set to null',
      listing(),
      { ...listing(), summary: null },
      [{ path: 'summary', before: '"A VM"' }],
    ],
    [
      'a nested field, by dotted path',
      { ...listing(), contact: { name: 'A', email: 'a@contoso.com' } },
      { ...listing(), contact: { name: 'B' } },
      [
        { path: 'contact.name', before: '"A"', after: '"B"' },
        { path: 'contact.email', before: '"a@contoso.com"' },
      ],
    ],
    [
      'a list: only what differs',
      techConfig(),
      {
        ...techConfig(),
        skus: [
          { imageType: 'x64Gen1', skuId: 'gen1' },
          { imageType: 'arm64Gen2', skuId: 'arm' },
        ],
      },
      [
        {
          path: 'skus',
          before: '[… 1 unchanged, {"imageType":"x64Gen2","skuId":"gen2"}]',
          after: '[… 1 unchanged, {"imageType":"arm64Gen2","skuId":"arm"}]',
        },
      ],
    ],
    [
      'a list with an element more',
      listing(),
      { ...listing(), keywords: ['linux', 'contoso', 'vm'] },
      [{ path: 'keywords', before: '[… 2 unchanged]', after: '[… 2 unchanged, "vm"]' }],
    ],
    [
      'a list that changes all through',
      listing(),
      { ...listing(), keywords: ['a'] },
      [{ path: 'keywords', before: '["linux","contoso"]', after: '["a"]' }],
    ],
    [
      'a value shortened to one line of 80',
      listing(),
      { ...listing(), description: `a\nb\u2028${long}` },
      [{ path: 'description', before: '"<p>Contoso</p>"', after: `"a\\nb ${'x'.repeat(73)}…` }],
    ],
  ] as [string, Resource, Resource, unknown][])('%s', (_name, draft, wanted, fields) => {
    expect(diffResource(draft, wanted)).toEqual(fields);
  });

  test('no draft: every field the file gives, but not its schema or id', () => {
    expect(
      diffResource(undefined, {
        $schema: schema('plan'),
        id: 'plan/x',
        identity: { externalId: 'gen3' },
        alias: 'Gen 3',
        azureRegions: [],
      }),
    ).toEqual([
      { path: 'identity', after: '{"externalId":"gen3"}' },
      { path: 'alias', after: '"Gen 3"' },
    ]);
  });

  test(`at most ${MAX_FIELD_CHANGES} fields, each value at most 80 characters`, () => {
    const wanted: Resource = { $schema: schema('listing') };
    for (let i = 0; i < 30; i++) wanted[`f${i}`] = long;
    const fields = diffResource(listing(), wanted);
    expect(fields).toHaveLength(MAX_FIELD_CHANGES);
    for (const f of fields) expect(Array.from(f.after!).length).toBeLessThanOrEqual(80);
  });

  test('a URI query is hidden: it may be a SAS token', () => {
    const link = `https://acct.blob.core.windows.net/docs/terms.pdf?sv=1&sig=${SECRET}`;
    expect(diffResource(listing(), { ...listing(), privacyPolicyLink: link })).toEqual([
      { path: 'privacyPolicyLink', after: '"https://acct.blob.core.windows.net/docs/terms.pdf?…"' },
    ]);
  });

  test('a SAS token deep in a list is never shown', () => {
    const wanted = structuredClone(techConfig());
    (wanted.vmImageVersions as unknown[]).push({
      versionNumber: '1.4.0',
      vmImages: [
        {
          imageType: 'x64Gen2',
          source: {
            sourceType: 'sasUri',
            osDisk: { uri: `https://acct.blob.core.windows.net/vhds/b.vhd?sv=1&sig=${SECRET}` },
          },
        },
      ],
    });
    const removed = { ...techConfig(), vmImageVersions: [] as unknown[] };
    const text = JSON.stringify([
      diffResource(techConfig(), wanted),
      diffResource(techConfig(), removed),
      diffResource(undefined, wanted),
    ]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('sv=1');
  });
});

describe('planResources', () => {
  const file = (name: string, resource: Resource, index = 0): FileResource => ({
    file: name,
    index,
    resource,
  });

  test('a change, already there, and new: ids, labels, fields, what is sent', () => {
    const changed = {
      ...listing(),
      id: undefined,
      product: { externalId: 'contoso-vm' },
      title: 'Contoso VM Pro',
      validations: ['x'],
    };
    delete changed.id;
    const newPlan = {
      $schema: schema('plan'),
      product: { externalId: 'contoso-vm' },
      identity: { externalId: 'gen3' },
      alias: 'Gen 3',
    };
    const changes = planResources(
      tree,
      [
        file('listing.json', changed),
        file('offer.json', { ...plan(GEN1, 'gen1'), id: undefined }, 0),
        file('offer.json', newPlan, 1),
      ],
      product,
    );
    expect(changes).toEqual([
      {
        kind: 'resource',
        file: 'listing.json',
        index: 0,
        resourceId: listing().id,
        label: "listing 'Contoso VM Pro'",
        status: 'change',
        fields: [{ path: 'title', before: '"Contoso VM"', after: '"Contoso VM Pro"' }],
        // Merged onto the draft's: its id, the file's references as written, read-only fields out.
        resource: {
          $schema: schema('listing'),
          id: listing().id,
          product: { externalId: 'contoso-vm' },
          kind: 'azureListing',
          title: 'Contoso VM Pro',
          summary: 'A VM',
          description: '<p>Contoso</p>',
          languageId: 'en-us',
          keywords: ['linux', 'contoso'],
        },
      },
      {
        kind: 'resource',
        file: 'offer.json',
        index: 0,
        resourceId: `plan/${P}/${GEN1}`,
        label: "plan 'gen1'",
        status: 'already-there',
        fields: [],
      },
      {
        kind: 'resource',
        file: 'offer.json',
        index: 1,
        resourceId: '',
        label: "plan 'gen3'",
        status: 'new',
        fields: [
          { path: 'product', after: '{"externalId":"contoso-vm"}' },
          { path: 'identity', after: '{"externalId":"gen3"}' },
          { path: 'alias', after: '"Gen 3"' },
        ],
        resource: newPlan,
      },
    ]);
  });

  test('the retired schema host is sent as the current one', () => {
    const [change] = planResources(
      tree,
      [
        file('l.json', {
          ...listing(),
          $schema: 'https://product-ingestion.azureedge.net/schema/listing/2022-03-01-preview3',
          title: 'New',
        }),
      ],
      product,
    );
    expect(change?.kind === 'resource' && change.resource?.$schema).toBe(schema('listing'));
  });

  test('fields past the bound are counted', () => {
    const wanted: Resource = { ...listing() };
    for (let i = 0; i < 25; i++) wanted[`f${i}`] = i;
    const [change] = planResources(tree, [file('l.json', wanted)], product);
    expect(change).toEqual(expect.objectContaining({ status: 'change', fieldsLeftOut: 5 }));
    expect(change?.kind === 'resource' && change.fields).toHaveLength(MAX_FIELD_CHANGES);
  });

  test.each([
    ['no $schema', [file('a.json', { title: 'x' })], 'file a.json: has no $schema naming its type'],
    [
      'a submission',
      [
        file(
          'a.json',
          {
            $schema: schema('submission'),
            product: `product/${P}`,
            target: { targetType: 'preview' },
          },
          2,
        ),
      ],
      'file a.json (resource 3): is a submission: the step publishes by itself',
    ],
    [
      'another product',
      [file('a.json', { ...listing(), product: { externalId: 'other-vm' } })],
      'file a.json: is for another product ({"externalId":"other-vm"}), not offer contoso-vm',
    ],
    [
      'another product by durable id',
      [file('a.json', { ...listing(), id: undefined, product: 'product/other' })],
      'file a.json: is for another product ("product/other")',
    ],
    [
      'two resources for one draft resource',
      [
        file('a.json', { ...listing(), title: 'A' }),
        file('b.json', { ...listing(), id: undefined, title: 'B' }, 0),
      ],
      `file a.json and file b.json both change ${listing().id}: each sends the whole resource, so give it once`,
    ],
    [
      'an ambiguous one',
      [
        file('a.json', { $schema: schema('listing') }, 0),
        file('a.json', { $schema: schema('property') }, 1),
      ],
      'file a.json (resource 1): has neither id nor identity and matches 2 listing resources',
    ],
  ] as [string, FileResource[], string][])(
    '%s is an error naming the file',
    (name, files, message) => {
      const draft =
        name === 'an ambiguous one'
          ? [...tree, { ...listing(), id: 'listing/other', languageId: 'fr-fr' }]
          : tree;
      expect(() => planResources(draft, files, product)).toThrow(ConfigureError);
      expect(() => planResources(draft, files, product)).toThrow(message);
    },
  );
});

describe('planResources: a file merges onto the draft, it never drops', () => {
  const file = (resource: Resource, name = 'listing.json'): FileResource => ({
    file: name,
    index: 0,
    resource,
  });
  const only = (draft: Resource[], resource: Resource, name?: string) => {
    const [change] = planResources(draft, [file(resource, name)], product);
    if (change?.kind !== 'resource') throw new Error('no resource change');
    return change;
  };
  const withContact: Resource = {
    ...listing(),
    supportContact: { name: 'Ops', email: 'ops@contoso.com', phone: '555' },
  };
  const contactTree = tree.map((r) => (r.id === listing().id ? withContact : r));

  test('fields the file leaves out are kept in what is sent, and are no change', () => {
    const change = only(tree, {
      $schema: schema('listing'),
      product: { externalId: 'contoso-vm' },
      title: 'Contoso VM Pro',
    });
    expect(change.status).toBe('change');
    expect(change.fields).toEqual([
      { path: 'title', before: '"Contoso VM"', after: '"Contoso VM Pro"' },
    ]);
    expect(change.resource).toEqual({
      ...listing(),
      product: { externalId: 'contoso-vm' },
      title: 'Contoso VM Pro',
    });
  });

  test('null removes a field, shown as a removal', () => {
    const change = only(tree, { $schema: schema('listing'), summary: null });
    expect(change.fields).toEqual([{ path: 'summary', before: '"A VM"' }]);
    expect(change.resource).not.toHaveProperty('summary');
    expect(change.resource).toHaveProperty('title', 'Contoso VM');
  });

  test('objects merge field by field; a nested null removes a nested field', () => {
    const change = only(contactTree, {
      $schema: schema('listing'),
      supportContact: { email: 'help@contoso.com', phone: null },
    });
    expect(change.fields).toEqual([
      { path: 'supportContact.email', before: '"ops@contoso.com"', after: '"help@contoso.com"' },
      { path: 'supportContact.phone', before: '"555"' },
    ]);
    expect(change.resource?.supportContact).toEqual({ name: 'Ops', email: 'help@contoso.com' });
  });

  test('lists are replaced whole', () => {
    const change = only(tree, { $schema: schema('listing'), keywords: ['vm'] });
    expect(change.resource?.keywords).toEqual(['vm']);
    expect(change.fields).toEqual([
      { path: 'keywords', before: '["linux","contoso"]', after: '["vm"]' },
    ]);
  });

  test("read-only fields of the file are ignored, the draft's are not sent", () => {
    const change = only(
      tree,
      {
        $schema: schema('virtual-machine-plan-technical-configuration', '2022-03-01-preview5'),
        plan: { externalId: 'gen2' },
        openPorts: [{ port: 22 }],
        validations: [{ result: 'failed' }],
      },
      'tc.json',
    );
    expect(change.fields).toEqual([{ path: 'openPorts', after: '[{"port":22}]' }]);
    expect(change.resource).not.toHaveProperty('validations');
    expect(change.resource).toEqual(
      expect.objectContaining({
        id: techConfig().id,
        skus: techConfig().skus,
        vmImageVersions: techConfig().vmImageVersions,
        plan: { externalId: 'gen2' },
      }),
    );
  });

  test("matched by external id, the draft's durable id is sent, not the file's", () => {
    const change = only(
      tree,
      { $schema: schema('plan'), id: 'plan/x/y', identity: { externalId: 'gen1' }, alias: 'G1' },
      'plan.json',
    );
    expect(change.resource).toEqual({
      ...plan(GEN1, 'gen1'),
      $schema: schema('plan'),
      alias: 'G1',
    });
  });

  test('the file over the fixture tree: only the title changes, the rest is sent as read', () => {
    const fixture = JSON.parse(
      readFileSync(
        new URL('../../simulator/fixtures/ingestion/resource-tree.json', import.meta.url),
        'utf8',
      ),
    ) as { root: string; resources: Resource[] };
    const read = fixture.resources.find((r) => String(r.id).startsWith('listing/'))!;
    const [change] = planResources(
      fixture.resources,
      [
        file({
          $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
          product: { externalId: 'contoso-vm' },
          languageId: 'en-us',
          title: 'Contoso VM, now faster',
        }),
      ],
      { id: fixture.root, externalId: 'contoso-vm' },
    );
    expect(change).toEqual(
      expect.objectContaining({
        status: 'change',
        fields: [{ path: 'title', before: '"Contoso VM"', after: '"Contoso VM, now faster"' }],
        resource: {
          ...read,
          product: { externalId: 'contoso-vm' },
          title: 'Contoso VM, now faster',
        },
      }),
    );
  });

  describe('fields the draft lacks are warned about', () => {
    test("a misspelt field names the closest, in the draft's plan-listing", () => {
      const change = only(
        tree,
        { $schema: schema('plan-listing'), plan: { externalId: 'gen2' }, sumary: 'Faster' },
        'plan-listing.json',
      );
      expect(change.label).toBe("plan-listing 'gen2'");
      expect(change.notes).toEqual([
        "file plan-listing.json: field 'sumary' is not a field of plan-listing 'gen2' in the draft; did you mean 'summary'?",
      ]);
      // It is still sent as written: the warning is the user's cue.
      expect(change.resource).toHaveProperty('sumary', 'Faster');
      expect(change.resource).toHaveProperty('summary', 'Gen 2 summary');
    });

    test('a field with no close name is sent as new; a null one removes nothing', () => {
      const change = only(tree, {
        $schema: schema('listing'),
        shortDescription: 'Short',
        zzzzzzzzzz: null,
      });
      expect(change.notes).toEqual([
        "file listing.json: field 'shortDescription' is not a field of listing 'Contoso VM' in the draft; sent as a new field",
        "file listing.json: field 'zzzzzzzzzz' is not a field of listing 'Contoso VM' in the draft; nothing to remove",
      ]);
    });

    test('bounded: three, then a count; one line each, however the field is named', () => {
      const wanted: Resource = { $schema: schema('listing') };
      for (const f of ['a\nb', 'x1', 'x2', 'x3', 'x4']) wanted[f] = 1;
      const notes = only(tree, wanted).notes!;
      expect(notes).toHaveLength(4);
      expect(notes[0]).toContain("field 'a b' is not a field");
      expect(notes[3]).toBe('file listing.json: and 2 more fields not in the draft');
      for (const n of notes) expect(n).not.toMatch(/[\r\n]/);
    });

    test('no warnings: fields the draft has, read-only ones, or a new resource', () => {
      expect(only(tree, { ...listing(), title: 'x', validations: [] }).notes).toBeUndefined();
      const added = only(tree, { $schema: schema('plan'), identity: { externalId: 'gen3' } });
      expect(added.status).toBe('new');
      expect(added.notes).toBeUndefined();
    });
  });
});

describe('planResources: a placeholder an export wrote keeps the draft value', () => {
  const SAS_A = `https://acct.blob.core.windows.net/vhds/a.vhd?sig=${SECRET}`;
  const SAS_B = `https://acct.blob.core.windows.net/vhds/b.vhd?sv=1&sig=${SECRET}B`;
  const sasOf = (blob: string) => sasPlaceholder(`acct/vhds/${blob}`);
  const versions = (first: string, second?: string) => [
    {
      versionNumber: '1.3.0',
      vmImages: [
        { imageType: 'x64Gen2', source: { sourceType: 'sasUri', osDisk: { uri: first } } },
      ],
    },
    ...(second === undefined
      ? []
      : [
          {
            versionNumber: '1.4.0',
            vmImages: [
              { imageType: 'x64Gen2', source: { sourceType: 'sasUri', osDisk: { uri: second } } },
            ],
          },
        ]),
  ];
  const twoVersions: Resource = { ...techConfig(), vmImageVersions: versions(SAS_A, SAS_B) };
  const draft = tree.map((r) => (r.id === techConfig().id ? twoVersions : r));
  const fileOf = (resource: Resource): FileResource => ({
    file: 'plans/gen2/technical-configuration.json',
    index: 0,
    resource,
  });
  const planOne = (resource: Resource, on = draft) => {
    const [change] = planResources(on, [fileOf(resource)], product);
    if (change?.kind !== 'resource') throw new Error('no resource change');
    return change;
  };
  const wanted = (list: unknown[], more: Record<string, unknown> = {}): Resource => ({
    $schema: techConfig().$schema,
    plan: { externalId: 'gen2' },
    vmImageVersions: list,
    ...more,
  });

  test('in place: nothing changes; a change elsewhere sends the SAS URIs as read', () => {
    expect(planOne(wanted(versions(sasOf('a.vhd'), sasOf('b.vhd')))).status).toBe('already-there');
    const change = planOne(wanted(versions(sasOf('a.vhd'), sasOf('b.vhd')), { openPorts: [22] }));
    expect(change.status).toBe('change');
    expect(change.fields.map((f) => f.path)).toEqual(['openPorts']);
    expect(change.resource?.vmImageVersions).toEqual(versions(SAS_A, SAS_B));
  });

  test('a list in another order: each placeholder finds its blob elsewhere in the draft', () => {
    const change = planOne(wanted(versions(sasOf('b.vhd'), sasOf('a.vhd')), { openPorts: [22] }));
    expect(change.resource?.vmImageVersions).toEqual(versions(SAS_B, SAS_A));
  });

  test('a placeholder of a blob the draft lacks is refused, naming the file and place', () => {
    const message =
      'file plans/gen2/technical-configuration.json: vmImageVersions[0].vmImages[0].source.osDisk.uri ' +
      'is the placeholder of a SAS URI of acct/vhds/c.vhd, but the draft has no SAS URI of that ' +
      'blob to keep: write the SAS URI (from a secret) instead of the placeholder';
    expect(() => planOne(wanted(versions(sasOf('c.vhd'))))).toThrow(message);
  });

  test('a secret placeholder keeps the value at its place, and needs one there', () => {
    const withPassword = (password: string): Resource => ({
      ...listing(),
      registry: { userName: 'u', password },
    });
    const on = tree.map((r) => (r.id === listing().id ? withPassword('hunter2') : r));
    const file = (password: string): FileResource => ({
      file: 'listing.json',
      index: 0,
      resource: { ...withPassword(password), id: undefined, title: 'New title' },
    });
    const [change] = planResources(on, [file(SECRET_PLACEHOLDER_TEXT)], product);
    expect(change).toMatchObject({ status: 'change', fields: [{ path: 'title' }] });
    expect(change?.kind === 'resource' && change.resource?.registry).toEqual({
      userName: 'u',
      password: 'hunter2',
    });
    expect(() => planResources(tree, [file(SECRET_PLACEHOLDER_TEXT)], product)).toThrow(
      'file listing.json: registry.password is a placeholder for a secret kept from the offer',
    );
  });

  test('a new resource with a placeholder is refused: there is nothing to keep', () => {
    const added: Resource = {
      $schema: schema('plan'),
      identity: { externalId: 'gen3' },
      note: sasOf('a.vhd'),
    };
    expect(() => planResources(tree, [fileOf(added)], product)).toThrow(
      'file plans/gen2/technical-configuration.json: is not in the draft, so the placeholder at note has no value to keep',
    );
  });
});
