import { describe, expect, test } from '@jest/globals';
import { DEFAULTS, parseFailOn, type WaitUntil } from '../../src/inputs/index.js';
import { closingMessage, decide, describeEnd, failsStep } from '../../src/core/stop-rules.js';
import { fixtures } from '../../simulator/scenarios.js';
import { snapshot, snapshotOf } from './helpers.js';

const failOn = parseFailOn(DEFAULTS['fail-on']!);
const rules = (waitUntil: WaitUntil) => ({ failOn, waitUntil });

describe('decide', () => {
  test.each([
    // offer status, step patches, wait-until, expected end kind (undefined: keep waiting)
    ['running', {}, 'review', undefined],
    ['running', {}, 'completion', undefined],
    ['running', {}, 'none', 'single-read'],
    ['notStarted', {}, 'review', undefined],
    ['waitingForPublisherReview', {}, 'review', 'review'],
    ['waitingForPublisherReview', {}, 'completion', undefined],
    ['waitingForPublisherReview', {}, 'none', 'single-read'],
    [
      'running',
      { 'publisher-signoff': { status: 'waitingForPublisherReview' } },
      'review',
      'review',
    ],
    [
      'running',
      { 'publisher-signoff': { status: 'waitingForPublisherReview' } },
      'completion',
      undefined,
    ],
    ['succeeded', {}, 'review', 'end-state'],
    ['succeeded', {}, 'completion', 'end-state'],
    ['succeeded', {}, 'none', 'end-state'],
    ['failed', {}, 'completion', 'fail-on'],
    ['canceled', {}, 'review', 'fail-on'],
    ['neverPublished', {}, 'review', 'fail-on'],
    ['running', { displaycertify: { status: 'blocked' } }, 'completion', 'fail-on'],
    ['running', { displaycertify: { status: 'rejected' } }, 'review', 'fail-on'],
    ['running', { displaycertify: { status: 'Failed' } }, 'none', 'fail-on'],
    ['running', { displaycertify: { status: 'waitingForApproval' } }, 'review', undefined],
    ['Queued', {}, 'review', undefined],
    ['Queued', {}, 'none', 'single-read'],
  ] as const)('offer %s, steps %j, wait-until %s → %s', (status, patches, waitUntil, expected) => {
    expect(decide(snapshot(status, patches), rules(waitUntil))?.kind).toBe(expected);
  });

  test("the seed's blocked operation fails at once, naming the step", () => {
    expect(decide(snapshotOf(fixtures.operation()), rules('completion'))).toEqual({
      kind: 'fail-on',
      status: 'blocked',
      stepId: 'displaycertify',
      stepName: 'Certification',
    });
  });

  test("the seed's succeeded offer ends the wait without failing", () => {
    const end = decide(snapshotOf(fixtures.offerStatus()), rules('review'));
    expect(end).toEqual({ kind: 'end-state', status: 'succeeded' });
    expect(failsStep(end!, true)).toBe(false);
  });

  test('an end state left out of fail-on ends the wait without failing the step', () => {
    const end = decide(snapshot('failed', {}), {
      failOn: parseFailOn('blocked'),
      waitUntil: 'review',
    });
    expect(end).toEqual({ kind: 'end-state', status: 'failed' });
    expect(failsStep(end!, true)).toBe(false);
  });

  test('fail-on may name a non-terminal status, e.g. waitingForApproval', () => {
    const end = decide(snapshot('running', { displaycertify: { status: 'waitingForApproval' } }), {
      failOn: parseFailOn('waitingForApproval'),
      waitUntil: 'completion',
    });
    expect(end).toMatchObject({
      kind: 'fail-on',
      status: 'waitingForApproval',
      stepId: 'displaycertify',
    });
  });
});

describe('failing the step', () => {
  test.each([
    [{ kind: 'fail-on', status: 'failed' }, true, true],
    [{ kind: 'error', message: 'x' }, true, true],
    [{ kind: 'cancelled' }, true, true],
    [{ kind: 'timeout', timeoutMs: 1000 }, true, true],
    [{ kind: 'timeout', timeoutMs: 1000 }, false, false],
    [{ kind: 'end-state', status: 'succeeded' }, true, false],
    [{ kind: 'review' }, true, false],
    [{ kind: 'single-read' }, true, false],
    [{ kind: 'draft-changed', sent: true, preview: 'p', live: 'l' }, true, false],
  ] as const)('%j with fail-on-timeout %s fails: %s', (end, failOnTimeout, expected) => {
    expect(failsStep(end, failOnTimeout)).toBe(expected);
  });

  test('every end has a sentence', () => {
    expect(
      describeEnd({ kind: 'fail-on', status: 'blocked', stepId: 'c', stepName: 'Certification' }),
    ).toBe('The step Certification is blocked (fail-on lists blocked).');
    expect(describeEnd({ kind: 'timeout', timeoutMs: 5_400_000 })).toMatch(
      /ran out of time after 1h30m/,
    );
  });

  test('a change without publish: the draft holds it, nothing published, and the change is done', () => {
    const end = {
      kind: 'draft-changed',
      sent: true,
      preview: 'submission/g/2 (waiting for the sign-off)',
      live: 'submission/g/1',
    } as const;
    expect(describeEnd(end)).toBe(
      'The draft holds the change; nothing was published (publish is not true). In preview: ' +
        'submission/g/2 (waiting for the sign-off); live: submission/g/1.',
    );
    expect(describeEnd({ ...end, sent: false })).toMatch(/^The draft already held the change;/);
    const message = closingMessage(end, undefined, [
      { name: 'configure', at: Date.UTC(2026, 10, 2), operationId: 'job-1' },
    ]);
    expect(message).toMatch(/This step started: configure at .* \(job-1\)\.$/);
    expect(message).not.toMatch(/it goes on/);
  });
});
