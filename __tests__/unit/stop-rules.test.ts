import { describe, expect, test } from '@jest/globals';
import { DEFAULTS, parseFailOn, type WaitUntil } from '../../src/inputs/index.js';
import {
  closingMessage,
  decide,
  describeEnd,
  failsStep,
  failureReasons,
} from '../../src/core/stop-rules.js';
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

describe('the closing message', () => {
  const message = (level: string, text: string) => ({ level, text, html: text, timestamp: '' });
  const step = (name: string, messages: ReturnType<typeof message>[]) => ({
    id: name,
    name,
    status: 'failed',
    statusKnown: true,
    progress: null,
    estimatedTimeFrame: '',
    messages,
  });
  const read = (o: {
    messages?: ReturnType<typeof message>[];
    steps?: ReturnType<typeof step>[];
  }) => ({
    reported: { value: 'failed', known: true },
    status: 'failed',
    steps: o.steps ?? [],
    messages: o.messages ?? [],
    previewLinks: [],
    liveLinks: [],
  });
  const failed = { kind: 'fail-on', status: 'failed' } as const;

  test("the offer's own errors come first, then each step's, named", () => {
    const snap = read({
      messages: [message('error', 'The offer is incomplete.'), message('warning', 'Price is low.')],
      steps: [step('Certification', [message('error', 'Image 1.4.0 fails the scan.')])],
    });
    expect(closingMessage(failed, snap)).toBe(
      'Status: failed. The publish failed (fail-on lists failed). Errors: The offer is ' +
        'incomplete. | Certification: Image 1.4.0 fails the scan.',
    );
  });

  test('no errors: the warnings, as a note', () => {
    const snap = read({ messages: [message('warning', 'Price is low.')] });
    expect(closingMessage(failed, snap)).toMatch(/ Note: Price is low\.$/);
  });

  test('no message at all: the status and why, nothing more', () => {
    expect(closingMessage(failed, read({}))).toBe(
      'Status: failed. The publish failed (fail-on lists failed).',
    );
  });

  test('a flood of errors: three, each cut at 500 characters, and how many more', () => {
    const long = 'x'.repeat(600);
    const snap = read({ messages: [1, 2, 3, 4, 5].map(() => message('error', long)) });
    const closing = closingMessage(failed, snap);
    expect(closing).toMatch(/ \| and 2 more \(in the log and the summary\)$/);
    expect(closing).toContain(`${'x'.repeat(499)}… |`);
    expect(closing).not.toContain('x'.repeat(500));
  });

  test('an error end names no status and no messages; a timeout goes on', () => {
    const snap = read({ messages: [message('error', 'The offer is incomplete.')] });
    expect(closingMessage({ kind: 'error', message: 'The token was refused.' }, snap)).not.toMatch(
      /Status:|incomplete/,
    );
    const timeout = closingMessage({ kind: 'timeout', timeoutMs: 60_000 }, snap, [
      { name: 'publish', at: Date.UTC(2026, 10, 2), operationId: 'op-1' },
    ]);
    expect(timeout).toMatch(/^Status: failed\. /);
    expect(timeout).not.toMatch(/incomplete/);
    expect(timeout).toMatch(/it goes on, nothing was cancelled\.$/);
  });

  test('a write without a clear answer: it may have started, look before running again', () => {
    const closing = closingMessage({ kind: 'cancelled' }, undefined, [
      { name: 'publish', at: Date.UTC(2026, 10, 2), operationId: '', uncertain: true },
    ]);
    expect(closing).toMatch(
      /This step sent a publish request at 2026-11-02T00:00:00\.000Z that got no clear answer: it may have started\./,
    );
    expect(closing).not.toMatch(/This step started/);
  });

  test('an end-state or an export ended: what the step started does not "go on"', () => {
    const live = closingMessage({ kind: 'end-state', status: 'succeeded' }, undefined, [
      { name: 'go-live', at: Date.UTC(2026, 10, 2), operationId: 'op-2' },
    ]);
    expect(live).toMatch(/This step started: go-live at .*\.$/);
    expect(live).not.toMatch(/it goes on/);
    const closing = closingMessage(
      { kind: 'exported', target: 'draft', folder: 'offers', files: 3, written: 3 },
      undefined,
      [{ name: 'configure', at: Date.UTC(2026, 10, 2), operationId: 'job-1' }],
    );
    expect(closing).not.toMatch(/it goes on/);
  });
});

describe('what an export and a failure say', () => {
  test('an export counts its files, written and unchanged', () => {
    const end = { kind: 'exported', target: 'draft', folder: 'offers/contoso-vm' } as const;
    expect(describeEnd({ ...end, files: 7, written: 2 })).toBe(
      "Exported the offer's draft to offers/contoso-vm: 7 files, 2 written, 5 unchanged. Nothing was sent.",
    );
    expect(describeEnd({ ...end, files: 1, written: 1 })).toMatch(
      /: 1 file, 1 written, 0 unchanged\./,
    );
  });

  test('with no error, the reasons are the warnings only, not the information', () => {
    const message = (level: string, text: string) => ({ level, text, html: text, timestamp: '' });
    const snap = {
      reported: { value: 'failed', known: true },
      status: 'failed',
      steps: [],
      messages: [message('information', 'Queued.'), message('warning', 'Price is low.')],
      previewLinks: [],
      liveLinks: [],
    };
    expect(failureReasons(snap).map((r) => r.message.text)).toEqual(['Price is low.']);
  });
});
