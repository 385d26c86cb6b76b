/**
 * The wait: read, decide, sleep, until a stop rule, the deadline, or the error budget ends it.
 * Clock, sleep and the read itself are injected, so every path runs in tests without real time.
 */
import type { Snapshot } from '../core/model.js';
import type { End } from '../core/end.js';
import { decide, type StopRules } from '../core/stop-rules.js';
import { ApiError } from '../http/api-error.js';

export interface WaitOptions {
  rules: StopRules;
  /** When the step started (on the `now` clock): the timeout counts from there. Default: now. */
  startedAt?: number;
  timeoutMs: number;
  pollIntervalMs: number;
  /** Reads in a row that may fail (after their own retries) before the wait gives up. */
  maxFailedReads: number;
}

export interface WaitDeps {
  /** One read of where the publish stands; must give up at `deadline`. */
  read(deadline: number): Promise<Snapshot>;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Called after each successful read, with the snapshot before it (none on the first read). */
  onRead?(previous: Snapshot | undefined, current: Snapshot, readNumber: number): void;
  /**
   * Called after each read, before the stop rules: what the step does about it (a go-live at the
   * sign-off). An `End` it returns ends the wait there (a go-live it will not send ends it at the
   * sign-off); an `ApiError` it throws ends it like a refused read.
   */
  act?(current: Snapshot): Promise<End | void>;
  /**
   * Whether a read shows what the step follows (after a write, the service may still show the
   * publish before it). A read that does not is passed to `onUnrelated`, never acted on.
   */
  accept?(current: Snapshot): Promise<boolean>;
  onUnrelated?(current: Snapshot, readNumber: number): void;
  /** Called when a read failed but the wait goes on. */
  onReadFailed?(error: ApiError, failedInRow: number): void;
  /** True once the workflow asked the action to stop (cancellation). */
  cancelled?(): boolean;
}

export interface WaitResult {
  end: End;
  /** The last successful read, if any. */
  snapshot: Snapshot | undefined;
  reads: number;
  waitedMs: number;
}

export async function waitForOffer(options: WaitOptions, deps: WaitDeps): Promise<WaitResult> {
  const started = options.startedAt ?? deps.now();
  const deadline = started + options.timeoutMs;
  let snapshot: Snapshot | undefined;
  let reads = 0;
  let failedInRow = 0;
  const result = (end: End): WaitResult => ({
    end,
    snapshot,
    reads,
    waitedMs: deps.now() - started,
  });

  for (;;) {
    if (deps.cancelled?.()) return result({ kind: 'cancelled' });
    reads++;
    try {
      const next = await deps.read(deadline);
      failedInRow = 0;
      if (deps.accept && !(await deps.accept(next))) {
        deps.onUnrelated?.(next, reads);
      } else {
        deps.onRead?.(snapshot, next, reads);
        snapshot = next;
        const end = (await deps.act?.(next)) || decide(next, options.rules);
        if (end) return result(end);
      }
    } catch (error) {
      if (deps.cancelled?.()) return result({ kind: 'cancelled' });
      const permanent = error instanceof ApiError && !error.transient;
      if (permanent) return result({ kind: 'error', message: error.message });
      if (deps.now() >= deadline) return result({ kind: 'timeout', timeoutMs: options.timeoutMs });
      if (!(error instanceof ApiError)) {
        // Not a failure of the service: a bug. End the wait with it; keep what was seen.
        const message = error instanceof Error ? error.message : String(error);
        return result({ kind: 'error', message: `Unexpected error while reading: ${message}` });
      }
      failedInRow++;
      if (failedInRow >= options.maxFailedReads) {
        return result({
          kind: 'error',
          message: `${error.message} The last ${failedInRow} reads failed; giving up (max-failed-reads).`,
        });
      }
      deps.onReadFailed?.(error, failedInRow);
    }
    const remaining = deadline - deps.now();
    if (remaining <= 0) return result({ kind: 'timeout', timeoutMs: options.timeoutMs });
    await deps.sleep(Math.min(options.pollIntervalMs, remaining));
  }
}
