/**
 * The change a step puts into the offer before its publish: read the draft once, plan with the
 * core (`core/configure/`), and say what will change. Sending it is the Publisher's (one configure
 * request, by the write rules). Errors a user can fix name the input they come from.
 */
import type { OfferChanges } from '../adapters/adapter.js';
import { closestOffers, quotedList } from '../core/closest.js';
import {
  ConfigureError,
  findPlan,
  findTechConfig,
  planIds,
  planVmImageVersion,
  versionNumbers,
} from '../core/configure/plan.js';
import { planResources } from '../core/configure/diff.js';
import { findOverlap } from '../core/configure/overlap.js';
import { routeImages } from '../core/configure/route.js';
import type {
  ChangePlan,
  Draft,
  FileResource,
  PlannedChange,
  Resource,
} from '../core/configure/types.js';
import type { LifecycleSpec } from '../core/configure/vm-image.js';
import type { CallOptions } from '../http/client.js';
import { InputError, type ChangeInputs } from '../inputs/index.js';

export interface PlanContext {
  changes: OfferChanges;
  inputs: ChangeInputs;
  files: FileResource[];
  dryRun: boolean;
  /** The tenant a gallery image belongs to: `tenant-id`, else the token's. */
  tenantId(): Promise<string>;
  /** A read's options (retried like every read). */
  call(): CallOptions;
}

/** Reads the draft and plans every change the inputs ask for. */
export async function planChange(ctx: PlanContext): Promise<ChangePlan> {
  return planOnDraft(ctx, await ctx.changes.readDraft(ctx.call()));
}

/**
 * Plans every change the inputs ask for against a tree already read (the draft, or any target's):
 * no read of its own; the tenant is looked up only for a gallery image.
 */
export async function planOnDraft(
  ctx: Pick<PlanContext, 'inputs' | 'files' | 'dryRun' | 'tenantId'>,
  draft: Draft,
): Promise<ChangePlan> {
  return { changes: await changesFor(ctx, draft), dryRun: ctx.dryRun };
}

/**
 * Whether the draft now holds the change (every planned change reads as already there): the
 * look after a change request that got no clear answer.
 */
export async function changeLanded(ctx: PlanContext): Promise<boolean> {
  const draft = await ctx.changes.readDraft(ctx.call());
  return (await changesFor(ctx, draft)).every((c) => c.status === 'already-there');
}

/**
 * Whether the latest completed preview already carries every change asked for (planning against
 * its tree finds every change already there, files merged onto its resources): then a re-run with
 * nothing to change does not publish again, it reports that publish. `preview`: its tree when
 * already read; else it is read here.
 */
export async function previewCarries(ctx: PlanContext, preview?: Draft): Promise<boolean> {
  preview ??= await ctx.changes.readDraft(ctx.call(), 'preview');
  try {
    return (await changesFor(ctx, preview)).every((c) => c.status === 'already-there');
  } catch {
    return false; // the preview lacks a plan or disagrees: not carried
  }
}

/** The resources to send: each planned change that is not already there. */
export function resourcesToSend(plan: ChangePlan): Resource[] {
  return plan.changes.flatMap((c) =>
    c.status !== 'already-there' && c.resource ? [c.resource] : [],
  );
}

async function changesFor(
  ctx: Pick<PlanContext, 'inputs' | 'files' | 'tenantId'>,
  draft: Draft,
): Promise<PlannedChange[]> {
  const { inputs } = ctx;
  const plans = inputs.planIds.map((planId) => {
    const plan = findPlan(draft.resources, planId);
    if (!plan) throw unknownPlan(planId, draft);
    const techConfig = findTechConfig(draft.resources, String(plan.id ?? ''));
    if (!techConfig) {
      throw new ConfigureError(
        `Plan '${planId}' has no technical configuration in the draft; is it a VM plan?`,
        `plan ${planId}`,
      );
    }
    return { planId, techConfig };
  });
  // Each image to the plans that take its type: a Gen1-only plan gets the Gen1 image alone.
  const routed = inputs.vmImages.length
    ? routeImages(plans, inputs.vmImages)
    : { routes: plans.map(() => []) };
  if ('error' in routed) throw new InputError('vm-image', routed.error);
  const unknown = unknownVersions(plans, inputs.lifecycle);
  if (unknown) throw new InputError('vm-image-deprecate', unknown);
  const needsTenant = inputs.vmImages.some((i) => i.source.kind === 'gallery');
  const tenantId = needsTenant ? await ctx.tenantId() : '';
  const changes: PlannedChange[] = plans.map(({ planId, techConfig }, i) =>
    planVmImageVersion({
      planId,
      techConfig,
      version: inputs.vmImageVersion,
      images: routed.routes[i]!,
      tenantId,
      lifecycle: inputs.lifecycle,
    }),
  );
  changes.push(...planResources(draft.resources, ctx.files, draft.product));
  // A plan's technical configuration changed twice in one request: one would overwrite the other.
  const overlap = findOverlap(changes);
  if (overlap) throw overlap;
  return changes;
}

/** A version to retire that a plan does not have, named with the versions it has; else nothing. */
function unknownVersions(
  plans: { planId: string; techConfig: Resource }[],
  lifecycle: readonly LifecycleSpec[],
): string | undefined {
  for (const { planId, techConfig } of plans) {
    const has = versionNumbers(techConfig);
    const missing = lifecycle.filter((l) => !has.includes(l.version)).map((l) => l.version);
    if (missing.length === 0) continue;
    return (
      `plan '${planId}' has no version ${missing.join(', ')}; its versions: ` +
      `${has.length ? has.join(', ') : 'none'}. Give versions the plan has.`
    );
  }
  return undefined;
}

function unknownPlan(planId: string, draft: Draft): InputError {
  const known = planIds(draft.resources);
  const near = closestOffers(
    planId,
    known.map((id) => ({ id, displayText: '' })),
  );
  return new InputError(
    'plan-id',
    `'${planId}' is not a plan of offer ${draft.product.externalId}.` +
      `${near.length ? ` Did you mean ${quotedList(near)}?` : ''}` +
      `${known.length ? ` Its plans: ${quotedList(known)}.` : ' It has no plans.'} Use the plan id shown in Partner Center.`,
  );
}
