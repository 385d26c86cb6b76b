import { describe, expect, test } from '@jest/globals';
import { Gate } from '../../src/http/gate.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told. `sleep` records each pause and ends when the clock reaches
 * it, or at once when its signal aborts (as the real `sleep` does).
 */
function fakeTime(start = 0) {
  let t = start;
  const sleeps: number[] = [];
  let timers: { at: number; resolve: () => void }[] = [];
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      sleeps.push(ms);
      if (signal?.aborted) return resolve();
      timers.push({ at: t + ms, resolve });
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  const advance = async (to: number) => {
    t = to;
    const due = timers.filter((x) => x.at <= t);
    timers = timers.filter((x) => x.at > t);
    for (const x of due) x.resolve();
    await flush();
  };
  return { now: () => t, sleep, sleeps, advance };
}

/** Requests that start when the gate lets them and end when the test says so. */
function tracked(gate: Gate) {
  const started: number[] = [];
  const completed: number[] = [];
  const held = new Map<number, Deferred<string>>();
  let running = 0;
  let peak = 0;
  const start = (i: number, signal?: AbortSignal) => {
    const d = deferred<string>();
    held.set(i, d);
    const settled = gate.run(async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      try {
        if (signal?.aborted) throw new Error(`request ${i} aborted`);
        return await d.promise;
      } finally {
        running--;
      }
    }, signal);
    void settled.then(
      () => completed.push(i),
      () => completed.push(i),
    );
    return settled;
  };
  return {
    start,
    started,
    completed,
    held,
    running: () => running,
    peak: () => peak,
  };
}

describe('Gate: requests in flight', () => {
  test.each([
    // max in flight, requests, the order they are released in
    [1, 5, [0, 1, 2, 3, 4]],
    [2, 5, [1, 0, 3, 2, 4]],
    [2, 5, [0, 2, 1, 4, 3]],
    [3, 6, [2, 1, 4, 0, 5, 3]],
    [4, 4, [3, 2, 1, 0]],
    [5, 3, [1, 2, 0]],
  ])('max %i, %i requests, released in order %j', async (max, n, order) => {
    const gate = new Gate({ maxInFlight: max, sleep: async () => {} });
    const t = tracked(gate);
    const results = Array.from({ length: n }, (_, i) => t.start(i));
    await flush();
    expect(t.started).toEqual(Array.from({ length: Math.min(max, n) }, (_, i) => i));
    for (const [k, i] of order.entries()) {
      // Only a request the gate let start is ever released here.
      expect(t.started).toContain(i);
      expect(t.completed).not.toContain(i);
      expect(t.running()).toBe(Math.min(max, n - k));
      t.held.get(i)!.resolve(`answer ${i}`);
      await flush();
    }
    expect(await Promise.all(results)).toEqual(Array.from({ length: n }, (_, i) => `answer ${i}`));
    // First come, first served.
    expect(t.started).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(t.completed).toEqual(order);
    expect(t.peak()).toBe(Math.min(max, n));
    expect(gate.peakInFlight).toBe(Math.min(max, n));
  });

  test('a failed request frees its slot', async () => {
    const gate = new Gate({ maxInFlight: 1, sleep: async () => {} });
    await expect(gate.run(() => Promise.reject(new Error('HTTP 503')))).rejects.toThrow('HTTP 503');
    await expect(
      gate.run(() => {
        throw new Error('thrown at once');
      }),
    ).rejects.toThrow('thrown at once');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
    expect(gate.peakInFlight).toBe(1);
  });
});

describe('Gate: slowDown (Retry-After)', () => {
  test.each([
    // slowDown(ms) calls at t=1000, ms later than that the next request starts, → sleeps
    [[5_000], 0, [5_000]],
    [[5_000], 2_000, [3_000]],
    [[5_000], 4_999, [1]],
    [[5_000], 5_000, []],
    [[5_000], 9_000, []],
    [[5_000, 2_000], 0, [5_000]],
    [[2_000, 5_000], 0, [5_000]],
    [[0], 0, []],
    [[-500], 0, []],
  ])('slowDown(%j), a request %i ms later sleeps %j', async (pauses, later, expected) => {
    let t = 1_000;
    const sleeps: number[] = [];
    const gate = new Gate({
      maxInFlight: 2,
      now: () => t,
      sleep: async (ms) => {
        sleeps.push(ms);
        t += ms;
      },
    });
    for (const ms of pauses) gate.slowDown(ms);
    t += later;
    const startedAt: number[] = [];
    await gate.run(async () => startedAt.push(t));
    expect(sleeps).toEqual(expected);
    expect(startedAt).toEqual([Math.max(1_000 + Math.max(...pauses), 1_000 + later)]);
    // The pause is over: the next request does not wait.
    await gate.run(async () => startedAt.push(t));
    expect(sleeps).toEqual(expected);
  });

  test('a later, longer pause pushes the end out', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 2, now: time.now, sleep: time.sleep });
    gate.slowDown(2_000);
    await time.advance(1_000);
    gate.slowDown(3_000); // ends at 4000, after the 2000 of the first
    const t = tracked(gate);
    void t.start(0);
    await flush();
    expect(time.sleeps).toEqual([3_000]);
    await time.advance(3_999);
    expect(t.started).toEqual([]);
    await time.advance(4_000);
    expect(t.started).toEqual([0]);
  });

  test('every request that would start during the pause waits for its end', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 4, now: time.now, sleep: time.sleep });
    const t = tracked(gate);
    gate.slowDown(3_000);
    for (let i = 0; i < 3; i++) void t.start(i);
    await flush();
    expect(time.sleeps).toEqual([3_000, 3_000, 3_000]);
    await time.advance(2_999);
    expect(t.started).toEqual([]);
    await time.advance(3_000);
    expect(t.started).toEqual([0, 1, 2]);
    // A request already in flight is not held back by a pause that comes later.
    gate.slowDown(10_000);
    t.held.get(0)!.resolve('a');
    await flush();
    expect(t.completed).toEqual([0]);
  });

  test('a request waiting for a slot also waits out a pause asked for meanwhile', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 1, now: time.now, sleep: time.sleep });
    const t = tracked(gate);
    void t.start(0);
    void t.start(1);
    await flush();
    expect(t.started).toEqual([0]);
    // Request 0 answers 429 with Retry-After: 2.
    gate.slowDown(2_000);
    t.held.get(0)!.resolve('429');
    await flush();
    expect(time.sleeps).toEqual([2_000]);
    expect(t.started).toEqual([0]);
    await time.advance(2_000);
    expect(t.started).toEqual([0, 1]);
  });

  // A longer pause asked for while a request slept (another offer's 429) is waited out too.
  test('a request asleep on a pause also waits out a longer one asked for meanwhile', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 2, now: time.now, sleep: time.sleep });
    const t = tracked(gate);
    gate.slowDown(1_000);
    void t.start(0);
    await flush();
    expect(time.sleeps).toEqual([1_000]);
    gate.slowDown(5_000); // still t=0: no request may start before 5000
    await time.advance(1_000);
    expect(t.started).toEqual([]);
    expect(time.sleeps).toEqual([1_000, 4_000]);
    await time.advance(5_000);
    expect(t.started).toEqual([0]);
  });
});

describe('Gate: aborted requests', () => {
  /** Whether the gate still lets exactly `max` requests run at once, and all of them finish. */
  async function stillBounded(gate: Gate, max: number) {
    const t = tracked(gate);
    const all = Array.from({ length: max + 2 }, (_, i) => t.start(100 + i));
    await flush();
    expect(t.running()).toBe(max);
    for (const d of t.held.values()) d.resolve('ok');
    await flush();
    await Promise.all(all);
    expect(t.peak()).toBe(max);
  }

  test('an already aborted request goes through at once, fails, and frees what it took', async () => {
    const gate = new Gate({ maxInFlight: 1, sleep: async () => {} });
    const t = tracked(gate);
    const first = t.start(0);
    await flush();
    const aborted = AbortSignal.abort();
    await expect(t.start(1, aborted)).rejects.toThrow('request 1 aborted');
    expect(t.started).toEqual([0, 1]);
    t.held.get(0)!.resolve('a');
    await expect(first).resolves.toBe('a');
    await stillBounded(gate, 1);
  });

  test('aborting during a Retry-After pause ends the wait at once', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 2, now: time.now, sleep: time.sleep });
    const t = tracked(gate);
    gate.slowDown(60_000);
    const controller = new AbortController();
    const cancelled = t.start(0, controller.signal);
    void t.start(1);
    await flush();
    expect(time.sleeps).toEqual([60_000, 60_000]);
    controller.abort();
    await expect(cancelled).rejects.toThrow('request 0 aborted');
    // The other request still waits out the pause.
    expect(t.started).toEqual([0]);
    await time.advance(60_000);
    expect(t.started).toEqual([0, 1]);
    t.held.get(1)!.resolve('b');
    await flush();
    expect(t.completed).toEqual([0, 1]);
    await stillBounded(gate, 2);
  });

  test('aborted requests among many leave the count right', async () => {
    const gate = new Gate({ maxInFlight: 2, sleep: async () => {} });
    const t = tracked(gate);
    const controller = new AbortController();
    const all = Array.from({ length: 6 }, (_, i) =>
      t.start(i, i % 2 ? controller.signal : undefined).catch((e: Error) => e.message),
    );
    await flush();
    expect(t.started).toEqual([0, 1]);
    controller.abort();
    t.held.get(1)!.resolve('1 answered before the abort was seen');
    t.held.get(0)!.resolve('0');
    await flush();
    for (const d of t.held.values()) d.resolve('done');
    expect(await Promise.all(all)).toEqual([
      '0',
      '1 answered before the abort was seen',
      'done',
      'request 3 aborted',
      'done',
      'request 5 aborted',
    ]);
    await stillBounded(gate, 2);
  });

  // A request queued for a slot listens to its signal: aborted, it goes through and fails at once.
  test('aborting a request queued for a slot ends it at once', async () => {
    const gate = new Gate({ maxInFlight: 1, sleep: async () => {} });
    const t = tracked(gate);
    void t.start(0); // holds the only slot
    const controller = new AbortController();
    const queued = t.start(1, controller.signal);
    await flush();
    expect(t.started).toEqual([0]);
    controller.abort();
    await flush();
    // Settled (rejected, whether by the request or by the gate), with request 0 still in flight.
    expect(t.completed).toEqual([1]);
    await expect(queued).rejects.toThrow();
    expect(t.running()).toBe(1);
  });
});
