/**
 * The facts the planner decides from, read before anything is sent, and its decision: what runs,
 * where the latest preview stands, the change planned on the draft, what a publish would push over
 * that preview, and whether the preview already carries the change. The dry run and the real run
 * both come through here, so the dry run's `plan` is the real run's.
 */
import type { OfferChanges, PublishState } from '../adapters/adapter.js';
import type { CallOptions } from '../http/client.js';
import { sentResources } from '../core/configure/render.js';
import { applyChanges, describePushes } from '../core/configure/pushes.js';
import type { ChangePlan, Draft } from '../core/configure/types.js';
import {
  nothingPlanned,
  planRelease,
  type ReleaseAsk,
  type ReleasePlan,
  type ReleaseState,
} from '../core/release.js';
import type { Settings } from '../inputs/index.js';
import { planOnDraft, previewCarries, type PlanContext } from './change.js';
import type { Publisher } from './publish.js';

/** What the step decided, and what it decided from. */
export interface Planned {
  release: ReleasePlan;
  ask: ReleaseAsk;
  facts: ReleaseState;
  /** The listing and the preview's state; none for a step that sends nothing. */
  state?: PublishState;
  /** The change planned on the draft, when one is asked. */
  change?: ChangePlan;
  /** What the draft held before this step's change that the latest preview lacks. */
  alsoPushes: string[];
}

/** Whether the step may send anything: only then are the facts read. */
function sendsAnything(settings: Settings): boolean {
  return settings.publish || settings.goLive || settings.change !== undefined;
}

/**
 * Reads the facts and plans. A step that sends nothing reads nothing here and plans nothing.
 * `planning` is the change's context (absent without change inputs, or on an API that changes
 * nothing).
 */
export async function planOffer(
  settings: Settings,
  publisher: Publisher,
  changes: OfferChanges | undefined,
  planning: PlanContext | undefined,
  call: () => CallOptions,
): Promise<Planned> {
  const changeAsked = settings.change !== undefined;
  const ask: ReleaseAsk = {
    publish: settings.publish,
    goLive: settings.goLive,
    changeAsked,
    configure: [],
    previewId: settings.previewId,
  };
  const none: ReleaseState = { known: false, pushes: [], carries: false };
  if (!sendsAnything(settings)) {
    return { release: nothingPlanned(), ask, facts: none, alsoPushes: [] };
  }
  const state = await publisher.state();
  const facts: ReleaseState = {
    ...none,
    known: state.known && changes !== undefined,
    ...(state.running
      ? {
          running: {
            kind: state.running.kind === 'go-live' ? 'go-live' : 'publish',
            id: state.running.id,
          },
        }
      : {}),
    ...(state.preview ? { preview: state.preview } : {}),
  };
  let change: ChangePlan | undefined;
  let draft: Draft | undefined;
  if (planning) {
    draft = await planning.changes.readDraft(call());
    change = await planOnDraft(planning, draft);
    ask.configure = sentResources(change);
  }
  let alsoPushes: string[] = [];
  // What the preview holds matters to a publish (is the draft ahead of it?) and to a go-live of
  // a change (does the preview carry it?); on an API that cannot tell, it stays unknown.
  if (facts.known && changes && (settings.publish || (settings.goLive && changeAsked))) {
    const preview = state.preview ? (await changes.readDraft(call(), 'preview')).resources : [];
    if (settings.publish) {
      draft ??= await changes.readDraft(call());
      facts.pushes = describePushes(applyChanges(draft.resources, change?.changes ?? []), preview);
      alsoPushes = describePushes(draft.resources, preview);
    }
    if (planning && state.preview && draft) {
      facts.carries = await previewCarries(planning, {
        product: draft.product,
        resources: preview,
      });
    }
  }
  return {
    release: planRelease(ask, facts),
    ask,
    facts,
    state,
    alsoPushes,
    ...(change ? { change } : {}),
  };
}
