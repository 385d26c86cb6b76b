/**
 * The second step: carry the plan out (`carry-out.ts`: the change alone, its job, then the
 * publish) when it sends anything; a dry run says what it would send instead, and a step that
 * sends nothing has the adapter look up what it can (the running operation) before the wait.
 */
import type { OfferOutcome } from '../core/outcome.js';
import { carryOut, type Carried } from './carry-out.js';
import { inUserWords, writeFailure } from './explain.js';
import type { OfferRun } from './follow-run.js';
import { sayWhatWouldBeSent } from './plan-log.js';
import type { Planned } from './release.js';

export async function carryStep(
  run: OfferRun,
  planned: Planned,
): Promise<{ carried?: Carried } | { ended: OfferOutcome }> {
  const { settings, runner } = run.ctx;
  if (settings.dryRun) {
    sayWhatWouldBeSent(runner, planned);
    return {};
  }
  if (planned.release.publish === 'none' && planned.release.configure.length === 0) {
    await prepareWait(run);
    return {};
  }
  let carried: Carried;
  try {
    carried = await carry(run, planned);
  } catch (error) {
    return { ended: writeEnded(run, error) };
  }
  run.change = carried.change ?? run.change;
  if (carried.kind === 'ended') {
    const snapshot =
      carried.snapshot && run.change ? inUserWords(carried.snapshot, run.change) : carried.snapshot;
    return { ended: run.finished(run.outcome(carried.end, { snapshot, reads: carried.reads })) };
  }
  return { carried };
}

function carry(run: OfferRun, planned: Planned): Promise<Carried> {
  const { ctx } = run;
  return carryOut(
    {
      settings: ctx.settings,
      publisher: run.publisher,
      changes: ctx.adapter.changes,
      planning: run.planning,
      now: ctx.now,
      sleep: ctx.sleep,
      cancelled: () => run.cancelled,
      stepStart: ctx.stepStart,
      info: (message) => ctx.runner.info(message),
      onRead: run.onRead,
      onReadFailed: run.onReadFailed,
    },
    planned,
  );
}

/** A write that failed or was cut off: the offer's end. */
function writeEnded(run: OfferRun, error: unknown): OfferOutcome {
  const { ctx, publisher } = run;
  if (run.cancelled) return run.finished(run.outcome({ kind: 'cancelled' }));
  if (ctx.now() >= ctx.deadline) {
    return run.outcome({ kind: 'timeout', timeoutMs: ctx.settings.timeoutMs });
  }
  const write =
    run.release.configure.length > 0 && !publisher.started.length ? 'configure' : 'publish';
  return run.outcome({ kind: 'error', message: writeFailure(write, error, run.change) });
}

/** The adapter's lookups before a wait that sends nothing: one try, bounded. */
function prepareWait(run: OfferRun): Promise<void> {
  const { settings, runner } = run.ctx;
  return run.publisher.prepare(
    {
      // The wait itself must not be held up by a side lookup.
      signal: AbortSignal.any([
        run.signal,
        AbortSignal.timeout(Math.min(settings.timeoutMs, settings.requestTimeoutMs)),
      ]),
      retries: 0,
    },
    (message) => runner.debug(message),
  );
}
