import { describe, expect, test } from '@jest/globals';
import { ApiError } from '../../src/http/api-error.js';
import { DEFAULTS, parseFailOn } from '../../src/inputs/index.js';
import type { StatusBody } from '../../src/adapters/cpp/snapshot.js';
import { snapshotOf } from './helpers.js';
import { waitForOffer, type WaitOptions } from '../../src/offer/wait.js';
import { statusBody } from '../../simulator/scenarios.js';

/** A fake clock that only moves when the loop sleeps or a read takes time. */
function fakeTime() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms: number) => (t += ms),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

const options = (o: Partial<WaitOptions> = {}): WaitOptions => ({
  rules: { failOn: parseFailOn(DEFAULTS['fail-on']!), waitUntil: 'review' },
  timeoutMs: 60_000,
  pollIntervalMs: 10_000,
  maxFailedReads: 3,
  ...o,
});

const running = statusBody('running', { displaycertify: { status: 'inProgress' } }) as StatusBody;
const review = statusBody('running', {
  'publisher-signoff': { status: 'waitingForPublisherReview' },
}) as StatusBody;
const succeeded = statusBody('succeeded', {}) as StatusBody;
const transient = () =>
  new ApiError('GET /x answered HTTP 503.', {
    kind: 'http',
    endpoint: 'GET /x',
    status: 503,
    transient: true,
  });

function reads(...answers: (StatusBody | Error)[]) {
  let i = 0;
  const deadlines: number[] = [];
  return {
    deadlines,
    count: () => i,
    read: async (deadline: number) => {
      deadlines.push(deadline);
      const a = answers[Math.min(i++, answers.length - 1)]!;
      if (a instanceof Error) throw a;
      return snapshotOf(a);
    },
  };
}

describe('the wait', () => {
  test('polls every poll-interval until review, one read per poll', async () => {
    const time = fakeTime();
    const r = reads(running, running, running, review);
    const result = await waitForOffer(options(), { ...time, read: r.read });
    expect(result.end).toEqual({ kind: 'review' });
    expect(result.reads).toBe(4);
    expect(time.sleeps).toEqual([10_000, 10_000, 10_000]);
    expect(result.waitedMs).toBe(30_000);
    expect(result.snapshot?.status).toBe('waitingForPublisherReview');
  });

  test('wait-until completion waits through review to the end state', async () => {
    const time = fakeTime();
    const r = reads(running, review, review, succeeded);
    const result = await waitForOffer(
      options({ rules: { ...options().rules, waitUntil: 'completion' } }),
      { ...time, read: r.read },
    );
    expect(result.end).toEqual({ kind: 'end-state', status: 'succeeded' });
    expect(r.count()).toBe(4);
  });

  test('wait-until none reads once', async () => {
    const time = fakeTime();
    const r = reads(running);
    const result = await waitForOffer(
      options({ rules: { ...options().rules, waitUntil: 'none' } }),
      { ...time, read: r.read },
    );
    expect(result.end).toEqual({ kind: 'single-read' });
    expect(r.count()).toBe(1);
    expect(time.sleeps).toEqual([]);
  });

  test('the timeout ends the wait; the last sleep is cut to the deadline and a last read is made there', async () => {
    const time = fakeTime();
    const r = reads(running);
    const result = await waitForOffer(options({ timeoutMs: 25_000 }), { ...time, read: r.read });
    expect(result.end).toEqual({ kind: 'timeout', timeoutMs: 25_000 });
    expect(time.sleeps).toEqual([10_000, 10_000, 5_000]);
    expect(r.count()).toBe(4);
    expect(result.waitedMs).toBe(25_000);
    expect(new Set(r.deadlines)).toEqual(new Set([1_025_000]));
  });

  test('a slow read counts against the deadline', async () => {
    const time = fakeTime();
    const result = await waitForOffer(options({ timeoutMs: 25_000 }), {
      ...time,
      read: async () => {
        time.advance(20_000);
        return snapshotOf(running);
      },
    });
    expect(result.end.kind).toBe('timeout');
    expect(time.sleeps).toEqual([5_000]);
  });

  test('transient failures are waited through, and a success resets the error budget', async () => {
    const time = fakeTime();
    const failures: number[] = [];
    const r = reads(transient(), transient(), running, transient(), transient(), review);
    const result = await waitForOffer(options(), {
      ...time,
      read: r.read,
      onReadFailed: (_, n) => failures.push(n),
    });
    expect(result.end).toEqual({ kind: 'review' });
    expect(failures).toEqual([1, 2, 1, 2]);
  });

  test('the error budget ends the wait when the service stays broken', async () => {
    const time = fakeTime();
    const r = reads(running, transient());
    const result = await waitForOffer(options({ maxFailedReads: 3 }), { ...time, read: r.read });
    expect(result.end).toEqual({
      kind: 'error',
      message: 'GET /x answered HTTP 503. The last 3 reads failed; giving up (max-failed-reads).',
    });
    expect(r.count()).toBe(4);
    expect(result.snapshot?.status).toBe('running');
  });

  test('a permanent failure ends the wait at once with its message', async () => {
    const time = fakeTime();
    const notFound = new ApiError('GET /x answered HTTP 404.', {
      kind: 'http',
      endpoint: 'GET /x',
      status: 404,
      transient: false,
    });
    const result = await waitForOffer(options(), { ...time, read: reads(notFound).read });
    expect(result.end).toEqual({ kind: 'error', message: 'GET /x answered HTTP 404.' });
    expect(result.reads).toBe(1);
  });

  test('a failure at the deadline is a timeout', async () => {
    const time = fakeTime();
    const result = await waitForOffer(options({ timeoutMs: 5_000 }), {
      ...time,
      read: async () => {
        time.advance(5_000);
        throw transient();
      },
    });
    expect(result.end).toEqual({ kind: 'timeout', timeoutMs: 5_000 });
  });

  test('cancellation ends the wait before the next read', async () => {
    const time = fakeTime();
    let cancelled = false;
    const r = reads(running);
    const result = await waitForOffer(options(), {
      ...time,
      read: r.read,
      sleep: async (ms) => {
        time.advance(ms);
        cancelled = true;
      },
      cancelled: () => cancelled,
    });
    expect(result.end).toEqual({ kind: 'cancelled' });
    expect(r.count()).toBe(1);
  });

  test('each successful read is reported with the snapshot before it', async () => {
    const time = fakeTime();
    const seen: [string | undefined, string, number][] = [];
    await waitForOffer(options(), {
      ...time,
      read: reads(running, review).read,
      onRead: (prev, cur, n) => seen.push([prev?.status, cur.status, n]),
    });
    expect(seen).toEqual([
      [undefined, 'running', 1],
      ['running', 'waitingForPublisherReview', 2],
    ]);
  });
});
