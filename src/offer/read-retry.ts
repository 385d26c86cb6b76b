/**
 * A read around a write (the listing, the publish state), tried again while it fails transiently,
 * like the wait's reads: within the deadline and `max-failed-reads`, never after cancellation.
 */
import { ApiError } from '../http/api-error.js';

export interface RetryDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
  cancelled(): boolean;
  warning(message: string): void;
  deadline: number;
  pollIntervalMs: number;
  maxFailedReads: number;
}

export async function retriedRead<T>(deps: RetryDeps, read: () => Promise<T>): Promise<T> {
  for (let failed = 1; ; failed++) {
    try {
      return await read();
    } catch (error) {
      const remaining = deps.deadline - deps.now();
      if (
        deps.cancelled() ||
        !(error instanceof ApiError) ||
        !error.transient ||
        remaining <= 0 ||
        failed >= deps.maxFailedReads
      ) {
        if (error instanceof ApiError && error.transient && failed >= deps.maxFailedReads) {
          throw new ApiError(
            `${error.message} The last ${failed} reads failed; giving up (max-failed-reads).`,
            { ...error.details, transient: false },
          );
        }
        throw error;
      }
      deps.warning(
        `${error.message} Read ${failed} of ${deps.maxFailedReads} in a row failed; still waiting.`,
      );
      await deps.sleep(Math.min(deps.pollIntervalMs, remaining));
    }
  }
}
