/**
 * The Cloud Partner Portal's words: its status vocabularies, its publisher sign-off step and its
 * links arrays, read onto the offer model.
 *
 * The service documents three status vocabularies that contradict each other (PascalCase tables,
 * camelCase samples, and the operations page's `not started` / `completed`). The model's words are
 * the camelCase ones, and the others are the model's spellings of them (`core/status.ts`); every
 * value is compared by `statusKey` (case, spaces, hyphens and underscores ignored). A value in
 * none is kept as it came.
 */
import type { Step } from '../../core/model.js';
import {
  OFFER_WORDS,
  STEP_WORDS,
  readStatus,
  statusKey,
  type Normalized,
  type OfferStatus,
  type StepStatus,
} from '../../core/status.js';

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
