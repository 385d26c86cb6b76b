/**
 * The offer model's statuses: the words every snapshot speaks, whichever API it came from. They
 * are the Cloud Partner Portal's own (camelCase), so a CPP answer needs little mapping; each
 * adapter reads its service's words onto them (see `adapters/cpp/vocabulary.ts`). The other
 * spellings the services' documents give the same words (`completed`, `cancelled`, `not started`)
 * are the model's too (`OFFER_WORDS`, `STEP_WORDS`): a status copied from a log or a doc page is
 * read as written, by an adapter and by the `fail-on` input alike.
 *
 * A word is compared by a key that ignores case, spaces, hyphens and underscores. A value in no
 * vocabulary is kept as it came (`known: false`, flattened to one line): the caller reports it and
 * treats it as still in progress, never crashes on it.
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

/**
 * The words a reader knows, by `statusKey`, each to its canonical spelling: the model's words,
 * plus a service's other names for them (`aliases`).
 */
export function vocabulary<T extends string>(
  canonical: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const value of canonical) map.set(statusKey(value), value);
  for (const [alias, value] of Object.entries(aliases)) map.set(statusKey(alias), value);
  return map;
}

/** A status read with a vocabulary: its canonical spelling, or the text as sent, marked unknown. */
export function readStatus<T extends string>(
  words: ReadonlyMap<string, T>,
  raw: unknown,
): Normalized<T> {
  // An unknown word is kept as text for the log: one line, like every service string.
  const text = lineOf(raw);
  if (text === '') return { value: 'unknown', known: false };
  const known = words.get(statusKey(text));
  return known ? { value: known, known: true } : { value: text, known: false };
}

/**
 * The offer statuses in every spelling the services' documents give them: the offer-status page's
 * PascalCase table and camelCase samples, and the operations page's
 * `not started | running | failed | completed`.
 */
export const OFFER_WORDS = vocabulary<OfferStatus>(OFFER_STATUSES, {
  completed: 'succeeded',
  complete: 'succeeded',
  inProgress: 'running',
  cancelled: 'canceled',
});

/** The step statuses in every documented spelling (the operations page's step list among them). */
export const STEP_WORDS = vocabulary<StepStatus>(STEP_STATUSES, {
  running: 'inProgress',
  completed: 'complete',
  succeeded: 'complete',
  cancelled: 'canceled',
});

const CANONICAL_OFFER_WORDS = vocabulary(OFFER_STATUSES);

/** One of the model's offer statuses in any case or spacing (a deployment's recorded status). */
export function normalizeOfferStatus(raw: unknown): Normalized<OfferStatus> {
  return readStatus(CANONICAL_OFFER_WORDS, raw);
}
