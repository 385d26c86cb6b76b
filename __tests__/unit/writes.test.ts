import { describe, expect, test } from '@jest/globals';
import type { Started } from '../../src/adapters/adapter.js';
import { ApiError, type ApiErrorDetails } from '../../src/http/api-error.js';
import { isConflict, sendOnce, type WriteOptions, type WriteOutcome } from '../../src/writes.js';

const START = 1_000_000;
const SETTLE = 5_000;
const ENDPOINT = 'POST /api/publishers/contoso/offers/contoso-vm/publish';

type SendAnswer = Started | Error;
type LookAnswer = Started | undefined | Error;

/**
 * A fake service and clock: `send` and `lookAgain` answer from scripts, and every call (sends,
 * looks, sleeps) lands in one ordered list. The clock only moves when the write sleeps.
 */
function harness(script: { sends: SendAnswer[]; looks?: LookAnswer[]; startAt?: number }) {
  let t = script.startAt ?? START;
  const calls: string[] = [];
  const infos: string[] = [];
  const sends = [...script.sends];
  const looks = [...(script.looks ?? [])];
  return {
    calls,
    infos,
    now: () => t,
    deps: {
      send: async (): Promise<Started> => {
        calls.push('send');
        const answer = sends.shift();
        if (answer === undefined) throw new Error('no more sends were scripted');
        if (answer instanceof Error) throw answer;
        return answer;
      },
      lookAgain: async (): Promise<Started | undefined> => {
        calls.push('look');
        if (looks.length === 0) throw new Error('no more looks were scripted');
        const answer = looks.shift();
        if (answer instanceof Error) throw answer;
        return answer;
      },
      sleep: async (ms: number) => {
        calls.push(`sleep ${ms}`);
        t += ms;
      },
      now: () => t,
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

const ours: Started = { operationId: 'op-ours', label: 'operation op-ours' };
const found: Started = { operationId: 'op-found', label: 'operation op-found' };
const theirs: Started = { operationId: 'op-theirs', label: 'operation op-theirs' };

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

/** An ApiError with this message, carrying the details of `cause` but no longer transient. */
function expectApiError(thrown: unknown, message: string, cause: ApiError): void {
  expect(thrown).toBeInstanceOf(ApiError);
  const error = thrown as ApiError;
  expect(error.message).toBe(message);
  expect(error.transient).toBe(false);
  expect(error.details).toEqual({ ...cause.details, transient: false });
}

describe('sendOnce: a clear success', () => {
  test('one send, no look, no sleep: sent and confirmed', async () => {
    const h = harness({ sends: [ours] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours, confirmed: true });
    expect(h.calls).toEqual(['send']);
    expect(h.infos).toEqual([]);
  });
});

/** Answers that may have started something on the service. */
const UNCLEAR: [string, () => ApiError][] = [
  ['a network error (no answer)', network],
  ['HTTP 500', () => http(500)],
  ['HTTP 502', () => http(502)],
  ['HTTP 503', () => http(503)],
  ['HTTP 504', () => http(504)],
  ['an unreadable 2xx body (202)', unreadable202],
];

describe.each(UNCLEAR)('sendOnce after %s', (_what, fault) => {
  test('waits settleMs, looks, and when something runs never sends again', async () => {
    const h = harness({ sends: [fault()], looks: [found] });
    expect(await run(h)).toEqual({ kind: 'sent', started: found, confirmed: false });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look']);
    expect(h.now()).toBe(START + SETTLE);
  });

  test('when nothing runs, sends again after the look', async () => {
    const h = harness({ sends: [fault(), ours], looks: [undefined] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours, confirmed: true });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look', 'send']);
  });

  test('found running after the second unclear answer: two sends, no third', async () => {
    const h = harness({ sends: [fault(), fault()], looks: [undefined, found] });
    expect(await run(h)).toEqual({ kind: 'sent', started: found, confirmed: false });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look', 'send', `sleep ${SETTLE}`, 'look']);
  });

  test('after maxAttempts (3) with nothing found, gives up saying nothing was started', async () => {
    const last = fault();
    const h = harness({
      sends: [fault(), fault(), last],
      looks: [undefined, undefined, undefined],
    });
    const thrown = await run(h);
    expectApiError(
      thrown,
      `The publish request failed 3 times, and nothing was started: ${last.message}`,
      last,
    );
    expect(h.calls).toEqual([
      'send',
      `sleep ${SETTLE}`,
      'look',
      'send',
      `sleep ${SETTLE}`,
      'look',
      'send',
      `sleep ${SETTLE}`,
      'look',
    ]);
  });

  test('maxAttempts is honoured: 2 attempts, 2 sends', async () => {
    const last = fault();
    const h = harness({ sends: [fault(), last], looks: [undefined, undefined] });
    const thrown = await run(h, options({ maxAttempts: 2 }));
    expectApiError(
      thrown,
      `The publish request failed 2 times, and nothing was started: ${last.message}`,
      last,
    );
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look', 'send', `sleep ${SETTLE}`, 'look']);
  });

  test('when the look itself fails: nothing more is sent, and the user is told to look', async () => {
    const error = fault();
    const h = harness({
      sends: [error, ours],
      looks: [new Error('GET /submissions answered HTTP 503.')],
    });
    const thrown = await run(h);
    expectApiError(
      thrown,
      `The publish request got no clear answer (${error.message}) and whether it started ` +
        'anything could not be checked (GET /submissions answered HTTP 503.). Nothing more was ' +
        'sent: look in Partner Center before running this step again.',
      error,
    );
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'look']);
  });

  test('the log says why it looks before anything else', async () => {
    const error = fault();
    const h = harness({ sends: [error], looks: [found] });
    await run(h);
    expect(h.infos).toEqual([
      `  ↻ ${error.message} The publish request may still have reached the service; ` +
        'looking again in 5.0s before anything else.',
    ]);
  });
});

describe('sendOnce after 408 or 429 (the service did nothing)', () => {
  test.each([
    ['429 without Retry-After', 429, undefined, SETTLE],
    ['429 with Retry-After above settleMs', 429, 12_000, 12_000],
    ['429 with Retry-After below settleMs', 429, 2_000, SETTLE],
    ['408 without Retry-After', 408, undefined, SETTLE],
    ['408 with Retry-After', 408, 30_000, 30_000],
  ])('%s: waits, then sends again without looking', async (_what, status, retryAfterMs, waitMs) => {
    const h = harness({ sends: [http(status, { retryAfterMs }), ours] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours, confirmed: true });
    expect(h.calls).toEqual(['send', `sleep ${waitMs}`, 'send']);
    expect(h.now()).toBe(START + waitMs);
    expect(h.infos).toEqual([
      `  ↻ ${ENDPOINT} answered HTTP ${status}. Sending the publish again in ` +
        `${(waitMs / 1000).toFixed(1)}s.`,
    ]);
  });

  test('a wait that would end past the deadline is not waited: nothing is sent again', async () => {
    const first = http(429, { retryAfterMs: 60_000 });
    const h = harness({ sends: [first, ours] });
    const thrown = await run(h, options({ deadline: START + 3_000 }));
    expectApiError(
      thrown,
      `The publish request was refused: ${ENDPOINT} answered HTTP 429.`,
      first,
    );
    expect(h.calls).toEqual(['send']);
  });

  test('429 every time: maxAttempts sends, then refused', async () => {
    const last = http(429);
    const h = harness({ sends: [http(429), http(429), last, ours] });
    const thrown = await run(h);
    expectApiError(thrown, `The publish request was refused: ${ENDPOINT} answered HTTP 429.`, last);
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'send', `sleep ${SETTLE}`, 'send']);
  });

  test('a 429 then an unclear answer: still looks before the third send', async () => {
    const h = harness({ sends: [http(429), http(503), ours], looks: [undefined] });
    expect(await run(h)).toEqual({ kind: 'sent', started: ours, confirmed: true });
    expect(h.calls).toEqual(['send', `sleep ${SETTLE}`, 'send', `sleep ${SETTLE}`, 'look', 'send']);
  });
});

describe('sendOnce at the deadline', () => {
  test('a 429 when now() >= deadline: no second send, refused', async () => {
    const error = http(429, { retryAfterMs: 1_000 });
    const h = harness({ sends: [error, ours] });
    const thrown = await run(h, options({ deadline: START }));
    expectApiError(
      thrown,
      `The publish request was refused: ${ENDPOINT} answered HTTP 429.`,
      error,
    );
    expect(h.infos).toEqual([]);
    expect(h.calls).toEqual(['send']);
  });

  test('a 429 past the deadline: no second send either', async () => {
    const h = harness({ sends: [http(429), ours], startAt: START + 10 });
    const thrown = await run(h, options({ deadline: START }));
    expect(thrown).toBeInstanceOf(ApiError);
    expect(h.calls).toEqual(['send']);
  });

  test('an unclear answer at the deadline: looks at once, never sends again', async () => {
    const error = http(503);
    const h = harness({ sends: [error, ours], looks: [undefined] });
    const thrown = await run(h, options({ deadline: START }));
    expectApiError(
      thrown,
      `The publish request failed once, and nothing was started: ${error.message}`,
      error,
    );
    expect(h.calls).toEqual(['send', 'sleep 0', 'look']);
  });

  test('an unclear answer at the deadline that did start something: sent, unconfirmed', async () => {
    const h = harness({ sends: [network(), ours], looks: [found] });
    expect(await run(h, options({ deadline: START }))).toEqual({
      kind: 'sent',
      started: found,
      confirmed: false,
    });
    expect(h.calls).toEqual(['send', 'sleep 0', 'look']);
  });
});

describe('sendOnce when another publish won the race', () => {
  const CONFLICTS: [string, () => ApiError][] = [
    ['HTTP 409', () => http(409, { code: 'Conflict', serviceMessage: 'Conflict.' })],
    [
      'HTTP 400 "An In Progress submission already exists"',
      () =>
        http(400, {
          code: 'BadRequest',
          serviceMessage: 'An In Progress submission already exists.',
        }),
    ],
  ];

  test.each(CONFLICTS)('%s: joined, with what runs now', async (_what, fault) => {
    const error = fault();
    const h = harness({ sends: [error, ours], looks: [theirs] });
    expect(await run(h)).toEqual({ kind: 'joined', started: theirs, reason: error.message });
    expect(h.calls).toEqual(['send', 'look']);
    expect(h.infos).toEqual([]);
  });

  test.each(CONFLICTS)(
    '%s: joined with nothing to follow when the look fails',
    async (_w, fault) => {
      const error = fault();
      const h = harness({ sends: [error, ours], looks: [new Error('lookup failed')] });
      expect(await run(h)).toEqual({ kind: 'joined', started: undefined, reason: error.message });
      expect(h.calls).toEqual(['send', 'look']);
    },
  );

  test('isConflict: 409, and the service saying the submission already exists', () => {
    expect(isConflict(http(409))).toBe(true);
    expect(
      isConflict(http(400, { serviceMessage: 'An In Progress submission already exists' })),
    ).toBe(true);
    expect(isConflict(http(400, { serviceMessage: 'The offer is invalid.' }))).toBe(false);
    expect(isConflict(http(503))).toBe(false);
    expect(isConflict(network())).toBe(false);
  });
});

describe('sendOnce when the service refused', () => {
  test.each([
    [400, 'InvalidRequest', 'The notification e-mail address is not valid.'],
    [422, 'ValidationFailed', 'The plan has no price.'],
    [403, 'Forbidden', 'The account may not publish this offer.'],
    [404, 'NotFound', 'Offer contoso-vm was not found.'],
  ])('HTTP %i ends the step with the service code and message', async (status, code, said) => {
    const error = http(status, { code, serviceMessage: said });
    const h = harness({ sends: [error, ours], looks: [found] });
    const thrown = await run(h);
    expectApiError(thrown, `The publish request was refused: ${error.message}`, error);
    expect((thrown as ApiError).details).toMatchObject({ status, code, serviceMessage: said });
    expect(h.calls).toEqual(['send']);
  });

  test('the go-live is named in its own refusal', async () => {
    const error = http(422, { code: 'NotReady', serviceMessage: 'Not in preview.' });
    const h = harness({ sends: [error] });
    const thrown = await run(h, options({ name: 'go-live' }));
    expectApiError(thrown, `The go-live request was refused: ${error.message}`, error);
    expect(h.calls).toEqual(['send']);
  });

  test('an error that is not an ApiError is rethrown as is', async () => {
    const boom = new TypeError('boom');
    const h = harness({ sends: [boom, ours], looks: [found] });
    expect(await run(h)).toBe(boom);
    expect(h.calls).toEqual(['send']);
  });
});
