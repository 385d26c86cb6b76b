import { describe, expect, test } from '@jest/globals';
import { readOfferStatus, readStepStatus } from '../../src/adapters/cpp/vocabulary.js';

describe('a CPP offer status', () => {
  test.each([
    // The offer-status page's table (PascalCase) and samples (camelCase).
    ['NeverPublished', 'neverPublished'],
    ['NotStarted', 'notStarted'],
    ['WaitingForPublisherReview', 'waitingForPublisherReview'],
    ['Running', 'running'],
    ['Succeeded', 'succeeded'],
    ['succeeded', 'succeeded'],
    ['Canceled', 'canceled'],
    ['Failed', 'failed'],
    // The operations page: `not started | running | failed | completed`.
    ['not started', 'notStarted'],
    ['completed', 'succeeded'],
    ['InProgress', 'running'],
    ['cancelled', 'canceled'],
    ['  RUNNING ', 'running'],
    ['waiting_for_publisher_review', 'waitingForPublisherReview'],
  ])('%j reads as %s', (raw, expected) => {
    expect(readOfferStatus(raw)).toEqual({ value: expected, known: true });
  });

  test('an unknown value passes through as sent, marked unknown', () => {
    expect(readOfferStatus('Queued')).toEqual({ value: 'Queued', known: false });
  });

  test.each([[undefined], [null], [42], ['']])(
    'a missing or non-text status (%j) is unknown',
    (raw) => {
      expect(readOfferStatus(raw)).toEqual({ value: 'unknown', known: false });
    },
  );

  test.each(['Körs', 'Lyckades', 'En ejecución', 'Correcto'])(
    "the translated pages' localized names (%s) are not wire values: unknown",
    (raw) => {
      // The sv-SE and es-ES pages translated the table names, but their JSON samples still say
      // `succeeded`/`complete`: the service speaks English identifiers.
      expect(readOfferStatus(raw).known).toBe(false);
    },
  );
});

describe('a CPP step status', () => {
  test.each([
    ['NotStarted', 'notStarted'],
    ['notStarted', 'notStarted'],
    ['InProgress', 'inProgress'],
    ['running', 'inProgress'],
    ['WaitingForPublisherReview', 'waitingForPublisherReview'],
    ['WaitingForApproval', 'waitingForApproval'],
    ['Blocked', 'blocked'],
    ['blocked', 'blocked'],
    ['Rejected', 'rejected'],
    ['Complete', 'complete'],
    ['complete', 'complete'],
    ['completed', 'complete'],
    ['Canceled', 'canceled'],
    ['failed', 'failed'],
  ])('%j reads as %s', (raw, expected) => {
    expect(readStepStatus(raw)).toEqual({ value: expected, known: true });
  });

  test('an unknown value passes through', () => {
    expect(readStepStatus('Throttled')).toEqual({ value: 'Throttled', known: false });
  });
});
