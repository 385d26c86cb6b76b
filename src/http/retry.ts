/**
 * When a failed call is tried again: transient failures, with backoff and jitter, waiting longer
 * when the service asks (`Retry-After`), never past the call's deadline; and once with a fresh
 * token after a 401. A write is tried again only when the service said it did nothing.
 */
import pRetry from 'p-retry';
import { ApiError } from './api-error.js';
import { sleep as realSleep } from './sleep.js';

export interface RetryPolicy {
  /** A write is retried only on 408/429; a read on any transient failure. */
  write: boolean;
  /** Tries after the first. */
  retries: number;
  /** First delay; doubles each retry, with jitter, up to `maxDelayMs`. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Retries, and waits they ask for, stop here (on the `now` clock). */
  deadline: number;
  now: () => number;
  /** Waits between tries (the action's own sleep, so that tests run retries on virtual time). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Whether a fresh token can differ from the last (worth one more try after a 401). */
  renewable: boolean;
  /** A short line for each retry. */
  onRetry?: (message: string) => void;
}

/** Runs `attempt` (its argument: whether to ask for a fresh token) until it succeeds or the policy gives up. */
export function withRetries<T>(
  attempt: (freshToken: boolean) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  const { deadline, now, signal, onRetry } = policy;
  const sleep = policy.sleep ?? realSleep;
  let renewed = false;
  // Decided (and waited for) in `onFailedAttempt`, read by `shouldRetry` right after it.
  let again = false;
  const retryable = (error: ApiError) =>
    error.transient && (!policy.write || error.status === 408 || error.status === 429);
  return pRetry(
    async () => {
      try {
        return await attempt(false);
      } catch (error) {
        // One 401 may mean an expired token: get a fresh one and try again, once. A 401 is an
        // answer, so the service did nothing: safe for a write too.
        if (error instanceof ApiError && error.status === 401 && !renewed && policy.renewable) {
          renewed = true;
          return await attempt(true);
        }
        throw error;
      }
    },
    {
      retries: policy.retries,
      // p-retry's own timers and budget read the real clock: it never waits here, and the
      // backoff (with the same jitter) is waited below through `sleep`, on the `now` clock.
      minTimeout: 0,
      signal,
      shouldRetry: () => again,
      onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
        again = false;
        const left = deadline - now();
        if (!(error instanceof ApiError) || !retryable(error) || retriesLeft === 0 || left <= 0)
          return;
        // Doubling from the first delay, times 1 to 2 at random, at most the longest delay; and
        // longer when the service asks (Retry-After), but never past the overall deadline.
        const backoff = Math.min(
          Math.round((Math.random() + 1) * policy.minDelayMs * 2 ** retriesConsumed),
          policy.maxDelayMs,
          left,
        );
        const asked = Math.min(error.details.retryAfterMs ?? 0, left);
        const total = Math.max(backoff, asked);
        onRetry?.(
          `${error.message} Retrying in ${(total / 1000).toFixed(1)}s (${retriesLeft} left).`,
        );
        again = true;
        await sleep(total, signal);
      },
    },
  );
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
