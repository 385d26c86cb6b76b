import { describe, expect, test } from '@jest/globals';
import {
  ago,
  deploymentState,
  describeStatus,
  environmentName,
  statusOfDescription,
} from '../../src/core/deployment.js';
import { DEFAULTS, parseFailOn } from '../../src/inputs/index.js';

const failOn = parseFailOn(DEFAULTS['fail-on']!);

describe('an offer status as a GitHub deployment state', () => {
  test.each([
    ['notStarted', 'queued'],
    ['running', 'in_progress'],
    ['waitingForPublisherReview', 'in_progress'],
    ['succeeded', 'success'],
    ['failed', 'failure'],
    ['canceled', 'failure'],
    ['neverPublished', 'failure'],
    ['Queued', 'in_progress'],
  ])('%s → %s (default fail-on)', (status, state) => {
    expect(deploymentState(status, failOn)).toBe(state);
  });

  test.each([
    ['canceled', 'inactive'],
    ['neverPublished', 'inactive'],
    ['failed', 'failure'],
  ])('%s left out of fail-on → %s', (status, state) => {
    expect(deploymentState(status, parseFailOn('blocked'))).toBe(state);
  });
});

describe('the status description, read back by the next run', () => {
  test.each([
    [
      'waitingForPublisherReview',
      '',
      'waitingForPublisherReview: preview ready, waiting for the publisher sign-off',
    ],
    ['running', 'Certification 60%', 'running: Certification 60%'],
    ['succeeded', 'live', 'succeeded: live'],
    ['notStarted', '', 'notStarted'],
  ])('%s (%s)', (status, detail, description) => {
    expect(describeStatus(status, detail)).toBe(description);
    expect(statusOfDescription(describeStatus(status, detail))).toBe(status);
  });

  test('at most 140 characters, starting with the status', () => {
    const d = describeStatus('running', 'x'.repeat(500));
    expect(d).toHaveLength(140);
    expect(d.startsWith('running: ')).toBe(true);
    expect(statusOfDescription(d)).toBe('running');
  });

  test.each([
    ['Running since Monday', 'running'],
    ['Deployed by someone else', undefined],
    ['', undefined],
    [null, undefined],
    [42, undefined],
  ])('a description %j reads as %j', (description, status) => {
    expect(statusOfDescription(description)).toBe(status);
  });
});

describe('how long ago', () => {
  test.each([
    [0, 'just now'],
    [59_000, 'just now'],
    [60_000, '1 minute ago'],
    [5 * 60_000, '5 minutes ago'],
    [3_600_000, '1 hour ago'],
    [2 * 86_400_000 + 5 * 3_600_000, '2 days ago'],
  ])('%i ms: %s', (ms, text) => {
    expect(ago(ms)).toBe(text);
  });
});

test.each([
  ['marketplace-{offer}', 'marketplace-contoso-vm'],
  ['{publisher}/{offer}', 'contoso/contoso-vm'],
  ['{offer}-{offer}', 'contoso-vm-contoso-vm'],
  ['production', 'production'],
])('environment %s → %s', (template, name) => {
  expect(environmentName(template, { offerId: 'contoso-vm', publisherId: 'contoso' })).toBe(name);
});
