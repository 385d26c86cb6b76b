import { describe, expect, test } from '@jest/globals';
import { imageTypesOf, routeImages } from '../../src/core/configure/route.js';
import type { Resource, VmImageSpec } from '../../src/core/configure/types.js';
import { parseVmImages } from '../../src/core/configure/vm-image.js';

const SUB = '0a1b2c3d-0000-4000-8000-000000000001';
const gallery = (image: string) =>
  `/subscriptions/${SUB}/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/${image}/versions/1.4.0`;
const images = (raw: string): VmImageSpec[] => {
  const parsed = parseVmImages(raw);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.images;
};
/** A technical configuration that takes these image types (`skus`, as the notes show them). */
const takes = (...types: string[]): Resource => ({
  skus: types.map((imageType, i) => ({ imageType, skuId: `sku${i}` })),
});
// The fixture's plans: gen2 takes both x64 generations, gen1 only the first.
const gen2 = { planId: 'gen2', techConfig: takes('x64Gen2', 'x64Gen1') };
const gen1 = { planId: 'gen1', techConfig: takes('x64Gen1') };
const both = images(`x64Gen2=${gallery('g2')}\nx64Gen1=${gallery('g1')}`);

describe('routeImages: each image to the plans that take its type', () => {
  test('gen2 gets both images, gen1 the x64Gen1 one', () => {
    expect(routeImages([gen2, gen1], both)).toEqual({ routes: [both, [both[1]]] });
  });

  test('one image for every plan that takes it', () => {
    const gen1Only = images(`x64Gen1=${gallery('g1')}`);
    expect(routeImages([gen2, gen1], gen1Only)).toEqual({ routes: [gen1Only, gen1Only] });
  });

  test("image types compare without case (the service's skus may spell them otherwise)", () => {
    const read = { planId: 'gen1', techConfig: takes('X64GEN1') };
    const gen1Only = images(`x64gen1=${gallery('g1')}`);
    expect(routeImages([read], gen1Only)).toEqual({ routes: [gen1Only] });
  });

  test('a plan that takes none of the images names what it takes and what to do', () => {
    expect(routeImages([gen2, gen1], images(`x64Gen2=${gallery('g2')}`))).toEqual({
      error:
        "plan 'gen1' takes none of the images given: it takes x64Gen1; vm-image gives x64Gen2. " +
        'Add an x64Gen1= line, or leave gen1 out of plan-id.',
    });
  });

  test('an image no plan takes names each plan and the types it takes', () => {
    expect(
      routeImages([gen2, gen1], images(`x64Gen1=${gallery('g1')}\narm64Gen2=${gallery('a')}`)),
    ).toEqual({
      error:
        'image type arm64Gen2 goes to no plan of plan-id: gen2 takes x64Gen2 and x64Gen1; gen1 takes x64Gen1. ' +
        'Leave the arm64Gen2 image out of vm-image, or add a plan that takes it to plan-id.',
    });
  });

  test('both kinds at once, and a plan without skus', () => {
    const bare = { planId: 'bare', techConfig: {} };
    const result = routeImages([gen1, bare], images(`arm64Gen2=${gallery('a')}`));
    expect('error' in result && result.error).toBe(
      "plan 'gen1' takes none of the images given: it takes x64Gen1; vm-image gives arm64Gen2. " +
        'Add an x64Gen1= line, or leave gen1 out of plan-id. ' +
        "plan 'bare' takes none of the images given: its technical configuration lists no image " +
        'types (skus); vm-image gives arm64Gen2. Leave bare out of plan-id. ' +
        'image type arm64Gen2 goes to no plan of plan-id: gen1 takes x64Gen1; bare takes none. ' +
        'Leave the arm64Gen2 image out of vm-image, or add a plan that takes it to plan-id.',
    );
  });

  test('service text in a message is one bounded line', () => {
    const odd = { planId: 'p0', techConfig: takes(`x64\nGen9${'x'.repeat(100)}`) };
    const result = routeImages([odd], images(`x64Gen2=${gallery('g2')}`));
    const error = 'error' in result ? result.error : '';
    expect(error).not.toMatch(/[\r\n]/);
    expect(error).toContain(`it takes x64 Gen9${'x'.repeat(31)}…;`);
  });

  test('bounded: at most four plans in a list, four problems in a message', () => {
    const plans = [0, 1, 2, 3, 4, 5].map((i) => ({
      planId: `p${i}`,
      techConfig: takes('x64Gen1'),
    }));
    const oneImage = routeImages(
      plans,
      images(`x64Gen1=${gallery('g1')}\narm64Gen2=${gallery('a')}`),
    );
    expect('error' in oneImage && oneImage.error).toContain(
      'p3 takes x64Gen1; and 2 more plans. Leave the arm64Gen2 image',
    );
    const everyPlan = routeImages(plans, images(`x64Gen2=${gallery('g2')}`));
    const error = 'error' in everyPlan ? everyPlan.error : '';
    expect(error.match(/takes none of the images given/g)).toHaveLength(4);
    expect(error).toMatch(/leave p3 out of plan-id\. And 3 more problems\.$/);
  });

  test('imageTypesOf reads skus[].imageType, skipping what is not one', () => {
    expect(imageTypesOf({ skus: [{ imageType: 'x64Gen2' }, { skuId: 'x' }, 'x', null] })).toEqual([
      'x64Gen2',
    ]);
    expect(imageTypesOf({ skus: {} })).toEqual([]);
  });
});
