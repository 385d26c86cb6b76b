/**
 * Which images of `vm-image` go to which plans of `plan-id`: each image to every plan whose
 * technical configuration takes its image type (`skus[].imageType`, compared without case), so a
 * Gen1-only plan listed with a Gen2 plan gets only the Gen1 image. A plan that takes none of the
 * images, or an image no plan takes, is a mistake in the inputs, told before anything is sent. Pure.
 */
import { isPlainObject } from './canonical.js';
import { shown } from './display.js';
import type { Resource, VmImageSpec } from './types.js';

/** A plan of `plan-id` and its technical configuration as read. */
export interface PlanToRoute {
  planId: string;
  techConfig: Resource;
}

/** A message names at most this many problems (and plans); the rest are counted. */
const MAX_LISTED = 4;

/** The image types a technical configuration takes, from `skus[].imageType`, as read. */
export function imageTypesOf(techConfig: Resource): string[] {
  const skus = Array.isArray(techConfig.skus) ? techConfig.skus : [];
  return skus
    .map((s: unknown) => (isPlainObject(s) ? s.imageType : undefined))
    .filter((t): t is string => typeof t === 'string');
}

function takes(types: readonly string[], image: VmImageSpec): boolean {
  return types.some((t) => t.toLowerCase() === image.imageType.toLowerCase());
}

/** `x64Gen2`, `x64Gen2 and x64Gen1`, `a, b and c`. */
function inWords(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)!}`;
}

/** At most `MAX_LISTED` items, then how many more `what`. */
function bounded(items: readonly string[], what: string): string[] {
  const more = items.length - MAX_LISTED;
  return more > 0 ? [...items.slice(0, MAX_LISTED), `and ${more} more ${what}`] : [...items];
}

/**
 * Each plan's images, in the order of `plans` (images in the order given), or the input mistakes:
 * every plan that takes none of the images, then every image that goes to no plan.
 */
export function routeImages(
  plans: readonly PlanToRoute[],
  images: readonly VmImageSpec[],
): { routes: VmImageSpec[][] } | { error: string } {
  const typesOf = plans.map((p) => imageTypesOf(p.techConfig).map((t) => shown(t, 40)));
  const routes = plans.map((_, i) => images.filter((image) => takes(typesOf[i]!, image)));
  const given = inWords(images.map((i) => i.imageType));
  const problems: string[] = [];
  plans.forEach(({ planId }, i) => {
    if (routes[i]!.length > 0) return;
    const plan = shown(planId, 100);
    const types = typesOf[i]!;
    problems.push(
      types.length === 0
        ? `plan '${plan}' takes none of the images given: its technical configuration lists no ` +
            `image types (skus); vm-image gives ${given}. Leave ${plan} out of plan-id.`
        : `plan '${plan}' takes none of the images given: it takes ${inWords(types)}; ` +
            `vm-image gives ${given}. Add an ${inWords(
              types.map((t) => `${t}=`),
              'or',
            )} line, or leave ${plan} out of plan-id.`,
    );
  });
  const plansTake = bounded(
    plans.map(
      ({ planId }, i) =>
        `${shown(planId, 100)} takes ${typesOf[i]!.length ? inWords(typesOf[i]!) : 'none'}`,
    ),
    'plans',
  ).join('; ');
  for (const image of images) {
    if (routes.some((r) => r.includes(image))) continue;
    problems.push(
      `image type ${image.imageType} goes to no plan of plan-id: ${plansTake}. Leave the ` +
        `${image.imageType} image out of vm-image, or add a plan that takes it to plan-id.`,
    );
  }
  if (problems.length === 0) return { routes };
  const more = problems.length - MAX_LISTED;
  const listed = problems.slice(0, MAX_LISTED).join(' ');
  return {
    error: more > 0 ? `${listed} And ${more} more ${more === 1 ? 'problem' : 'problems'}.` : listed,
  };
}
