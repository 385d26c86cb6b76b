import { describe, expect, test } from '@jest/globals';
import {
  OFFER_STATUSES,
  STEP_STATUSES,
  normalizeOfferStatus,
  readStatus,
  vocabulary,
} from '../../src/core/status.js';

const STEP_WORDS = vocabulary(STEP_STATUSES);
const normalizeStepStatus = (raw: unknown) => readStatus(STEP_WORDS, raw);

describe("the model's own words", () => {
  test.each(OFFER_STATUSES)('the offer status %s reads as itself', (status) => {
    expect(normalizeOfferStatus(status)).toEqual({ value: status, known: true });
  });

  test.each(STEP_STATUSES)('the step status %s reads as itself', (status) => {
    expect(normalizeStepStatus(status)).toEqual({ value: status, known: true });
  });

  test.each([
    ['NeverPublished', 'neverPublished'],
    ['not started', 'notStarted'],
    ['  RUNNING ', 'running'],
    ['waiting_for_publisher_review', 'waitingForPublisherReview'],
    ['never-published', 'neverPublished'],
  ])('an offer status in any case or spacing: %j reads as %s', (raw, expected) => {
    expect(normalizeOfferStatus(raw)).toEqual({ value: expected, known: true });
  });

  test.each([
    ['InProgress', 'inProgress'],
    ['WAITING FOR APPROVAL', 'waitingForApproval'],
    ['Complete', 'complete'],
  ])('a step status in any case or spacing: %j reads as %s', (raw, expected) => {
    expect(normalizeStepStatus(raw)).toEqual({ value: expected, known: true });
  });

  test.each([
    ['completed', 'Queued'],
    ['cancelled', 'Throttled'],
  ])("a service's other names (%s) and unknown words (%s) are not the model's", (alias, word) => {
    // A service's names for the model's words belong to its adapter (adapters/cpp/vocabulary.ts).
    expect(normalizeOfferStatus(alias)).toEqual({ value: alias, known: false });
    expect(normalizeStepStatus(alias)).toEqual({ value: alias, known: false });
    expect(normalizeOfferStatus(word)).toEqual({ value: word, known: false });
  });

  test.each([[undefined], [null], [42], ['']])(
    'a missing or non-text status (%j) is unknown',
    (raw) => {
      expect(normalizeOfferStatus(raw)).toEqual({ value: 'unknown', known: false });
      expect(normalizeStepStatus(raw)).toEqual({ value: 'unknown', known: false });
    },
  );
});
