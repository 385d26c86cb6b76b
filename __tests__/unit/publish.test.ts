import { describe, expect, test } from '@jest/globals';
import type { Adapter, Started } from '../../src/adapters/adapter.js';
import type { Snapshot } from '../../src/core/model.js';
import { ApiError } from '../../src/http/api-error.js';
import type { CallOptions } from '../../src/http/client.js';
import { Publisher, type PublishDeps } from '../../src/publish.js';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);
const AT = new Date(START).toISOString();
const SETTLE = 5_000;
const OFFER = 'offer contoso/contoso-vm';
const EMAILS = 'ops@contoso.com';
const STALE =
  'It was started elsewhere and may not hold your latest changes; run this step again once it ' +
  'has ended to publish them.';

function snapshot(status: string): Snapshot {
  return {
    reported: { value: status, known: true },
    status,
    steps: [],
    messages: [],
    previewLinks: [],
    liveLinks: [],
  };
}

type Answer<T> = T | Error;

/**
 * A fake adapter whose calls (and the clock's sleeps) land in one ordered list, answering from
 * scripts. `join` makes the joined operation the one followed, as the real adapters do.
 */
function fixture(
  script: {
    running?: Answer<Started | undefined>[];
    startPublish?: Answer<Started>[];
    goLive?: Answer<Started>[];
    reads?: Answer<Snapshot>[];
    operationId?: string;
    cancelled?: boolean;
  } = {},
) {
  let t = START;
  let followed = script.operationId ?? '';
  const calls: string[] = [];
  const infos: string[] = [];
  const warnings: string[] = [];
  const callOptions: CallOptions[] = [];
  const callMarker: CallOptions = { deadline: START + 600_000 };
  const scripts = {
    running: [...(script.running ?? [])],
    startPublish: [...(script.startPublish ?? [])],
    goLive: [...(script.goLive ?? [])],
    reads: [...(script.reads ?? [])],
  };
  function next<T>(name: keyof typeof scripts): T {
    const list = scripts[name] as Answer<T>[];
    if (list.length === 0) throw new Error(`no more ${name} answers were scripted`);
    const answer = list.shift() as Answer<T>;
    if (answer instanceof Error) throw answer;
    return answer;
  }
  const adapter: Adapter = {
    following: 'the offer status of contoso/contoso-vm',
    operationId: () => followed,
    prepare: async () => {},
    read: async (call) => {
      callOptions.push(call);
      calls.push('read');
      return next<Snapshot>('reads');
    },
    runningPublish: async (call) => {
      callOptions.push(call);
      calls.push('runningPublish');
      return next<Started | undefined>('running');
    },
    join: (running) => {
      calls.push(`join ${running.label}`);
      if (running.operationId) followed = running.operationId;
    },
    startPublish: async (call, options) => {
      callOptions.push(call);
      calls.push(`startPublish ${options.notificationEmails}`);
      return next<Started>('startPublish');
    },
    goLive: async (call) => {
      callOptions.push(call);
      calls.push('goLive');
      return next<Started>('goLive');
    },
  };
  const deps: PublishDeps = {
    adapter,
    now: () => t,
    sleep: async (ms) => {
      calls.push(`sleep ${ms}`);
      t += ms;
    },
    info: (m) => {
      infos.push(m);
    },
    warning: (m) => {
      warnings.push(m);
    },
    cancelled: () => script.cancelled ?? false,
    call: () => callMarker,
    deadline: START + 600_000,
    settleMs: SETTLE,
    offer: OFFER,
  };
  return {
    publisher: new Publisher(deps),
    calls,
    infos,
    warnings,
    callOptions,
    callMarker,
    now: () => t,
  };
}

const op = (id: string): Started => ({ operationId: id, label: `operation ${id}` });

const networkError = () =>
  new ApiError('POST /golive failed: the connection was reset (ECONNRESET).', {
    kind: 'network',
    endpoint: 'POST /golive',
    transient: true,
  });

describe('Publisher.publish', () => {
  test('joins the publish that runs, warns that it may be stale, and starts nothing', async () => {
    const f = fixture({ running: [op('op-7')], startPublish: [op('op-new')] });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual(['runningPublish', 'join operation op-7']);
    expect(f.warnings).toEqual([
      `A publish of ${OFFER} is already running (operation op-7): following it instead of ` +
        `starting another. ${STALE}`,
    ]);
    expect(f.warnings[0]).toContain('already running');
    expect(f.warnings[0]).toContain('may not hold your latest changes');
    expect(f.infos).toEqual([]);
    expect(f.publisher.started).toEqual([]);
  });

  test('starts one publish when nothing runs, and says so', async () => {
    const f = fixture({ running: [undefined], startPublish: [op('op-1')] });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual(['runningPublish', `startPublish ${EMAILS}`]);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'op-1' }]);
    expect(f.infos).toEqual([`Started a publish of ${OFFER} at ${AT} (operation op-1).`]);
    expect(f.warnings).toEqual([]);
    expect(f.callOptions).toEqual([f.callMarker, f.callMarker]);
  });

  test('passes the notification e-mails as given, empty included', async () => {
    const f = fixture({ running: [undefined], startPublish: [op('op-1')] });
    await f.publisher.publish('');
    expect(f.calls).toEqual(['runningPublish', 'startPublish ']);
  });

  test('a notice from the adapter is a warning', async () => {
    const f = fixture({
      running: [undefined],
      startPublish: [{ ...op('op-1'), notice: 'The operation address was refused.' }],
    });
    await f.publisher.publish(EMAILS);
    expect(f.warnings).toEqual(['The operation address was refused.']);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'op-1' }]);
  });

  test('sends nothing once the workflow was cancelled', async () => {
    const f = fixture({ running: [undefined], startPublish: [op('op-1')], cancelled: true });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual(['runningPublish']);
    expect(f.publisher.started).toEqual([]);
    expect(f.infos).toEqual([]);
    expect(f.warnings).toEqual([]);
  });

  test('a publish with no operation id: asks once more what runs, and follows it', async () => {
    const f = fixture({
      running: [undefined, op('op-9')],
      startPublish: [{ operationId: '', label: 'submission 1152' }],
    });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual([
      'runningPublish',
      `startPublish ${EMAILS}`,
      'runningPublish',
      'join operation op-9',
    ]);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'op-9' }]);
    expect(f.infos).toEqual([`Started a publish of ${OFFER} at ${AT} (submission 1152).`]);
  });

  test('a publish with no operation id, and still none found: started, unnamed', async () => {
    const f = fixture({
      running: [undefined, new Error('lookup failed')],
      startPublish: [{ operationId: '', label: '' }],
    });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual(['runningPublish', `startPublish ${EMAILS}`, 'runningPublish']);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: '' }]);
    expect(f.infos).toEqual([`Started a publish of ${OFFER} at ${AT}.`]);
  });

  test('another publish won the race (409): follows it, starts nothing of its own', async () => {
    const conflict = new ApiError('POST /publish answered HTTP 409.', {
      kind: 'http',
      endpoint: 'POST /publish',
      status: 409,
      transient: false,
    });
    const f = fixture({ running: [undefined, op('op-theirs')], startPublish: [conflict] });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual([
      'runningPublish',
      `startPublish ${EMAILS}`,
      'runningPublish',
      'join operation op-theirs',
    ]);
    expect(f.publisher.started).toEqual([]);
    expect(f.warnings).toEqual([
      `Another publish of ${OFFER} won the race (POST /publish answered HTTP 409.): following ` +
        `operation op-theirs instead. ${STALE}`,
    ]);
  });

  test('an unclear answer, then the publish seen running: never sent twice', async () => {
    const f = fixture({
      running: [undefined, op('op-2')],
      startPublish: [
        new ApiError('POST /publish answered HTTP 503.', {
          kind: 'http',
          endpoint: 'POST /publish',
          status: 503,
          transient: true,
        }),
        op('op-again'),
      ],
    });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual([
      'runningPublish',
      `startPublish ${EMAILS}`,
      `sleep ${SETTLE}`,
      'runningPublish',
      'join operation op-2',
    ]);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'op-2' }]);
    expect(f.infos.at(-1)).toBe(
      `Started a publish of ${OFFER} at ${AT} (operation op-2), seen running after an unclear answer.`,
    );
  });
});

describe('Publisher.goLiveIfReady', () => {
  test.each(['running', 'notStarted', 'succeeded', 'failed', 'canceled', 'neverPublished'])(
    'sends nothing while the status is %s',
    async (status) => {
      const f = fixture({ goLive: [op('op-gl')] });
      await f.publisher.goLiveIfReady(snapshot(status));
      expect(f.calls).toEqual([]);
      expect(f.publisher.started).toEqual([]);
      expect(f.infos).toEqual([]);
    },
  );

  test('a reported status of waitingForPublisherReview alone is not enough: status decides', async () => {
    const f = fixture({ goLive: [op('op-gl')] });
    await f.publisher.goLiveIfReady({
      ...snapshot('running'),
      reported: { value: 'waitingForPublisherReview', known: true },
    });
    expect(f.calls).toEqual([]);
  });

  test('sends the go-live once when the offer waits for the sign-off', async () => {
    const f = fixture({ goLive: [op('op-gl'), op('op-gl2')] });
    const waiting = snapshot('waitingForPublisherReview');
    await f.publisher.goLiveIfReady(waiting);
    expect(f.calls).toEqual(['goLive']);
    expect(f.publisher.started).toEqual([{ name: 'go-live', at: START, operationId: 'op-gl' }]);
    expect(f.infos).toEqual([`Asked to go live: ${OFFER} at ${AT} (operation op-gl).`]);

    await f.publisher.goLiveIfReady(waiting);
    await f.publisher.goLiveIfReady(snapshot('waitingForPublisherReview'));
    expect(f.calls).toEqual(['goLive']);
    expect(f.publisher.started).toEqual([{ name: 'go-live', at: START, operationId: 'op-gl' }]);
  });

  test('publish then go-live: started lists both, in order', async () => {
    const f = fixture({ running: [undefined], startPublish: [op('op-1')], goLive: [op('op-gl')] });
    await f.publisher.publish(EMAILS);
    await f.publisher.goLiveIfReady(snapshot('running'));
    await f.publisher.goLiveIfReady(snapshot('waitingForPublisherReview'));
    expect(f.calls).toEqual(['runningPublish', `startPublish ${EMAILS}`, 'goLive']);
    expect(f.publisher.started.map((s) => s.name)).toEqual(['publish', 'go-live']);
  });

  test('sends nothing once the workflow was cancelled', async () => {
    const f = fixture({ goLive: [op('op-gl')], cancelled: true });
    await f.publisher.goLiveIfReady(snapshot('waitingForPublisherReview'));
    expect(f.calls).toEqual([]);
    expect(f.publisher.started).toEqual([]);
  });

  test.each(['running', 'succeeded'])(
    'no answer, then the offer seen %s: no second go-live, recorded as started',
    async (status) => {
      const f = fixture({
        operationId: 'op-1',
        goLive: [networkError(), op('op-second')],
        reads: [snapshot(status)],
      });
      await f.publisher.goLiveIfReady(snapshot('waitingForPublisherReview'));
      expect(f.calls).toEqual(['goLive', `sleep ${SETTLE}`, 'read', 'join the go-live']);
      expect(f.publisher.started).toEqual([{ name: 'go-live', at: START, operationId: 'op-1' }]);
      expect(f.infos.at(-1)).toBe(
        `Asked to go live: ${OFFER} at ${AT} (the go-live), seen running after an unclear answer.`,
      );
      expect(f.warnings).toEqual([]);
    },
  );

  test('no answer, and the offer still waits for the sign-off: sent again, once', async () => {
    const f = fixture({
      goLive: [networkError(), op('op-gl')],
      reads: [snapshot('waitingForPublisherReview')],
    });
    await f.publisher.goLiveIfReady(snapshot('waitingForPublisherReview'));
    expect(f.calls).toEqual(['goLive', `sleep ${SETTLE}`, 'read', 'goLive']);
    // `at` is left open here: the first or the second send's time are both defensible.
    expect(f.publisher.started).toEqual([
      { name: 'go-live', at: expect.any(Number), operationId: 'op-gl' },
    ]);
    expect(f.infos).toHaveLength(2);
    expect(f.infos[1]).toMatch(
      /^Asked to go live: offer contoso\/contoso-vm at \S+Z \(operation op-gl\)\.$/,
    );
  });

  test('a refused go-live ends the step, and is never sent again', async () => {
    const refused = new ApiError('POST /golive answered HTTP 422.', {
      kind: 'http',
      endpoint: 'POST /golive',
      status: 422,
      code: 'NotReady',
      serviceMessage: 'The offer is not in preview.',
      transient: false,
    });
    const f = fixture({ goLive: [refused, op('op-gl')] });
    await expect(f.publisher.goLiveIfReady(snapshot('waitingForPublisherReview'))).rejects.toThrow(
      'The go-live request was refused: POST /golive answered HTTP 422.',
    );
    await f.publisher.goLiveIfReady(snapshot('waitingForPublisherReview'));
    expect(f.calls).toEqual(['goLive']);
    expect(f.publisher.started).toEqual([]);
  });
});
