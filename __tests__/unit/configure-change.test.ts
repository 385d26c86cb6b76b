import { describe, expect, jest, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { OfferChanges } from '../../src/adapters/adapter.js';
import { applyChanges } from '../../src/core/configure/pushes.js';
import { changeLines } from '../../src/core/configure/render.js';
import type { Draft, FileResource, Resource } from '../../src/core/configure/types.js';
import { parseVmImages } from '../../src/core/configure/vm-image.js';
import { InputError } from '../../src/inputs/errors.js';
import {
  changeLanded,
  planChange,
  planOnDraft,
  previewCarries,
  resourcesToSend,
  type PlanContext,
} from '../../src/offer/change.js';

/** The simulator's draft: plan gen2 takes x64Gen2 and x64Gen1, plan gen1 takes x64Gen1. */
const fixture = JSON.parse(
  readFileSync(
    new URL('../../simulator/fixtures/ingestion/resource-tree.json', import.meta.url),
    'utf8',
  ),
) as { root: string; resources: Resource[] };
const draftOf = (resources = fixture.resources): Draft => ({
  product: { id: fixture.root, externalId: 'contoso-vm' },
  resources: structuredClone(resources),
});
const TENANT = '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95';
const gallery = (image: string) =>
  `/subscriptions/0c6f2a8e-4d1b-4a7e-9c3f-5b8d2e6a1f70/resourceGroups/contoso-images/providers/Microsoft.Compute/galleries/contoso/images/${image}/versions/1.4.0`;
const GEN2_AND_GEN1 = `x64Gen2=${gallery('contoso-vm')}\nx64Gen1=${gallery('contoso-vm-gen1')}`;

function context(
  trees: { draft?: Draft; preview?: Draft },
  planIds: string[],
  raw: string,
  files: FileResource[] = [],
) {
  // No plan-id and no vm-image: a change of files alone.
  const parsed = raw ? parseVmImages(raw) : { images: [] };
  if ('error' in parsed) throw new Error(parsed.error);
  const readDraft = jest.fn(async (_call: unknown, target?: 'draft' | 'preview') => {
    const tree = target === 'preview' ? trees.preview : trees.draft;
    if (!tree) throw new Error(`no ${target ?? 'draft'} tree`);
    return tree;
  });
  const tenantId = jest.fn(async () => TENANT);
  const ctx: PlanContext = {
    changes: { readDraft, configure: jest.fn() } as unknown as OfferChanges,
    inputs: {
      planIds,
      vmImageVersion: '1.4.0',
      vmImages: parsed.images,
      lifecycle: [],
      resourcePatterns: [],
    },
    files,
    dryRun: false,
    tenantId,
    call: () => ({}),
  };
  return { ctx, readDraft, tenantId };
}

const vmImagesOf = (resource: Resource | undefined, version: string) =>
  (resource?.vmImageVersions as { versionNumber: string; vmImages: { imageType: string }[] }[])
    .find((v) => v.versionNumber === version)
    ?.vmImages.map((i) => i.imageType);

describe('images go to the plans that take them', () => {
  test('gen2 gets both images, gen1 the x64Gen1 one; a re-run finds both there', async () => {
    const { ctx } = context({ draft: draftOf() }, ['gen2', 'gen1'], GEN2_AND_GEN1);
    const plan = await planChange(ctx);
    const [gen2, gen1] = plan.changes;
    expect(gen2).toEqual(expect.objectContaining({ planId: 'gen2', status: 'add' }));
    expect(gen1).toEqual(expect.objectContaining({ planId: 'gen1', status: 'add' }));
    expect(vmImagesOf(gen2?.resource, '1.4.0')).toEqual(['x64Gen2', 'x64Gen1']);
    expect(vmImagesOf(gen1?.resource, '1.4.0')).toEqual(['x64Gen1']);
    expect(gen1?.kind === 'vm-image-version' && gen1.images.map((i) => i.imageType)).toEqual([
      'x64Gen1',
    ]);
    expect(resourcesToSend(plan)).toHaveLength(2);

    // Once it landed, each plan compares with the images routed to it.
    const landed = draftOf(applyChanges(fixture.resources, plan.changes));
    const again = context({ draft: landed }, ['gen2', 'gen1'], GEN2_AND_GEN1);
    expect(await changeLanded(again.ctx)).toBe(true);
    expect((await planChange(again.ctx)).changes.map((c) => c.status)).toEqual([
      'already-there',
      'already-there',
    ]);
  });

  test.each([
    [
      'a plan that takes none of the images',
      `x64Gen2=${gallery('contoso-vm')}`,
      "Input 'vm-image': plan 'gen1' takes none of the images given: it takes x64Gen1; " +
        'vm-image gives x64Gen2. Add an x64Gen1= line, or leave gen1 out of plan-id.',
    ],
    [
      'an image no plan takes',
      `${GEN2_AND_GEN1}\narm64Gen2=${gallery('arm')}`,
      "Input 'vm-image': image type arm64Gen2 goes to no plan of plan-id: gen2 takes x64Gen2 " +
        'and x64Gen1; gen1 takes x64Gen1. Leave the arm64Gen2 image out of vm-image, or add a ' +
        'plan that takes it to plan-id.',
    ],
  ])('%s is an input error, found in the draft before anything else', async (_n, raw, message) => {
    const { ctx, tenantId, readDraft } = context({ draft: draftOf() }, ['gen2', 'gen1'], raw);
    const planned = planChange(ctx);
    await expect(planned).rejects.toThrow(InputError);
    await expect(planned).rejects.toThrow(message);
    expect(readDraft).toHaveBeenCalledTimes(1);
    expect(tenantId).not.toHaveBeenCalled();
  });
});

describe('planning on a tree already read, and what the preview carries', () => {
  const listingFile = (resource: Resource): FileResource[] => [
    { file: 'listing.json', index: 0, resource },
  ];
  const faster = {
    $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
    product: { externalId: 'contoso-vm' },
    title: 'Contoso VM, now faster',
  };

  test('planOnDraft reads nothing', async () => {
    const { ctx, readDraft } = context({}, ['gen1'], `x64Gen1=${gallery('contoso-vm-gen1')}`);
    const plan = await planOnDraft(ctx, draftOf());
    expect(plan.changes.map((c) => c.status)).toEqual(['add']);
    expect(readDraft).not.toHaveBeenCalled();
  });

  test('a preview that carries the change (files merged onto its resources) is carried', async () => {
    const { ctx: draftCtx } = context(
      { draft: draftOf() },
      ['gen1'],
      `x64Gen1=${gallery('contoso-vm-gen1')}`,
      listingFile(faster),
    );
    const plan = await planChange(draftCtx);
    // The preview holds the change, and other listing fields the file does not give.
    const published = applyChanges(fixture.resources, plan.changes).map((r) =>
      String(r.id).startsWith('listing/') ? { ...r, shortDescription: 'Short' } : r,
    );
    const { ctx, readDraft } = context(
      { draft: draftOf(), preview: draftOf(published) },
      ['gen1'],
      `x64Gen1=${gallery('contoso-vm-gen1')}`,
      listingFile(faster),
    );
    expect(await previewCarries(ctx)).toBe(true);
    expect(readDraft).toHaveBeenCalledWith({}, 'preview');
    // Given the tree, nothing is read.
    readDraft.mockClear();
    expect(await previewCarries(ctx, draftOf(published))).toBe(true);
    expect(readDraft).not.toHaveBeenCalled();
  });

  test('a preview without the change, or one the inputs do not fit, is not carried', async () => {
    const files = listingFile(faster);
    const { ctx } = context(
      { preview: draftOf() },
      ['gen1'],
      `x64Gen1=${gallery('contoso-vm-gen1')}`,
      files,
    );
    expect(await previewCarries(ctx)).toBe(false);
    const { ctx: unfit } = context({ preview: draftOf() }, ['gen1'], `x64Gen2=${gallery('x')}`);
    expect(await previewCarries(unfit)).toBe(false);
  });

  test('a file field the preview has otherwise is not carried: null removes, and must be gone', async () => {
    const files = listingFile({ $schema: faster.$schema, description: null });
    const { ctx } = context({ preview: draftOf() }, [], '', files);
    expect(await previewCarries(ctx)).toBe(false);
    const without = fixture.resources.map((r) => {
      if (!String(r.id).startsWith('listing/')) return r;
      const { description: _, ...rest } = r;
      return rest;
    });
    expect(await previewCarries(ctx, draftOf(without))).toBe(true);
  });
});

describe('old versions retired (vm-image-deprecate)', () => {
  const retiring = (
    lifecycle: { version: string; state: 'deprecated' | 'deleted' }[],
    raw = GEN2_AND_GEN1,
    draft = draftOf(),
  ) => {
    const { ctx } = context({ draft }, ['gen2'], raw);
    ctx.inputs = { ...ctx.inputs, lifecycle, ...(raw ? {} : { vmImageVersion: '' }) };
    return ctx;
  };
  const state = (resource: Resource | undefined, version: string) =>
    (resource?.vmImageVersions as { versionNumber: string; lifecycleState?: string }[]).find(
      (v) => v.versionNumber === version,
    )?.lifecycleState;

  test('in the same change as a new version: one resource, the old one deprecated, the new one added', async () => {
    const plan = await planChange(retiring([{ version: '1.3.0', state: 'deprecated' }]));
    expect(plan.changes).toHaveLength(1);
    const [gen2] = plan.changes;
    expect(state(gen2?.resource, '1.3.0')).toBe('deprecated');
    expect(vmImagesOf(gen2?.resource, '1.4.0')).toEqual(['x64Gen2', 'x64Gen1']);
    expect(changeLines(plan)).toEqual([
      expect.stringMatching(
        /^\+ plan gen2: version 1\.4\.0: x64Gen2 from .*; version 1\.3\.0 deprecated$/,
      ),
    ]);
  });

  test('alone: only the lifecycle state moves; every other field of the version kept', async () => {
    const plan = await planChange(retiring([{ version: '1.3.0', state: 'deleted' }], ''));
    const [gen2] = plan.changes;
    expect(gen2?.status).toBe('add');
    const before = (
      fixture.resources.find((r) => r.id === gen2?.resourceId)!.vmImageVersions as Record<
        string,
        unknown
      >[]
    )[0]!;
    const after = (gen2?.resource?.vmImageVersions as Record<string, unknown>[])[0]!;
    expect(after).toEqual({ ...before, lifecycleState: 'deleted' });
    expect(changeLines(plan)).toEqual(['+ plan gen2: version 1.3.0 deleted']);
  });

  test('already at that state: nothing to send', async () => {
    const draft = draftOf();
    for (const r of draft.resources) {
      for (const v of (r.vmImageVersions as Record<string, unknown>[] | undefined) ?? []) {
        v.lifecycleState = 'deprecated';
      }
    }
    const plan = await planChange(retiring([{ version: '1.3.0', state: 'deprecated' }], '', draft));
    expect(plan.changes[0]?.status).toBe('already-there');
    expect(changeLines(plan)).toEqual(['= plan gen2: version 1.3.0 already deprecated']);
  });

  test('a version the plan does not have is an input error naming the versions it has', async () => {
    await expect(planChange(retiring([{ version: '1.1.0', state: 'deprecated' }]))).rejects.toEqual(
      new InputError(
        'vm-image-deprecate',
        "plan 'gen2' has no version 1.1.0; its versions: 1.3.0. Give versions the plan has.",
      ),
    );
  });
});
