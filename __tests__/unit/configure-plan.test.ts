import { describe, expect, test } from '@jest/globals';
import {
  ConfigureError,
  findPlan,
  findTechConfig,
  planIds,
  planVmImageVersion,
} from '../../src/core/configure/plan.js';
import type { Resource, VmImageSpec } from '../../src/core/configure/types.js';
import { parseVmImages } from '../../src/core/configure/vm-image.js';

const PRODUCT = '11111111-2222-3333-4444-555555555555';
const GEN2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const GEN1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SUB = '0a1b2c3d-0000-4000-8000-000000000001';
const gallery = (v: string, image = 'contoso-vm') =>
  `/subscriptions/${SUB}/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/${image}/versions/${v}`;
const SECRET = 'SeCrEtSiGnAtUrE';
const sas = (blob: string, sig = SECRET) =>
  `https://contosoacct.blob.core.windows.net/vhds/${blob}?sv=2022-11-02&sr=b&sp=r&sig=${sig}`;
const SCHEMA =
  'https://schema.mp.microsoft.com/schema/virtual-machine-plan-technical-configuration/2022-03-01-preview5';

/** The notes' technical configuration, with a published 1.3.0. */
function techConfig(): Resource {
  return {
    $schema: SCHEMA,
    id: `virtual-machine-plan-technical-configuration/${PRODUCT}/${GEN2}`,
    product: `product/${PRODUCT}`,
    plan: `plan/${PRODUCT}/${GEN2}`,
    operatingSystem: { family: 'linux', friendlyName: 'Contoso Linux', type: 'other' },
    skus: [
      { imageType: 'x64Gen2', skuId: 'gen2' },
      { imageType: 'x64Gen1', skuId: 'gen1' },
    ],
    vmImageVersions: [
      {
        versionNumber: '1.2.0',
        lifecycleState: 'deprecated',
        vmImages: [
          {
            imageType: 'x64Gen1',
            source: {
              sourceType: 'sasUri',
              osDisk: { uri: sas('contoso-vm-1.2.0.vhd') },
              dataDisks: [],
            },
          },
        ],
      },
      {
        versionNumber: '1.3.0',
        vmImages: [
          {
            imageType: 'x64Gen2',
            source: {
              sourceType: 'sharedImageGallery',
              sharedImage: { tenantId: TENANT, resourceId: gallery('1.3.0') },
            },
          },
        ],
      },
    ],
    vmProperties: { supportsExtensions: true, supportsBackup: false },
    recommendedVmSizes: [],
    openPorts: [],
    validations: [{ type: 'certification', result: 'passed' }],
  };
}

function images(raw: string): VmImageSpec[] {
  const parsed = parseVmImages(raw);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.images;
}

const base = { planId: 'gen2', tenantId: TENANT };

function planError(run: () => unknown): ConfigureError {
  try {
    run();
  } catch (e) {
    if (e instanceof ConfigureError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('planVmImageVersion: a new version', () => {
  test('sends the whole resource: read-only fields out, every version as read, the new one last', () => {
    const read = techConfig();
    const change = planVmImageVersion({
      ...base,
      techConfig: read,
      version: '1.4.0',
      images: images(`x64Gen2=${gallery('1.4.0')}\nx64Gen1=${sas('contoso-vm-1.4.0.vhd')}`),
    });
    const { validations: _, ...rest } = techConfig();
    expect(change).toEqual({
      kind: 'vm-image-version',
      planId: 'gen2',
      resourceId: `virtual-machine-plan-technical-configuration/${PRODUCT}/${GEN2}`,
      version: '1.4.0',
      images: expect.any(Array),
      status: 'add',
      resource: {
        ...rest,
        vmImageVersions: [
          ...(techConfig().vmImageVersions as unknown[]),
          {
            versionNumber: '1.4.0',
            vmImages: [
              {
                imageType: 'x64Gen2',
                source: {
                  sourceType: 'sharedImageGallery',
                  sharedImage: { tenantId: TENANT, resourceId: gallery('1.4.0') },
                },
              },
              {
                imageType: 'x64Gen1',
                source: { sourceType: 'sasUri', osDisk: { uri: sas('contoso-vm-1.4.0.vhd') } },
              },
            ],
          },
        ],
      },
    });
    expect(Object.keys(change.resource!)).not.toContain('validations');
    // What was read is left alone, and the change does not share it.
    expect(read).toEqual(techConfig());
    expect((change.resource!.vmImageVersions as unknown[])[0]).not.toBe(
      (read.vmImageVersions as unknown[])[0],
    );
  });

  test('a version list the draft lacks starts with the new version', () => {
    const { vmImageVersions: _, ...read } = techConfig();
    const change = planVmImageVersion({
      ...base,
      techConfig: read,
      version: '1.0.0',
      images: images(gallery('1.0.0')),
    });
    expect(change.resource?.vmImageVersions).toEqual([
      { versionNumber: '1.0.0', vmImages: [expect.objectContaining({ imageType: 'x64Gen2' })] },
    ]);
  });

  test('the retired schema host is read, and the current one sent', () => {
    const read = {
      ...techConfig(),
      $schema: SCHEMA.replace(
        'https://schema.mp.microsoft.com',
        'https://product-ingestion.azureedge.net',
      ),
    };
    const change = planVmImageVersion({
      ...base,
      techConfig: read,
      version: '1.4.0',
      images: images(gallery('1.4.0')),
    });
    expect(change.resource?.$schema).toBe(SCHEMA);
  });
});

describe('planVmImageVersion: a version the draft has', () => {
  test.each([
    ['the same gallery image', `x64Gen2=${gallery('1.3.0')}`, TENANT],
    [
      'ids and tenant in another case',
      `x64Gen2=${gallery('1.3.0').toLowerCase()}`,
      TENANT.toUpperCase(),
    ],
  ])('%s is already there: nothing to send', (_name, raw, tenantId) => {
    const change = planVmImageVersion({
      planId: 'gen2',
      tenantId,
      techConfig: techConfig(),
      version: '1.3.0',
      images: images(raw),
    });
    expect(change).toEqual(expect.objectContaining({ status: 'already-there', version: '1.3.0' }));
    expect(change.resource).toBeUndefined();
  });

  test('a VHD is the same image whatever its SAS token (a re-run mints a new one)', () => {
    const change = planVmImageVersion({
      ...base,
      techConfig: techConfig(),
      version: '1.2.0',
      images: images(`x64Gen1=${sas('contoso-vm-1.2.0.vhd', 'AnotherToken')}`),
    });
    expect(change.status).toBe('already-there');
  });

  test('two images match in any order', () => {
    const read = techConfig();
    const both = images(`x64Gen1=${gallery('1.5.0', 'gen1')}\nx64Gen2=${gallery('1.5.0')}`);
    const added = planVmImageVersion({ ...base, techConfig: read, version: '1.5.0', images: both });
    const again = planVmImageVersion({
      ...base,
      techConfig: added.resource!,
      version: '1.5.0',
      images: [both[1]!, both[0]!],
    });
    expect(again.status).toBe('already-there');
  });

  test.each([
    ['another gallery image', `x64Gen2=${gallery('1.3.1')}`],
    ['another image type', `x64Gen1=${gallery('1.3.0')}`],
    ['one image more', `x64Gen2=${gallery('1.3.0')}\nx64Gen1=${gallery('1.3.0')}`],
    ['a VHD for a gallery image', `x64Gen2=${sas('contoso-vm-1.3.0.vhd')}`],
  ])('with %s is an error naming the version and what the draft has', (_name, raw) => {
    const error = planError(() =>
      planVmImageVersion({
        ...base,
        techConfig: techConfig(),
        version: '1.3.0',
        images: images(raw),
      }),
    );
    expect(error.subject).toBe('plan gen2');
    expect(error.message).toBe(
      'plan gen2: version 1.3.0 is already in the draft with other images ' +
        '(x64Gen2 from gallery contoso/contoso-vm 1.3.0); ' +
        'published versions are immutable: choose a new version number',
    );
  });

  test('another VHD (or other tenant, or data disks) is another image; the message shows no SAS query', () => {
    const read = techConfig();
    const withDisks = structuredClone(read);
    const v120 = (
      withDisks.vmImageVersions as { vmImages: { source: Record<string, unknown> }[] }[]
    )[0]!;
    v120.vmImages[0]!.source.dataDisks = [{ lunNumber: 0, uri: sas('data.vhd') }];
    for (const [draft, raw, tenantId] of [
      [read, `x64Gen1=${sas('contoso-vm-1.2.1.vhd')}`, TENANT],
      [withDisks, `x64Gen1=${sas('contoso-vm-1.2.0.vhd')}`, TENANT],
    ] as const) {
      const error = planError(() =>
        planVmImageVersion({
          planId: 'gen2',
          tenantId,
          techConfig: draft,
          version: '1.2.0',
          images: images(raw),
        }),
      );
      expect(error.message).toContain(
        'version 1.2.0 is already in the draft with other images (x64Gen1 from VHD contosoacct/vhds/contoso-vm-1.2.0.vhd)',
      );
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('sv=');
    }
    const otherTenant = planError(() =>
      planVmImageVersion({
        planId: 'gen2',
        tenantId: '00000000-0000-4000-8000-000000000000',
        techConfig: read,
        version: '1.3.0',
        images: images(gallery('1.3.0')),
      }),
    );
    expect(otherTenant.message).toContain('immutable');
  });
});

describe('planVmImageVersion: what the plan cannot take', () => {
  test("an image type not among the plan's skus names the plan and its image types", () => {
    const error = planError(() =>
      planVmImageVersion({
        ...base,
        techConfig: techConfig(),
        version: '1.4.0',
        images: images(`arm64Gen2=${gallery('1.4.0')}`),
      }),
    );
    expect(error).toBeInstanceOf(ConfigureError);
    expect(error.message).toBe(
      "plan gen2: image type arm64Gen2 is not one of the plan's image types ('x64Gen2', 'x64Gen1'): give one of those in vm-image",
    );
  });

  test.each([
    ['no id', { id: undefined }, 'plan gen2: its technical configuration has no id'],
    [
      'no skus',
      { skus: undefined },
      "image type x64Gen2 is not one of the plan's image types (none)",
    ],
    [
      'a version list that is not a list',
      { vmImageVersions: {} },
      'has no readable vmImageVersions list',
    ],
  ])('%s is an error', (_name, patch, message) => {
    const error = planError(() =>
      planVmImageVersion({
        ...base,
        techConfig: { ...techConfig(), ...patch },
        version: '1.4.0',
        images: images(gallery('1.4.0')),
      }),
    );
    expect(error.message).toContain(message);
  });

  test('a gallery image needs a tenant; a VHD does not', () => {
    const error = planError(() =>
      planVmImageVersion({
        planId: 'gen2',
        tenantId: '',
        techConfig: techConfig(),
        version: '1.4.0',
        images: images(gallery('1.4.0')),
      }),
    );
    expect(error.message).toBe('plan gen2: a gallery image needs the tenant id of its gallery');
    const vhd = planVmImageVersion({
      planId: 'gen2',
      tenantId: '',
      techConfig: techConfig(),
      version: '1.4.0',
      images: images(sas('a.vhd')),
    });
    expect(vhd.status).toBe('add');
  });

  test('the plan id is one line in the subject', () => {
    const error = planError(() =>
      planVmImageVersion({
        ...base,
        planId: 'gen2\n::error::x',
        techConfig: techConfig(),
        version: '1.4.0',
        images: images(`arm64Gen2=${gallery('1.4.0')}`),
      }),
    );
    expect(error.subject).toBe('plan gen2 ::error::x');
  });
});

describe('the resource tree', () => {
  const plan = (guid: string, externalId: string): Resource => ({
    $schema: 'https://schema.mp.microsoft.com/schema/plan/2022-03-01-preview2',
    id: `plan/${PRODUCT}/${guid}`,
    identity: { externalId },
    alias: `Contoso ${externalId}`,
    product: `product/${PRODUCT}`,
  });
  const gen1Config: Resource = {
    ...techConfig(),
    $schema:
      'https://product-ingestion.azureedge.net/schema/core-virtual-machine-plan-technical-configuration/2022-03-01-preview5',
    id: `core-virtual-machine-plan-technical-configuration/${PRODUCT}/${GEN1}`,
    plan: `plan/${PRODUCT}/${GEN1}`,
    softwareType: 'operatingSystem',
  };
  // In no particular order, as the service gives it.
  const tree: Resource[] = [
    gen1Config,
    {
      $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-03-01-preview3',
      id: `listing/${PRODUCT}/public/main/default/en-us`,
      product: `product/${PRODUCT}`,
    },
    plan(GEN2, 'gen2'),
    {
      $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
      id: `submission/${PRODUCT}/0`,
      product: `product/${PRODUCT}`,
      target: { targetType: 'draft' },
    },
    techConfig(),
    plan(GEN1, 'gen1'),
    {
      $schema:
        'https://schema.mp.microsoft.com/schema/price-and-availability-plan/2022-03-01-preview3',
      plan: `plan/${PRODUCT}/${GEN2}`,
    },
  ];

  test('findPlan finds a plan by its external id, exactly', () => {
    expect(findPlan(tree, 'gen1')?.id).toBe(`plan/${PRODUCT}/${GEN1}`);
    expect(findPlan(tree, 'Gen1')).toBeUndefined();
    expect(findPlan(tree, 'gen3')).toBeUndefined();
  });

  test('findTechConfig finds the VM or core VM technical configuration of a plan, either host', () => {
    expect(findTechConfig(tree, `plan/${PRODUCT}/${GEN2}`)?.id).toBe(techConfig().id);
    expect(findTechConfig(tree, `PLAN/${PRODUCT}/${GEN1}`.toUpperCase())?.id).toBe(gen1Config.id);
    expect(findTechConfig(tree, `plan/${PRODUCT}/other`)).toBeUndefined();
  });

  test('planIds lists every plan external id, once', () => {
    expect(planIds([...tree, plan(GEN2, 'gen2')])).toEqual(['gen2', 'gen1']);
    expect(planIds([])).toEqual([]);
  });
});
