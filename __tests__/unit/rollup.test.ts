import { describe, expect, test } from '@jest/globals';
import { rollupStatus } from '../../src/core/rollup.js';

type Statuses = (string | undefined)[];

describe('rollupStatus', () => {
  // Each case also runs reversed: the rollup does not depend on the order of the offers.
  test.each([
    // failed comes before everything
    [['failed', 'canceled', 'neverPublished', 'running', 'waitingForPublisherReview'], 'failed'],
    [['succeeded', 'failed'], 'failed'],
    [['canceled', 'failed'], 'failed'],
    [['neverPublished', 'failed'], 'failed'],
    [['notStarted', 'failed', 'Queued'], 'failed'],
    [['failed'], 'failed'],
    // then canceled
    [['canceled', 'neverPublished'], 'canceled'],
    [['running', 'canceled'], 'canceled'],
    [['waitingForPublisherReview', 'canceled', 'succeeded'], 'canceled'],
    [['Queued', 'canceled'], 'canceled'],
    [['canceled'], 'canceled'],
    // then neverPublished
    [['neverPublished', 'notStarted'], 'neverPublished'],
    [['running', 'neverPublished'], 'neverPublished'],
    [['succeeded', 'neverPublished', 'waitingForPublisherReview'], 'neverPublished'],
    [['neverPublished'], 'neverPublished'],
    // then anything still on its way: notStarted, running, or a status no vocabulary knows
    [['notStarted'], 'running'],
    [['running'], 'running'],
    [['notStarted', 'succeeded'], 'running'],
    [['running', 'waitingForPublisherReview'], 'running'],
    [['notStarted', 'running', 'succeeded', 'waitingForPublisherReview'], 'running'],
    [['Queued'], 'running'],
    [['Queued', 'succeeded'], 'running'],
    [['waitingForPublisherReview', 'Queued'], 'running'],
    [['unknown', 'succeeded'], 'running'],
    [['inProgress', 'succeeded'], 'running'], // a step status is no offer status
    [['complete'], 'running'],
    [['Succeeded'], 'running'], // statuses arrive canonical: any other spelling is unknown
    [['__proto__', 'succeeded'], 'running'],
    [['toString'], 'running'],
    // then the sign-off
    [['waitingForPublisherReview'], 'waitingForPublisherReview'],
    [['waitingForPublisherReview', 'succeeded'], 'waitingForPublisherReview'],
    [['succeeded', 'waitingForPublisherReview', 'succeeded'], 'waitingForPublisherReview'],
    // then all live
    [['succeeded'], 'succeeded'],
    [['succeeded', 'succeeded', 'succeeded'], 'succeeded'],
  ] as [Statuses, string][])('%j → %s', (statuses, expected) => {
    expect(rollupStatus(statuses)).toBe(expected);
    expect(rollupStatus([...statuses].reverse())).toBe(expected);
  });

  test.each([
    // an offer never read (undefined) or with no status ('') adds nothing
    [[undefined, 'succeeded'], 'succeeded'],
    [['succeeded', ''], 'succeeded'],
    [[undefined, '', 'waitingForPublisherReview'], 'waitingForPublisherReview'],
    [[undefined, 'succeeded', undefined, 'succeeded'], 'succeeded'],
    [['', 'running', undefined], 'running'],
    [[undefined, 'canceled', ''], 'canceled'],
    [['failed', undefined], 'failed'],
    // none read: empty
    [[undefined], ''],
    [[''], ''],
    [[undefined, undefined, undefined], ''],
    [[undefined, '', undefined, ''], ''],
    [[], ''],
  ] as [Statuses, string][])('ignores unread offers: %j → %j', (statuses, expected) => {
    expect(rollupStatus(statuses)).toBe(expected);
    expect(rollupStatus([...statuses].reverse())).toBe(expected);
  });

  test('does not change its argument', () => {
    const statuses = Object.freeze(['succeeded', undefined, 'failed']);
    expect(rollupStatus(statuses)).toBe('failed');
    expect(statuses).toEqual(['succeeded', undefined, 'failed']);
  });
});
