/**
 * `awaitQuiet`: a change is never sent while a publish runs. The wait reads the listing each poll,
 * says once why it waits, and ends without sending at cancellation or the deadline.
 */
import { describe, expect, test } from '@jest/globals';
import type { Publication } from '../../src/adapters/adapter.js';
import { awaitQuiet, type QuietDeps } from '../../src/offer/quiet.js';
import { WriteStopped } from '../../src/offer/writes.js';

const START = 1_000_000;
const POLL = 60_000;

const pub = (id: string, running: boolean): Publication => ({
  key: id,
  id,
  kind: 'publish',
  running,
  label: `submission ${id}`,
});

function fixture(o: { listings?: Publication[][]; deadline?: number; cancelAt?: number } = {}) {
  let t = START;
  const calls: string[] = [];
  const infos: string[] = [];
  const listings = [...(o.listings ?? [])];
  const deps: QuietDeps = {
    now: () => t,
    sleep: async (ms) => {
      calls.push(`sleep ${ms}`);
      t += ms;
    },
    cancelled: () => o.cancelAt !== undefined && t >= o.cancelAt,
    info: (m) => {
      infos.push(m);
    },
    deadline: o.deadline ?? START + 3_600_000,
    pollIntervalMs: POLL,
    offer: 'offer contoso/contoso-vm',
  };
  const list = async () => {
    calls.push('list');
    const next = listings.shift();
    if (!next) throw new Error('no more listings were scripted');
    return next;
  };
  return { deps, list, calls, infos };
}

describe('awaitQuiet', () => {
  test('nothing runs: the listing as given, no wait, no read, nothing said', async () => {
    const f = fixture();
    const listed = [pub('1', false)];
    expect(await awaitQuiet(f.deps, listed, f.list)).toEqual({ listed, waited: false });
    expect(f.calls).toEqual([]);
    expect(f.infos).toEqual([]);
  });

  test('a publish runs: read again each poll until it ends; says why once', async () => {
    const f = fixture({ listings: [[pub('2', true)], [pub('2', false)]] });
    const result = await awaitQuiet(f.deps, [pub('2', true)], f.list);
    expect(result).toEqual({ listed: [pub('2', false)], waited: true });
    expect(f.calls).toEqual([`sleep ${POLL}`, 'list', `sleep ${POLL}`, 'list']);
    expect(f.infos).toHaveLength(1);
    expect(f.infos[0]).toMatch(/^A publish of offer contoso\/contoso-vm runs \(submission 2\)/);
  });

  test('said before the first wait, once: a publish that ends after one poll', async () => {
    const f = fixture({ listings: [[pub('2', false)]] });
    await awaitQuiet(f.deps, [pub('2', true)], f.list);
    expect(f.infos).toHaveLength(1);
    expect(f.calls).toEqual([`sleep ${POLL}`, 'list']);
  });

  test('the last sleep ends at the deadline, then the wait stops with nothing sent', async () => {
    const f = fixture({ deadline: START + 90_000, listings: [[pub('2', true)], [pub('2', true)]] });
    const error = await awaitQuiet(f.deps, [pub('2', true)], f.list).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteStopped);
    expect((error as WriteStopped).mayHaveStarted).toBe(false);
    expect((error as WriteStopped).message).toMatch(/deadline came while the change waited/);
    expect(f.calls).toEqual([`sleep ${POLL}`, 'list', 'sleep 30000', 'list']);
  });

  test('cancelled: stops at once, before the next read, nothing sent', async () => {
    const f = fixture({ cancelAt: START + 1, listings: [[pub('2', true)]] });
    const error = await awaitQuiet(f.deps, [pub('2', true)], f.list).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteStopped);
    expect((error as WriteStopped).mayHaveStarted).toBe(false);
    expect((error as WriteStopped).message).toMatch(/cancelled while the change waited/);
    expect(f.calls).toEqual([`sleep ${POLL}`, 'list']);
  });
});
