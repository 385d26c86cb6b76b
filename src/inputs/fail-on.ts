/** The `fail-on` input: the statuses, of the offer or of a step, that fail the step. */
import {
  OFFER_STATUSES,
  OFFER_WORDS,
  STEP_STATUSES,
  STEP_WORDS,
  readStatus,
} from '../core/status.js';
import type { FailOn } from '../core/end.js';
import { InputError, printable } from './errors.js';

export function parseFailOn(raw: string): FailOn {
  const entries = raw
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const offer = new Set<string>();
  const step = new Set<string>();
  for (const entry of entries) {
    // Every spelling the model's words have in the services' documents (`completed`, `not started`),
    // so a status copied from a log or a doc page works as written.
    const asOffer = readStatus(OFFER_WORDS, entry);
    const asStep = readStatus(STEP_WORDS, entry);
    if (!asOffer.known && !asStep.known) {
      throw new InputError(
        'fail-on',
        `'${printable(entry)}' is not a status. Offer statuses: ${OFFER_STATUSES.join(', ')}; ` +
          `step statuses: ${STEP_STATUSES.join(', ')} (any case).`,
      );
    }
    if (asOffer.known) offer.add(asOffer.value);
    if (asStep.known) step.add(asStep.value);
  }
  return { entries, offer, step };
}
