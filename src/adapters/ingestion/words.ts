/**
 * Product-ingestion's words, read onto the model: a submission's or a job's phase (`status`,
 * `jobStatus`) and result (`result`, `jobResult`), and a submission's target. Compared
 * case-insensitively: the docs' tables capitalize them (`Running`, `Succeeded`), the samples do
 * not. Every text the service sends reaches the model as one line.
 */
import { lineOf } from '../../core/html.js';
import { statusKey, type Normalized } from '../../core/status.js';
import type { Submission } from './schemas.js';

export type Phase = 'notStarted' | 'running' | 'completed';
export type Result = 'pending' | 'succeeded' | 'failed' | 'canceled';

// Maps, not object literals: a service word such as `constructor` must not find a prototype member.
const PHASES = new Map<string, Phase>([
  ['notstarted', 'notStarted'],
  ['running', 'running'],
  ['inprogress', 'running'],
  ['completed', 'completed'],
  ['complete', 'completed'],
]);
const RESULTS = new Map<string, Result>([
  ['pending', 'pending'],
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['cancelled', 'canceled'],
  ['canceled', 'canceled'],
]);

/** A service's word or text, on one line; anything but a string is no text. */
export const word = lineOf;
export const phaseOf = (raw: unknown): Phase | undefined => PHASES.get(statusKey(word(raw)));
export const resultOf = (raw: unknown): Result | undefined => RESULTS.get(statusKey(word(raw)));
/** A result that says the submission or job has ended, if it says so. */
export const endedResult = (raw: unknown): Exclude<Result, 'pending'> | undefined => {
  const result = resultOf(raw);
  return result && result !== 'pending' ? result : undefined;
};
const targetOf = (s: Submission): string => statusKey(word(s.target?.targetType));
export const isTarget = (target: string) => (s: Submission) => targetOf(s) === target;
export const isDone = (s: Submission): boolean => phaseOf(s.status) === 'completed';

/**
 * The entries that say where a publish stands: the preview and live ones with a `status`. A draft
 * never has one; a preview or live entry without one says nothing (other clients skip it too), so
 * it neither makes a publish "in progress" nor is the preview a go-live pushes.
 */
export function listedEntries(entries: readonly Submission[]): Submission[] {
  return entries.filter(
    (s) => (targetOf(s) === 'preview' || targetOf(s) === 'live') && word(s.status) !== '',
  );
}

/** One notice per target whose listed entries lack an id: read, but neither named nor pushed live. */
export function missingIds(entries: readonly Submission[]): string[] {
  const targets = new Set(entries.filter((s) => !s.id).map(targetOf));
  return [...targets].map(
    (target) =>
      `A ${target} submission entry has no id: where it stands is read, but it cannot be ` +
      `named${target === 'preview' ? ' or pushed live' : ''}.`,
  );
}

export const known = (value: string): Normalized<string> => ({ value, known: true });
/** A word no vocabulary knows: kept as sent, treated as still in progress. */
export const unknown = (raw: unknown): Normalized<string> => ({
  value: word(raw) || 'unknown',
  known: false,
});

/** A step's status for a phase, and for a result that ended. */
export const STEP_OF_PHASE: Record<Phase, string> = {
  notStarted: 'notStarted',
  running: 'inProgress',
  completed: 'complete',
};
export const STEP_OF_RESULT: Record<Exclude<Result, 'pending'>, string> = {
  succeeded: 'complete',
  failed: 'failed',
  canceled: 'canceled',
};

/** The newest entry of a target: by `created` when given, else the last listed. */
export function latest(entries: Submission[]): Submission | undefined {
  return entries.reduce<Submission | undefined>((best, s) => {
    if (!best) return s;
    const a = Date.parse(word(best.created));
    const b = Date.parse(word(s.created));
    return Number.isNaN(a) || Number.isNaN(b) || b >= a ? s : best;
  }, undefined);
}

/**
 * Whether a live entry is the preview's submission gone live: equal ids; when one has none, a
 * live entry created no earlier than the preview (undecided without both dates: not live).
 */
export function goneLive(live: Submission, preview: Submission): boolean {
  if (live.id && preview.id) return live.id === preview.id;
  const created = (s: Submission) => Date.parse(word(s.created));
  return created(live) >= created(preview);
}
