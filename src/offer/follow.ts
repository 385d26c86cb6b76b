/**
 * Following one offer, in its steps: say what is followed, plan (`follow-plan.ts`: the facts and
 * one planner for the dry run and the real run), carry the plan out (`follow-carry.ts`), wait by
 * the stop rules, going live at the sign-off by the plan (`follow-wait.ts`), and end: the outcome,
 * a failure explained. Several offers run this side by side.
 */
import { formatDuration } from '../core/duration.js';
import type { OfferOutcome } from '../core/outcome.js';
import { explainFailure } from './explain.js';
import { carryStep } from './follow-carry.js';
import { planStep } from './follow-plan.js';
import { OfferRun, type FollowContext } from './follow-run.js';
import { waitStep, type Waited } from './follow-wait.js';
import { draftChanged } from './plan-log.js';
import type { Planned } from './release.js';

export async function followOffer(ctx: FollowContext): Promise<OfferOutcome> {
  const run = new OfferRun(ctx);
  sayWhatIsFollowed(ctx);
  if (!(await staggered(ctx))) return run.finished(run.outcome({ kind: 'cancelled' }));
  const planned = await planStep(run);
  if ('ended' in planned) return planned.ended;
  const carried = await carryStep(run, planned);
  if ('ended' in carried) return carried.ended;
  const waited = await waitStep(run, planned, carried.carried);
  return end(run, planned, waited);
}

function sayWhatIsFollowed({ settings, adapter, apiTitle, runner }: FollowContext): void {
  const asked = [settings.publish && 'publish', settings.goLive && 'go-live at the sign-off']
    .filter(Boolean)
    .join(', then ');
  runner.info(
    `${asked ? `Will ${asked}; f` : 'F'}ollowing ${adapter.following} on the ${apiTitle}: ` +
      `wait-until ${settings.waitUntil}, timeout ${formatDuration(settings.timeoutMs)}, ` +
      `polling every ${formatDuration(settings.pollIntervalMs)}.`,
  );
}

/** Waits this offer's share of the poll interval before its first read; false once cancelled. */
async function staggered(ctx: FollowContext): Promise<boolean> {
  const offset = Math.min(ctx.offsetMs, ctx.deadline - ctx.now());
  if (offset > 0) await ctx.sleep(offset);
  return !ctx.cancel.aborted;
}

/**
 * The offer's outcome: a change without a publish ends on what the draft, preview and live hold
 * (the offer's state is no verdict on the change); a failed publish gets its job's errors.
 */
async function end(run: OfferRun, planned: Planned, waited: Waited): Promise<OfferOutcome> {
  const { settings, runner } = run.ctx;
  const { result, changeOnly, rule, declined, tracker } = waited;
  let end = result.end;
  if (changeOnly && !settings.dryRun && !['error', 'timeout', 'cancelled'].includes(end.kind)) {
    end = draftChanged(
      planned,
      run.publisher.started.some((s) => s.name === 'configure'),
    );
    if (settings.goLive && !declined)
      runner.warning(`The go-live was not sent: ${rule.why}. ${rule.next}`);
  }
  const snapshot = await explainFailure(
    run.ctx.adapter,
    runner,
    end,
    result.snapshot,
    run.call(),
    run.publisher.operationId || tracker?.recordedOperation() || '',
  );
  return run.finished(run.outcome(end, { snapshot, reads: result.reads }));
}
