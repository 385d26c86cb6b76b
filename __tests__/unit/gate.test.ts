import { describe, expect, test } from '@jest/globals';
import { MockAgent } from 'undici';
import * as v from 'valibot';
import { HttpClient } from '../../src/http/client.js';
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
      const timer = { at: t + ms, resolve };
      timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          timers = timers.filter((x) => x !== timer);
          resolve();
        },
        { once: true },
      );
    });
  const advance = async (to: number) => {
    t = to;
    const due = timers.filter((x) => x.at <= t);
    timers = timers.filter((x) => x.at > t);
    for (const x of due) x.resolve();
    await flush();
  };
  return { now: () => t, sleep, sleeps, advance, asleep: () => timers.length };
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
    // One sleep over the pause for the whole queue, not one per request.
    expect(time.sleeps).toEqual([3_000]);
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

describe('Gate: first come, first served', () => {
  // The freed slot is handed over to the oldest waiter: a request arriving at any moment after
  // the release (before or after the waiter wakes) queues behind it.
  test.each(Array.from({ length: 12 }, (_, k) => k))(
    'a newcomer %i microtasks after a slot frees waits behind the queue',
    async (k) => {
      const gate = new Gate({ maxInFlight: 1, sleep: async () => {} });
      const t = tracked(gate);
      for (let i = 0; i < 3; i++) void t.start(i);
      await flush();
      expect(t.started).toEqual([0]);
      expect(gate.queued).toBe(2);
      t.held.get(0)!.resolve('a');
      for (let i = 0; i < k; i++) await Promise.resolve();
      void t.start(3);
      await flush();
      expect(t.started).toEqual([0, 1]);
      expect(gate.queued).toBe(2);
      t.held.get(1)!.resolve('b');
      await flush();
      t.held.get(2)!.resolve('c');
      await flush();
      expect(t.started).toEqual([0, 1, 2, 3]);
      expect(gate.peakInFlight).toBe(1);
    },
  );

  test('a newcomer while others wait out a pause queues behind them, even with slots free', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 2, now: time.now, sleep: time.sleep });
    const t = tracked(gate);
    gate.slowDown(1_000);
    for (let i = 0; i < 3; i++) void t.start(i);
    await flush();
    await time.advance(1_000);
    // Two slots: the two oldest start, the third waits for a slot.
    expect(t.started).toEqual([0, 1]);
    void t.start(3);
    await flush();
    t.held.get(1)!.resolve('b');
    await flush();
    expect(t.started).toEqual([0, 1, 2]);
    t.held.get(0)!.resolve('a');
    await flush();
    expect(t.started).toEqual([0, 1, 2, 3]);
    expect(gate.peakInFlight).toBe(2);
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
    for (const d of t.held.values()) d.resolve('ok');
    await flush();
    await Promise.all(all);
    expect(t.peak()).toBe(max);
    expect(gate.peakInFlight).toBe(max);
  }

  test('an already aborted request fails at once with the reason, and takes no slot', async () => {
    const gate = new Gate({ maxInFlight: 1, sleep: async () => {} });
    const t = tracked(gate);
    const first = t.start(0);
    await flush();
    const reason = new Error('the workflow was cancelled');
    // Whether the slots are full or free.
    await expect(t.start(1, AbortSignal.abort(reason))).rejects.toBe(reason);
    t.held.get(0)!.resolve('a');
    await expect(first).resolves.toBe('a');
    await expect(t.start(2, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(t.started).toEqual([0]);
    expect(gate.peakInFlight).toBe(1);
    expect(gate.queued).toBe(0);
    await stillBounded(gate, 1);
  });

  test('aborting a request queued for a slot takes it out of the queue at once', async () => {
    const gate = new Gate({ maxInFlight: 1, sleep: async () => {} });
    const t = tracked(gate);
    void t.start(0); // holds the only slot
    const controller = new AbortController();
    void t.start(1);
    const queued = t.start(2, controller.signal);
    void t.start(3);
    await flush();
    expect(gate.queued).toBe(3);
    controller.abort(new Error('cancelled'));
    // Synchronously: out of the queue the moment its signal fires.
    expect(gate.queued).toBe(2);
    await expect(queued).rejects.toThrow('cancelled');
    expect(t.completed).toEqual([2]);
    expect(t.running()).toBe(1);
    t.held.get(0)!.resolve('a');
    await flush();
    t.held.get(1)!.resolve('b');
    await flush();
    expect(t.started).toEqual([0, 1, 3]);
    expect(gate.peakInFlight).toBe(1);
  });

  test('aborting during a Retry-After pause ends the wait at once; the others wait on', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 2, now: time.now, sleep: time.sleep });
    const t = tracked(gate);
    gate.slowDown(60_000);
    const controller = new AbortController();
    const cancelled = t.start(0, controller.signal);
    void t.start(1);
    await flush();
    expect(time.sleeps).toEqual([60_000]);
    controller.abort(new Error('cancelled'));
    await expect(cancelled).rejects.toThrow('cancelled');
    expect(t.started).toEqual([]);
    // The other request still waits out the pause.
    expect(time.asleep()).toBe(1);
    await time.advance(60_000);
    expect(t.started).toEqual([1]);
    t.held.get(1)!.resolve('b');
    await flush();
    expect(t.completed).toEqual([0, 1]);
    await stillBounded(gate, 2);
  });

  test('when the last waiter of a pause is aborted, the sleep over the pause ends too', async () => {
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: 1, now: time.now, sleep: time.sleep });
    const t = tracked(gate);
    gate.slowDown(60_000);
    const controller = new AbortController();
    const all = [t.start(0, controller.signal), t.start(1, controller.signal)];
    await flush();
    expect(time.asleep()).toBe(1);
    controller.abort();
    await flush();
    expect(time.asleep()).toBe(0);
    for (const p of all) await expect(p).rejects.toThrow();
    // A request after that still waits out the rest of the pause.
    void t.start(2);
    await flush();
    expect(time.asleep()).toBe(1);
    await time.advance(60_000);
    expect(t.started).toEqual([2]);
  });

  test('a request aborted in flight frees its slot for the next in line', async () => {
    const gate = new Gate({ maxInFlight: 2, sleep: async () => {} });
    const t = tracked(gate);
    const controller = new AbortController();
    const all = Array.from({ length: 6 }, (_, i) =>
      t.start(i, i % 2 ? controller.signal : undefined).catch((e: Error) => e.message),
    );
    await flush();
    expect(t.started).toEqual([0, 1]);
    controller.abort(new Error('cancelled'));
    // Request 1 is in flight: the gate leaves it to end on its own (the client's request does).
    t.held.get(1)!.resolve('1 answered before the abort was seen');
    await flush();
    expect(t.started).toEqual([0, 1, 2]);
    for (const d of t.held.values()) d.resolve('done');
    await flush();
    for (const d of t.held.values()) d.resolve('done');
    expect(await Promise.all(all)).toEqual([
      'done',
      '1 answered before the abort was seen',
      'done',
      'cancelled',
      'done',
      'cancelled',
    ]);
    expect(t.started).toEqual([0, 1, 2, 4]);
    await stillBounded(gate, 2);
  });
});

describe('Gate: under the HTTP client', () => {
  // The client maps the abort to p-retry's: the call ends at once with the abort, unretried.
  test('a call queued behind a full gate ends at once when aborted, and sends nothing', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://api.example');
    pool.intercept({ path: '/x' }).reply(200, { ok: true });
    const gate = new Gate({ maxInFlight: 1 });
    const http = new HttpClient({
      tokens: { renewable: false, token: async () => 't' },
      dispatcher: agent,
      gate,
      retryMinDelayMs: 1,
    });
    const hold = deferred<void>();
    const holding = gate.run(() => hold.promise);
    const controller = new AbortController();
    const call = http.get(new URL('https://api.example/x'), v.unknown(), {
      signal: controller.signal,
    });
    await flush();
    expect(gate.queued).toBe(1);
    const reason = new Error('the workflow was cancelled');
    const at = performance.now();
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(performance.now() - at).toBeLessThan(100);
    // Already aborted: no slot, no request.
    await expect(
      http.get(new URL('https://api.example/x'), v.unknown(), { signal: controller.signal }),
    ).rejects.toBe(reason);
    expect(agent.pendingInterceptors()).toHaveLength(1);
    expect(gate.peakInFlight).toBe(1);
    hold.resolve();
    await holding;
    await expect(http.get(new URL('https://api.example/x'), v.unknown())).resolves.toEqual({
      ok: true,
    });
    await agent.close();
  });
});

/** A small seeded PRNG (mulberry32): the same seed gives the same schedule. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random schedules of arrivals, answers, aborts (queued or in flight), pauses and time. After
 * every event: never more than `max` in flight, requests start in the order they came, an aborted
 * waiter is gone at once and never starts, and a slot is never left idle while someone waits
 * outside a pause. `GATE_SEED=n` replays one schedule.
 */
describe('Gate: random schedules', () => {
  const seeds = process.env['GATE_SEED']
    ? [Number(process.env['GATE_SEED'])]
    : Array.from({ length: 30 }, (_, i) => 1_000 + i * 7_919);

  test.each(seeds)('seed %i', async (seed) => {
    try {
      await schedule(seed);
    } catch (error) {
      throw new Error(
        `Gate schedule failed with seed ${seed} (replay: GATE_SEED=${seed}): ${String(error)}`,
        { cause: error },
      );
    }
  });

  type State = 'queued' | 'running' | 'done' | 'aborted';
  interface Req {
    id: number;
    state: State;
    controller?: AbortController;
    answer: Deferred<void>;
    result?: Promise<unknown>;
  }

  async function schedule(seed: number) {
    const rnd = random(seed);
    const pick = <T>(items: T[]): T | undefined =>
      items.length ? items[Math.floor(rnd() * items.length)] : undefined;
    const max = 1 + Math.floor(rnd() * 4);
    const time = fakeTime();
    const gate = new Gate({ maxInFlight: max, now: time.now, sleep: time.sleep });
    const reqs: Req[] = [];
    const started: number[] = [];
    let notBefore = 0;
    let running = 0;
    const broken: string[] = [];

    const arrive = () => {
      const r: Req = { id: reqs.length, state: 'queued', answer: deferred() };
      if (rnd() < 0.6) r.controller = new AbortController();
      const signal = r.controller?.signal;
      reqs.push(r);
      r.result = gate
        .run(async () => {
          // Starts only outside a pause, within the limit, once. (Noted, not thrown: the gate
          // would pass a throw on as this request's failure.)
          if (time.now() < notBefore) broken.push(`${r.id} started at ${time.now()}, in a pause`);
          if (r.state !== 'queued') broken.push(`${r.id} started while ${r.state}`);
          r.state = 'running';
          started.push(r.id);
          running++;
          if (running > max) broken.push(`${r.id} started with ${running} in flight`);
          try {
            // In flight, it ends at its answer or its abort (as an HTTP request does).
            await new Promise<void>((resolve, reject) => {
              void r.answer.promise.then(resolve);
              signal?.addEventListener('abort', () => reject(signal.reason as Error), {
                once: true,
              });
            });
          } finally {
            running--;
            r.state = 'done';
          }
        }, signal)
        .catch(() => {});
    };

    const check = () => {
      expect(broken).toEqual([]);
      expect(gate.peakInFlight).toBeLessThanOrEqual(max);
      // Started in the order they came.
      expect(started).toEqual([...started].sort((a, b) => a - b));
      const waiting = reqs.filter((r) => r.state === 'queued');
      expect(gate.queued).toBe(waiting.length);
      // Nobody waits for a free slot outside a pause.
      if (waiting.length > 0 && time.now() >= notBefore) expect(running).toBe(max);
    };

    for (let step = 0; step < 150; step++) {
      const roll = rnd();
      if (roll < 0.35) {
        arrive();
      } else if (roll < 0.6) {
        pick(reqs.filter((r) => r.state === 'running'))?.answer.resolve();
      } else if (roll < 0.78) {
        const r = pick(reqs.filter((x) => x.controller && !x.controller.signal.aborted));
        if (r) {
          const wasQueued = r.state === 'queued';
          r.controller!.abort(new Error(`abort ${r.id}`));
          if (wasQueued) {
            r.state = 'aborted';
            // Out of the queue at once, before anything else runs.
            expect(gate.queued).toBe(reqs.filter((x) => x.state === 'queued').length);
          }
        }
      } else if (roll < 0.86) {
        const ms = Math.floor(rnd() * 3_000);
        gate.slowDown(ms);
        notBefore = Math.max(notBefore, time.now() + ms);
      } else {
        await time.advance(time.now() + Math.floor(rnd() * 2_000));
      }
      await flush();
      check();
    }

    // Drain: answer everything, let every pause end; every request that was not aborted while
    // it waited has run.
    await time.advance(notBefore);
    for (
      let i = 0;
      i < reqs.length && reqs.some((r) => r.state !== 'done' && r.state !== 'aborted');
      i++
    ) {
      for (const r of reqs) if (r.state === 'running') r.answer.resolve();
      await flush();
      check();
    }
    await Promise.all(reqs.map((r) => r.result));
    expect(reqs.filter((r) => r.state !== 'done' && r.state !== 'aborted')).toEqual([]);
    expect(started).toEqual(reqs.filter((r) => r.state === 'done').map((r) => r.id));
    expect(gate.queued).toBe(0);
  }
});
