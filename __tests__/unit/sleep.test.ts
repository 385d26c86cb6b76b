import { describe, expect, test } from '@jest/globals';
import { sleep } from '../../src/http/sleep.js';

describe('sleep', () => {
  test('a signal that already fired ends the sleep at once', async () => {
    const at = performance.now();
    await sleep(60_000, AbortSignal.abort());
    expect(performance.now() - at).toBeLessThan(100);
  });

  test('a signal that fires during the sleep ends it at once', async () => {
    const controller = new AbortController();
    const at = performance.now();
    const sleeping = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await sleeping;
    expect(performance.now() - at).toBeLessThan(1_000);
  });

  test('without an abort it sleeps the time, and leaves no listener behind', async () => {
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      removed++;
      remove(...args);
    };
    const at = performance.now();
    await sleep(30, signal);
    expect(performance.now() - at).toBeGreaterThanOrEqual(25);
    expect([added, removed]).toEqual([1, 1]);
  });
});
