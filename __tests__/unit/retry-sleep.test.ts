/**
 * Retries wait through the client's injected sleep, on its `now` clock: a run with failing reads
 * takes no real time on a virtual clock, and the backoff, its jitter, `Retry-After` and the
 * deadline are all measured on that clock.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { MockAgent } from 'undici';
import * as v from 'valibot';
import { HttpClient } from '../../src/http/client.js';

const ORIGIN = 'https://api.example.test';
const URL_ = new URL(`${ORIGIN}/status`);
const Body = v.object({ ok: v.boolean() });

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

/** A clock that moves only when slept on; every wait is recorded. */
function virtual() {
  let t = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
}

function client(clock: ReturnType<typeof virtual>, retries = 4) {
  return new HttpClient({
    tokens: { renewable: false, token: async () => 'tok' },
    dispatcher: agent,
    retries,
    retryMinDelayMs: 1_000,
    retryMaxDelayMs: 30_000,
    now: clock.now,
    sleep: clock.sleep,
  });
}

describe('retries on the injected clock', () => {
  test('four failed reads back off 1-2 s, 2-4 s, 4-8 s, 8-16 s, slept through the injected sleep', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/status' }).reply(503, '').times(4);
    pool.intercept({ path: '/status' }).reply(200, { ok: true });
    const clock = virtual();
    const started = performance.now();
    await expect(client(clock).get(URL_, Body)).resolves.toEqual({ ok: true });
    // Minutes of backoff on the clock, none of it real.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(clock.waits).toHaveLength(4);
    clock.waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(1_000 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(2_000 * 2 ** i);
    });
  });

  test('Retry-After beyond the backoff is waited in full on the clock', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/status' }).reply(429, '', { headers: { 'retry-after': '120' } });
    pool.intercept({ path: '/status' }).reply(200, { ok: true });
    const clock = virtual();
    await client(clock).get(URL_, Body);
    expect(clock.waits).toEqual([120_000]);
  });

  test('no wait passes the deadline, and none starts at it', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/status' }).reply(503, '').persist();
    const clock = virtual();
    const deadline = clock.now() + 2_500;
    await expect(client(clock, 10).get(URL_, Body, { deadline })).rejects.toThrow(/HTTP 503/);
    expect(clock.now()).toBe(deadline);
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBe(2_500);
  });
});
