/**
 * `sendOnce`, the rule for one write: a clear answer is final; a request without one is sent again
 * only after two looks, a settle interval apart, both show nothing new; nothing is sent after
 * cancellation; and when the looks cannot be made, the answer is "unknown", never "nothing".
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { FollowedRecord, Publication, Started } from '../../src/adapters/adapter.js';
import { ApiError, tooLargeError, type ApiErrorDetails } from '../../src/http/api-error.js';
import {
  isConflict,
  sendOnce,
  WriteStopped,
  type WriteOptions,
  type WriteOutcome,
} from '../../src/offer/writes.js';
import { propertyRuns } from './helpers.js';

const START = 1_000_000;
const SETTLE = 5_000;
const ENDPOINT = 'POST /api/publishers/contoso/offers/contoso-vm/publish';

type SendAnswer = Started<FollowedRecord> | Error;
type LookAnswer = Publication | undefined | Error;

/**
 * A fake service and clock: `send` and `look` answer from scripts, and every call (sends, looks,
 * sleeps) lands in one ordered list. The clock only moves when the write sleeps; `cancelAt` cancels
 * the step once the clock reaches it.
 */
function harness(script: {
  sends: SendAnswer[];
  looks?: LookAnswer[];
  startAt?: number;
  cancelAt?: number;
  /** Cancel while this send (1-based) is in flight; it then fails as an aborted request would. */
  cancelDuringSend?: number;
  /** Cancel while this look (1-based) is in flight; it then fails as an aborted read would. */
  cancelDuringLook?: number;
  /** Cancel once this look (1-based) has answered. */
  cancelAfterLook?: number;
}) {
  let t = script.startAt ?? START;
  let cancelled = false;
  let sent = 0;
  let looked = 0;
  const calls: string[] = [];
  const infos: string[] = [];
  const sends = [...script.sends];
  const looks = [...(script.looks ?? [])];
  const tick = () => {
    if (script.cancelAt !== undefined && t >= script.cancelAt) cancelled = true;
  };
  return {
    calls,
    infos,
    now: () => t,
    deps: {
      send: async (): Promise<Started<FollowedRecord>> => {
        calls.push(cancelled ? 'send AFTER CANCEL' : 'send');
        sent++;
        if (script.cancelDuringSend === sent) {
          cancelled = true;
          throw new ApiError(`${ENDPOINT} failed: This operation was aborted.`, {
            kind: 'network',
            endpoint: ENDPOINT,
            transient: false,
          });
        }
        const answer = sends.shift();
        if (answer === undefined) throw new Error('no more sends were scripted');
        if (answer instanceof Error) throw answer;
        return answer;
      },
      look: async (): Promise<Publication | undefined> => {
        calls.push('look');
        looked++;
        if (script.cancelDuringLook === looked) {
          cancelled = true;
          throw new Error('This operation was aborted.');
        }
        if (looks.length === 0) throw new Error('no more looks were scripted');
        const answer = looks.shift();
        if (script.cancelAfterLook === looked) cancelled = true;
        if (answer instanceof Error) throw answer;
        return answer;
      },
      sleep: async (ms: number) => {
        calls.push(`sleep ${ms}`);
        t += ms;
        tick();
      },
      now: () => t,
      cancelled: () => {
        tick();
        return cancelled;
      },
      info: (message: string) => {
        infos.push(message);
      },
    },
  };
}

const options = (o: Partial<WriteOptions> = {}): WriteOptions => ({
  name: 'publish',
  deadline: START + 600_000,
  settleMs: SETTLE,
  ...o,
});

function http(status: number, extra: Partial<ApiErrorDetails> = {}): ApiError {
  return new ApiError(`${ENDPOINT} answered HTTP ${status}.`, {
    kind: 'http',
    endpoint: ENDPOINT,
    status,
    transient: [408, 429, 500, 502, 503, 504].includes(status),
    ...extra,
  });
}

const network = () =>
  new ApiError(`${ENDPOINT} failed: the connection was reset (ECONNRESET).`, {
    kind: 'network',
    endpoint: ENDPOINT,
    transient: true,
  });

const unreadable202 = () =>
  new ApiError(`${ENDPOINT} answered HTTP 202 with a body that could not be read.`, {
    kind: 'body',
    endpoint: ENDPOINT,
    status: 202,
    transient: false,
  });

const ours: Started<FollowedRecord> = {
  operationId: 'op-ours',
  label: 'operation op-ours',
  subjects: ['op-ours'],
  followed: { operationId: 'op-ours' },
};
const publication = (id: string, running = true): Publication => ({
  key: id,
  id,
  kind: 'publish',
  running,
  label: `operation ${id}`,
});

/** Runs the write and returns its outcome, or the error it threw. */
async function run(
  h: ReturnType<typeof harness>,
  o: WriteOptions = options(),
): Promise<WriteOutcome | unknown> {
  try {
    return await sendOnce(o, h.deps);
  } catch (error) {
    return error;
  }
}

describe('sendOnce: a clear answer is final', () => {
  test('one send, no look, no sleep', async () => {
    const h = harness({ sends: [ours] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours });
    expect(h.calls).toEqual(['send']);
  });

  test.each([400, 422, 404, 403])(
    'HTTP %i is refused at once, never sent again',
    async (status) => {
      const h = harness({ sends: [http(status)] });
      const thrown = await run(h);
      expect(thrown).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).message).toMatch(/^The publish request was refused: /);
      expect((thrown as ApiError).transient).toBe(false);
      expect(h.calls).toEqual(['send']);
    },
  );

  test('a conflict (409) joins what runs, found by one look; nothing is sent again', async () => {
    const h = harness({ sends: [http(409)], looks: [publication('op-theirs')] });
    expect(await run(h)).toMatchObject({ kind: 'joined', found: { id: 'op-theirs' } });
    expect(h.calls).toEqual(['send', 'look']);
  });

  test('a conflict by its code (productLocked, conflict), never by its text', () => {
    expect(isConflict(http(400, { code: 'productLocked' }))).toBe(true);
    expect(isConflict(http(400, { code: 'Conflict' }))).toBe(true);
    expect(isConflict(http(400))).toBe(false);
    // A refusal whose words sound like a conflict is a refusal.
    for (const serviceMessage of [
      'An In Progress submission already exists.',
      'Image version 1.4.0 already exists',
      'The plan is in progress',
    ]) {
      expect(isConflict(http(400, { code: 'businessValidationError', serviceMessage }))).toBe(
        false,
      );
    }
  });
});

describe('sendOnce: no clear answer (the service may have acted)', () => {
  const unclear: [string, () => ApiError][] = [
    ['no answer (connection reset)', network],
    ['a 500', () => http(500)],
    ['a 503', () => http(503)],
    ['an unreadable 202', unreadable202],
    ['a 201 too large to read', () => tooLargeError(ENDPOINT, 8 * 1024 * 1024, 201)],
  ];

  test.each(unclear)(
    'after %s, the first look finds it: followed, not sent again',
    async (_, e) => {
      const h = harness({ sends: [e()], looks: [publication('op-new')] });
      expect(await run(h)).toMatchObject({ kind: 'found', found: { id: 'op-new' } });
      expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look']);
    },
  );

  test('listed late: the first look sees nothing, the second finds it; sent once', async () => {
    const h = harness({ sends: [http(500)], looks: [undefined, publication('op-new')] });
    expect(await run(h)).toMatchObject({ kind: 'found', found: { id: 'op-new' } });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look', `sleep ${SETTLE}`, 'look']);
  });

  test('a publish that already failed is found too: any state counts', async () => {
    const h = harness({ sends: [http(500)], looks: [publication('op-failed', false)] });
    expect(await run(h)).toMatchObject({ kind: 'found', found: { id: 'op-failed' } });
    expect(h.calls.filter((c) => c === 'send')).toHaveLength(1);
  });

  test('two looks that both show nothing: sent again, and then answered', async () => {
    const h = harness({ sends: [http(503), ours], looks: [undefined, undefined] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look', `sleep ${SETTLE}`, 'look', 'send']);
  });

  test('three requests at most; after the last one, two empty looks mean nothing started', async () => {
    const h = harness({
      sends: [http(500), http(500), http(500)],
      looks: Array(6).fill(undefined),
    });
    const thrown = await run(h);
    expect((thrown as ApiError).message).toMatch(
      /^The publish request failed 3 times, and nothing was started \(looked 2 times after each\)/,
    );
    expect(h.calls.filter((c) => c === 'send')).toHaveLength(3);
    expect(h.calls.filter((c) => c === 'look')).toHaveLength(6);
  });

  test('a look that fails (its reads gave up): unknown whether it started, nothing sent again', async () => {
    const h = harness({ sends: [http(500)], looks: [new Error('reads gave up')] });
    const outcome = (await run(h)) as WriteOutcome;
    expect(outcome).toMatchObject({ kind: 'stopped', mayHaveStarted: true });
    expect(outcome.kind === 'stopped' && outcome.reason).toMatch(
      /could not be checked \(reads gave up\).*unknown whether it started/,
    );
    expect(h.calls.filter((c) => c === 'send')).toHaveLength(1);
  });

  test('too close to the deadline to look: unknown, never "nothing started"', async () => {
    const h = harness({ sends: [http(500)] });
    const outcome = await run(h, options({ deadline: START + SETTLE - 1 }));
    expect(outcome).toMatchObject({ kind: 'stopped', mayHaveStarted: true });
    expect(h.calls).toEqual(['send']);
  });

  test('time for one look only: unknown after it, not sent again', async () => {
    const h = harness({ sends: [http(500)], looks: [undefined] });
    const outcome = await run(h, options({ deadline: START + SETTLE * 1.5 }));
    expect(outcome).toMatchObject({ kind: 'stopped', mayHaveStarted: true });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look']);
  });
});

describe('sendOnce: cancellation', () => {
  test('cancelled before the first send: nothing is sent, nothing may have started', async () => {
    const h = harness({ sends: [ours], cancelAt: START });
    expect(await run(h)).toMatchObject({ kind: 'stopped', mayHaveStarted: false });
    expect(h.calls).toEqual([]);
  });

  test('cancelled while waiting to look: no look is trusted, no send; it may have started', async () => {
    const h = harness({ sends: [http(500), ours], looks: [undefined], cancelAt: START + 1 });
    const outcome = (await run(h)) as WriteOutcome;
    expect(outcome).toMatchObject({ kind: 'stopped', mayHaveStarted: true });
    expect(outcome.kind === 'stopped' && outcome.reason).toMatch(/cancelled while looking/);
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`]);
  });

  test('cancelled between the two looks: never sent again', async () => {
    const h = harness({
      sends: [http(500), ours],
      looks: [undefined, undefined],
      cancelAt: START + SETTLE + 1,
    });
    expect(await run(h)).toMatchObject({ kind: 'stopped', mayHaveStarted: true });
    expect(h.calls.filter((c) => c.startsWith('send'))).toEqual(['send']);
  });

  test('cut off in flight: it may have reached the service', async () => {
    const h = harness({ sends: [], cancelDuringSend: 1 });
    expect(await run(h)).toMatchObject({ kind: 'stopped', mayHaveStarted: true });
  });

  test('cancelled while waiting out a 429: not sent again; nothing started', async () => {
    const h = harness({
      sends: [http(429, { retryAfterMs: 10_000 }), ours],
      cancelAt: START + 1,
    });
    expect(await run(h)).toMatchObject({ kind: 'stopped', mayHaveStarted: false });
    expect(h.calls).toEqual(['send', 'sleep 10000']);
  });
});

describe('sendOnce: refused for now (408, 429)', () => {
  test('sent again after the Retry-After it asked for, without a look', async () => {
    const h = harness({ sends: [http(429, { retryAfterMs: 20_000 }), ours] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours });
    expect(h.calls).toEqual(['send', 'sleep 20000', 'send']);
  });

  test('not sent again when the wait would pass the deadline', async () => {
    const h = harness({ sends: [http(408)] });
    const thrown = await run(h, options({ deadline: START + SETTLE }));
    expect((thrown as ApiError).message).toMatch(/^The publish request was refused: /);
    expect(h.calls).toEqual(['send']);
  });
});

describe('sendOnce: the edges the mutation run found untested', () => {
  test('a 408 is refused for now too: sent again after the settle wait, without a look', async () => {
    const h = harness({ sends: [http(408), ours] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'send']);
    expect(h.infos).toEqual([
      `  ↻ ${ENDPOINT} answered HTTP 408. Sending the publish again in 5.0s.`,
    ]);
  });

  test('an error that is not an answer of the service (a bug) is thrown as it is, never retried', async () => {
    const bug = new TypeError('cannot read the answer');
    const h = harness({ sends: [bug] });
    expect(await run(h)).toBe(bug);
    expect(h.calls).toEqual(['send']);
  });

  test('a conflict whose look fails: joined, unnamed, nothing sent again', async () => {
    const h = harness({ sends: [http(409)], looks: [new Error('reads gave up')] });
    expect(await run(h)).toEqual({
      kind: 'joined',
      found: undefined,
      reason: `${ENDPOINT} answered HTTP 409.`,
    });
    expect(h.calls).toEqual(['send', 'look']);
  });

  test('cut off in flight: no look and no wait after it', async () => {
    const h = harness({ sends: [], cancelDuringSend: 1 });
    const outcome = (await run(h)) as WriteOutcome;
    expect(outcome.kind === 'stopped' && outcome.reason).toMatch(
      /cancelled while the request was in flight/,
    );
    expect(h.calls).toEqual(['send']);
  });

  test('cancelled while a look is in flight: stopped as cancelled, not as a failed look', async () => {
    const h = harness({ sends: [http(500)], cancelDuringLook: 1 });
    const outcome = (await run(h)) as WriteOutcome;
    expect(outcome).toMatchObject({ kind: 'stopped', mayHaveStarted: true });
    expect(outcome.kind === 'stopped' && outcome.reason).toMatch(
      /^The workflow was cancelled while looking;/,
    );
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look']);
  });

  test('two empty looks, then cancelled before sending again: nothing started, said so', async () => {
    const h = harness({
      sends: [http(500), ours],
      looks: [undefined, undefined],
      cancelAfterLook: 2,
    });
    const outcome = (await run(h)) as WriteOutcome;
    expect(outcome).toEqual({
      kind: 'stopped',
      mayHaveStarted: false,
      reason: 'The workflow was cancelled before the request was sent',
    });
    expect(h.calls.filter((c) => c.startsWith('send'))).toEqual(['send']);
  });

  test('the looks end at the deadline: not sent again; it failed once and started nothing', async () => {
    const h = harness({ sends: [http(500), ours], looks: [undefined, undefined] });
    const thrown = await run(h, options({ deadline: START + 2 * SETTLE }));
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).message).toMatch(
      /^The publish request failed once, and nothing was started \(looked 2 times after each\)/,
    );
    expect((thrown as ApiError).transient).toBe(false);
    expect(h.calls.filter((c) => c === 'send')).toHaveLength(1);
  });

  test('the words say which look the deadline came before', async () => {
    const none = (await run(
      harness({ sends: [http(500)] }),
      options({ deadline: START }),
    )) as WriteOutcome;
    expect(none.kind === 'stopped' && none.reason).toMatch(/^The deadline came before the looks;/);
    const one = (await run(
      harness({ sends: [http(500)], looks: [undefined] }),
      options({ deadline: START + SETTLE * 1.5 }),
    )) as WriteOutcome;
    expect(one.kind === 'stopped' && one.reason).toMatch(
      /^The deadline came before the second look;/,
    );
  });

  test('WriteStopped is final: nothing retries it as a transient failure', () => {
    const stopped = new WriteStopped('The workflow was cancelled.', true);
    expect(stopped.transient).toBe(false);
    expect(stopped.details.kind).toBe('network');
    expect(stopped.mayHaveStarted).toBe(true);
  });
});

describe('sendOnce: the rules hold whatever the service does (property)', () => {
  type Step = 'ok' | '409' | '422' | '429' | '500' | 'reset' | 'body';
  const answer = (s: Step): SendAnswer =>
    s === 'ok'
      ? ours
      : s === 'reset'
        ? network()
        : s === 'body'
          ? unreadable202()
          : s === '429'
            ? http(429, { retryAfterMs: 1_000 })
            : http(Number(s));
  const look = (l: 'none' | 'found' | 'fails'): LookAnswer =>
    l === 'none' ? undefined : l === 'found' ? publication('op-new') : new Error('reads gave up');

  test('never more than 3 sends, none after cancellation, and "nothing started" only after two empty looks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Step>('ok', '409', '422', '429', '500', 'reset', 'body'), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.constantFrom<'none' | 'found' | 'fails'>('none', 'found', 'fails'), {
          maxLength: 8,
        }),
        fc.option(fc.integer({ min: 0, max: 40_000 })),
        fc.integer({ min: 1_000, max: 120_000 }),
        async (sends, looks, cancelAfter, timeLeft) => {
          const h = harness({
            sends: sends.map(answer),
            looks: [...looks.map(look), ...Array(8).fill(undefined)],
            cancelAt: cancelAfter === null ? undefined : START + cancelAfter,
          });
          let outcome: WriteOutcome | undefined;
          let thrown: unknown;
          try {
            outcome = await sendOnce(options({ deadline: START + timeLeft }), h.deps);
          } catch (error) {
            thrown = error;
          }
          const sent = h.calls.filter((c) => c.startsWith('send'));
          expect(sent.length).toBeLessThanOrEqual(3);
          expect(sent).not.toContain('send AFTER CANCEL');
          // The clock never passes the deadline by a settle wait.
          expect(h.now()).toBeLessThanOrEqual(START + Math.max(timeLeft, 0) + 1_000);
          if (thrown instanceof ApiError && /nothing was started/.test(thrown.message)) {
            // The last send was followed by two empty looks.
            expect(h.calls.slice(-4)).toEqual([
              `sleep ${SETTLE}`,
              'look',
              `sleep ${SETTLE}`,
              'look',
            ]);
          }
          if (outcome?.kind === 'stopped' && !outcome.mayHaveStarted) {
            // Nothing unclear stands: every unclear send was ruled out by two empty looks.
            const lastSend = h.calls.lastIndexOf(sent.at(-1) ?? 'send');
            const after = h.calls.slice(lastSend + 1).filter((c) => c === 'look');
            expect(after.length === 0 || after.length === 2).toBe(true);
          }
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});
