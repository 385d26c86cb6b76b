/**
 * The step's outputs, computed from the last read of each offer. Pure.
 */
import { currentStep, type Snapshot } from './model.js';
import { configuredIds } from './configure/render.js';
import { changed, type OfferOutcome } from './outcome.js';
import { nothingPlanned } from './release.js';
import { rollupStatus } from './rollup.js';
import { inSendingOrder, startedOutput, type StartedWrite } from './started.js';

export type Outputs = Record<
  | 'status'
  | 'timed-out'
  | 'operation-id'
  | 'steps'
  | 'current-step'
  | 'preview-links'
  | 'live-links'
  | 'started'
  | 'offers'
  | 'changed'
  | 'previous-status'
  | 'configured'
  | 'plan'
  | 'preview-id'
  | 'drift',
  string
>;

/** Messages per step in the `steps` output: the latest ones (a job's outputs are capped at 1 MB). */
const OUTPUT_MESSAGES_PER_STEP = 10;

/** The `steps` output: canonical statuses, plain-text messages. */
export function stepsJson(snapshot: Snapshot | undefined): string {
  return JSON.stringify(
    (snapshot?.steps ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      progress: s.progress,
      estimatedTimeFrame: s.estimatedTimeFrame,
      messages: s.messages
        .slice(-OUTPUT_MESSAGES_PER_STEP)
        .map((m) => ({ level: m.level, text: m.text, timestamp: m.timestamp })),
    })),
  );
}

function single(
  snapshot: Snapshot | undefined,
  operationId: string,
  timedOut: boolean,
  started: readonly StartedWrite[],
): Omit<
  Outputs,
  'offers' | 'changed' | 'previous-status' | 'configured' | 'plan' | 'preview-id' | 'drift'
> {
  return {
    status: snapshot?.status ?? '',
    'timed-out': String(timedOut),
    'operation-id': operationId,
    steps: stepsJson(snapshot),
    'current-step': (snapshot && currentStep(snapshot)?.id) ?? '',
    'preview-links': JSON.stringify(snapshot?.previewLinks ?? []),
    'live-links': JSON.stringify(snapshot?.liveLinks ?? []),
    started: startedOutput(started),
  };
}

/** One offer's entry in the `offers` output. */
function offerEntry(o: OfferOutcome): Record<string, unknown> {
  return {
    status: o.snapshot?.status ?? '',
    'timed-out': o.end.kind === 'timeout',
    'operation-id': o.operationId,
    'current-step': (o.snapshot && currentStep(o.snapshot)?.id) ?? '',
    started: startedOutput(o.started),
    'preview-id': o.previewId ?? '',
    ...(o.drift === undefined ? {} : { drift: o.drift }),
    'preview-links': o.snapshot?.previewLinks ?? [],
    'live-links': o.snapshot?.liveLinks ?? [],
    ...(o.tracking
      ? { changed: changed(o), 'previous-status': o.tracking.previousStatus ?? '' }
      : {}),
  };
}

/** `drift`: true if any offer's files differ from its draft; empty when none was compared. */
function anyDrift(outcomes: readonly OfferOutcome[]): string {
  const told = outcomes.filter((o) => o.drift !== undefined);
  if (told.length === 0) return '';
  return String(told.some((o) => o.drift));
}

/** `changed`: true if any offer changed; empty when any could not be told. */
function anyChanged(outcomes: readonly OfferOutcome[]): string {
  const each = outcomes.map(changed);
  if (each.includes('true')) return 'true';
  return each.every((c) => c === 'false') ? 'false' : '';
}

/**
 * Every output. One offer: its own status, steps and links, as always. Several: `status` is the
 * rollup, `timed-out` is true if any timed out, `started` names what any offer started; `steps`,
 * `current-step`, `operation-id` and the links describe one offer, so they are empty: `offers`
 * has each.
 */
export function toOutputs(outcomes: readonly OfferOutcome[]): Outputs {
  const offers = JSON.stringify(
    Object.fromEntries(outcomes.map((o) => [o.offerId, offerEntry(o)])),
  );
  // What each offer's step decided to send (a dry run: would send), keyed by offer id.
  const plan = JSON.stringify(
    Object.fromEntries(outcomes.map((o) => [o.offerId, o.release ?? nothingPlanned()])),
  );
  if (outcomes.length === 1) {
    const [o] = outcomes as [OfferOutcome];
    return {
      ...single(o.snapshot, o.operationId, o.end.kind === 'timeout', o.started),
      offers,
      changed: changed(o),
      'previous-status': o.tracking?.previousStatus ?? '',
      configured: JSON.stringify(o.plan ? configuredIds(o.plan) : []),
      plan,
      'preview-id': o.previewId ?? '',
      drift: anyDrift(outcomes),
    };
  }
  const names = new Set(outcomes.flatMap((o) => o.started.map((s) => s.name)));
  return {
    status: rollupStatus(outcomes.map((o) => o.snapshot?.status)),
    'timed-out': String(outcomes.some((o) => o.end.kind === 'timeout')),
    'operation-id': '',
    steps: '[]',
    'current-step': '',
    'preview-links': '[]',
    'live-links': '[]',
    started: inSendingOrder(names).join(','),
    offers,
    changed: anyChanged(outcomes),
    // One offer's record; with several, each entry of `offers` has its own.
    'previous-status': '',
    // A change is for one offer; several offers change nothing.
    configured: '[]',
    plan,
    // One offer's preview; with several, each entry of `offers` has its own.
    'preview-id': '',
    drift: anyDrift(outcomes),
  };
}
