/**
 * The first step of following an offer: read the facts and plan (`release.ts`, one planner for the
 * dry run and the real run), and say the plan. Ends the offer here when the plan cannot go on: a
 * failed read, a preview other than the one `preview-id` pins, a drifted offer with `fail-on-drift`.
 */
import { changeLines as planLines } from '../core/configure/render.js';
import type { OfferOutcome } from '../core/outcome.js';
import type { PlanContext } from './change.js';
import { writeFailure } from './explain.js';
import type { OfferRun } from './follow-run.js';
import { driftedResources, driftMessage, logPlan, pinnedMismatch } from './plan-log.js';
import { planOffer, type Planned } from './release.js';

export async function planStep(run: OfferRun): Promise<Planned | { ended: OfferOutcome }> {
  const { settings, adapter, runner } = run.ctx;
  run.planning = planningContext(run);
  let planned: Planned;
  try {
    planned = await planOffer(settings, run.publisher, adapter.changes, run.planning, run.call);
  } catch (error) {
    if (run.cancelled) return { ended: run.finished(run.outcome({ kind: 'cancelled' })) };
    return { ended: run.outcome({ kind: 'error', message: writeFailure('configure', error) }) };
  }
  run.change = planned.change;
  run.release = planned.release;
  sayChange(run);
  logPlan(runner, planned, settings.dryRun);
  const mismatch = pinnedMismatch(planned);
  if (mismatch) return { ended: run.outcome({ kind: 'error', message: mismatch }) };
  // Drift: what applying the files would change in the draft (nothing is sent for a drifted
  // offer with fail-on-drift: the check reports, it does not repair).
  if (settings.change?.resourcePatterns.length && run.change) {
    const drifted = driftedResources(run.change);
    run.drift = drifted.length > 0;
    if (run.drift && settings.failOnDrift) {
      return { ended: run.outcome({ kind: 'error', message: driftMessage(drifted) }) };
    }
  }
  return planned;
}

/** The change's context: with change inputs, on an API that changes offers. */
function planningContext(run: OfferRun): PlanContext | undefined {
  const { settings, adapter, files, tenantId } = run.ctx;
  if (!settings.change || !adapter.changes) return undefined;
  return {
    changes: adapter.changes,
    inputs: settings.change,
    files,
    dryRun: settings.dryRun,
    tenantId,
    call: run.call,
  };
}

/** The change planned, in the log, and each note about it as a warning. */
function sayChange({ change, ctx }: OfferRun): void {
  if (!change) return;
  ctx.runner.info(
    [
      `Changes${ctx.settings.dryRun ? ' (dry run: nothing is sent)' : ''}:`,
      ...planLines(change),
    ].join('\n'),
  );
  for (const c of change.changes) {
    for (const note of c.kind === 'resource' ? (c.notes ?? []) : []) ctx.runner.warning(note);
  }
}
