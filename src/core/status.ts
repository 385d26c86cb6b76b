/**
 * The status vocabularies of the Cloud Partner Portal API, and one canonical spelling for each value.
 *
 * The service documents three vocabularies that contradict each other (PascalCase tables, camelCase
 * samples, and the operations page's `not started` / `completed`), so every value is compared by a
 * key that ignores case, spaces, hyphens and underscores. A value in no vocabulary is kept as it came
 * (`known: false`, flattened to one line): the caller reports it and treats it as still in
 * progress, never crashes on it.
 */
import { lineOf } from './html.js';

export const OFFER_STATUSES = [
  'neverPublished',
  'notStarted',
  'waitingForPublisherReview',
  'running',
  'succeeded',
  'canceled',
  'failed',
] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const STEP_STATUSES = [
  'notStarted',
  'inProgress',
  'waitingForPublisherReview',
  'waitingForApproval',
  'blocked',
  'rejected',
  'complete',
  'canceled',
  'failed',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** A status as read: its canonical spelling when known, otherwise the service's own text. */
export interface Normalized<T extends string> {
  value: T | string;
  known: boolean;
}

/** Offer statuses that no further waiting can change. */
export const OFFER_END_STATES: ReadonlySet<string> = new Set<OfferStatus>([
  'succeeded',
  'failed',
  'canceled',
  'neverPublished',
]);

export function statusKey(raw: string): string {
  return raw.toLowerCase().replace(/[\s_-]+/g, '');
}

function table<T extends string>(canonical: readonly T[], aliases: Record<string, T>) {
  const map = new Map<string, T>();
  for (const value of canonical) map.set(statusKey(value), value);
  for (const [alias, value] of Object.entries(aliases)) map.set(statusKey(alias), value);
  return map;
}

const OFFER_TABLE = table<OfferStatus>(OFFER_STATUSES, {
  // The operations page: `not started | running | failed | completed`.
  completed: 'succeeded',
  complete: 'succeeded',
  inProgress: 'running',
  cancelled: 'canceled',
});

const STEP_TABLE = table<StepStatus>(STEP_STATUSES, {
  // The operations page's step list: `notStarted | running | failed | completed`.
  running: 'inProgress',
  completed: 'complete',
  succeeded: 'complete',
  cancelled: 'canceled',
});

function normalize<T extends string>(map: Map<string, T>, raw: unknown): Normalized<T> {
  // An unknown word is kept as text for the log: one line, like every service string.
  const text = lineOf(raw);
  if (text === '') return { value: 'unknown', known: false };
  const known = map.get(statusKey(text));
  return known ? { value: known, known: true } : { value: text, known: false };
}

export function normalizeOfferStatus(raw: unknown): Normalized<OfferStatus> {
  return normalize(OFFER_TABLE, raw);
}

export function normalizeStepStatus(raw: unknown): Normalized<StepStatus> {
  return normalize(STEP_TABLE, raw);
}
