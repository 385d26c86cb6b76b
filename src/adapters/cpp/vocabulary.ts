/**
 * The Cloud Partner Portal's words: its status vocabularies, its publisher sign-off step and its
 * links arrays, read onto the offer model.
 *
 * The service documents three status vocabularies that contradict each other (PascalCase tables,
 * camelCase samples, and the operations page's `not started` / `completed`). The model's words are
 * the camelCase ones; the others are aliases here, and every value is compared by `statusKey`
 * (case, spaces, hyphens and underscores ignored). A value in none is kept as it came.
 */
import type { Step } from '../../core/model.js';
import {
  OFFER_STATUSES,
  STEP_STATUSES,
  readStatus,
  statusKey,
  vocabulary,
  type Normalized,
  type OfferStatus,
  type StepStatus,
} from '../../core/status.js';

const OFFER_WORDS = vocabulary<OfferStatus>(OFFER_STATUSES, {
  // The operations page: `not started | running | failed | completed`.
  completed: 'succeeded',
  complete: 'succeeded',
  inProgress: 'running',
  cancelled: 'canceled',
});

const STEP_WORDS = vocabulary<StepStatus>(STEP_STATUSES, {
  // The operations page's step list: `notStarted | running | failed | completed`.
  running: 'inProgress',
  completed: 'complete',
  succeeded: 'complete',
  cancelled: 'canceled',
});

/** An offer's (or operation's) status as CPP sends it, in any of its vocabularies. */
export function readOfferStatus(raw: unknown): Normalized<OfferStatus> {
  return readStatus(OFFER_WORDS, raw);
}

/** A step's status as CPP sends it, in any of its vocabularies. */
export function readStepStatus(raw: unknown): Normalized<StepStatus> {
  return readStatus(STEP_WORDS, raw);
}

/** The publisher sign-off step, matched by id or by name. */
export function isSignoffStep(step: Pick<Step, 'id' | 'name'>): boolean {
  return statusKey(step.id) === 'publishersignoff' || statusKey(step.name) === 'publishersignoff';
}

/** An http(s) URL on one line: a "link" with a blank, a line break or a control character is none. */
// eslint-disable-next-line no-control-regex
const LINK = /^https?:\/\/[^\s\u0000-\u001f\u007f-\u009f]+$/i;

/** http(s) URLs from a links array, whether it holds strings or `{uri|url|href|link}` objects. */
export function toLinks(raw: readonly unknown[] | null | undefined): string[] {
  const links: string[] = [];
  for (const item of raw ?? []) {
    const candidate =
      typeof item === 'string'
        ? item
        : item && typeof item === 'object'
          ? ['uri', 'url', 'href', 'link']
              .map((k) => (item as Record<string, unknown>)[k])
              .find((x) => typeof x === 'string')
          : undefined;
    if (typeof candidate === 'string' && LINK.test(candidate.trim())) links.push(candidate.trim());
  }
  return links;
}
