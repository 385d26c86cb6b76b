/**
 * The simulator's one time axis. Every time-based behaviour (visibility lag, `by-time` scenarios,
 * the timestamps in answers, each request's `at`) reads this clock, so a test can run a simulator on
 * virtual time by passing its own.
 */

/** Milliseconds since the simulator started. */
export type Clock = () => number;

/** The instant a simulator's clock reads 0: every timestamp it answers with is this plus the clock. */
const BASE_INSTANT = Date.parse('2026-11-02T09:00:00Z');

/** The ISO timestamp the services answer with, for a clock reading (may be negative: before start). */
export function iso(ms: number): string {
  return new Date(BASE_INSTANT + ms).toISOString();
}
