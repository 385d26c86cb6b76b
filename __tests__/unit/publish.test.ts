/**
 * The Publisher's rules, against a scripted adapter: join what runs; follow this step's publish
 * only once identified; go live only for the right preview; never send after cancellation; reads
 * around a write are retried like reads.
 */
import { describe, expect, test } from '@jest/globals';
import {
  sealed,
  type Adapter,
  type Publication,
  type Started,
} from '../../src/adapters/adapter.js';
import type { Snapshot } from '../../src/core/model.js';
import { ApiError } from '../../src/http/api-error.js';
import { Publisher, STALE, type PublishDeps } from '../../src/offer/publish.js';
import { WriteStopped } from '../../src/offer/writes.js';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);
const AT = new Date(START).toISOString();
const SETTLE = 5_000;
const POLL = 60_000;
const OFFER = 'offer contoso/contoso-vm';
const EMAILS = 'ops@contoso.com';

function snapshot(status: string, subject?: string): Snapshot {
  return {
    reported: { value: status, known: true },
    status,
    steps: [],
    messages: [],
    previewLinks: [],
    liveLinks: [],
    ...(subject === undefined ? {} : { subject }),
  };
}

const pub = (id: string, o: Partial<Publication> = {}): Publication => ({
  key: id,
  id,
  kind: 'publish',
  running: false,
  label: `operation ${id}`,
  ...o,
});
/** A write's answer, as scripted: the fake adapter adds what is followed from then on. */
type Answered = Omit<Started, 'followed'>;

const op = (id: string): Answered => ({
  operationId: id,
  label: `operation ${id}`,
  subjects: id ? [id] : [],
});

type Answer<T> = T | Error;

/** What the fake adapter follows: its own record, as each real adapter keeps one. */
type FakeFollowed = { operationId: string; job?: string };

/**
 * A fake adapter whose calls (and the clock's sleeps) land in one ordered list, answering from
 * scripts. `follow` makes the publication the one followed, and a write the operation it names,
 * as the real adapters do.
 */
function fixture(
  script: {
    listings?: Answer<Publication[]>[];
    startPublish?: Answer<Answered>[];
    goLive?: Answer<Answered>[];
    configure?: Answer<Answered>[];
    /** A read: what it was given to follow, and how it may move that on. */
    read?: (followed: FakeFollowed, moveOn: (next: FakeFollowed) => void) => Snapshot;
    cancelled?: boolean;
    maxFailedReads?: number;
  } = {},
) {
  let t = START;
  const calls: string[] = [];
  const infos: string[] = [];
  const warnings: string[] = [];
  const goLiveSnapshots: Snapshot[] = [];
  const scripts = {
    listings: [...(script.listings ?? [])],
    startPublish: [...(script.startPublish ?? [])],
    goLive: [...(script.goLive ?? [])],
    configure: [...(script.configure ?? [])],
  };
  function next<T>(name: keyof typeof scripts): T {
    const list = scripts[name] as Answer<T>[];
    if (list.length === 0) throw new Error(`no more ${name} answers were scripted`);
    const answer = list.shift() as Answer<T>;
    if (answer instanceof Error) throw answer;
    return answer;
  }
  const followedAfter = (followed: FakeFollowed, answered: Answered): Started<FakeFollowed> => ({
    ...answered,
    followed: { operationId: answered.operationId || followed.operationId },
  });
  const adapter: Adapter<FakeFollowed> = {
    following: 'the offer status of contoso/contoso-vm',
    start: { operationId: '' },
    prepare: async (_, followed) => followed,
    read: async (_, followed, moveOn) => {
      calls.push(`read ${followed.operationId}${followed.job ? ` job ${followed.job}` : ''}`);
      if (!script.read) throw new Error('no read was scripted');
      return script.read(followed, moveOn);
    },
    publications: async () => {
      calls.push('list');
      return next<Publication[]>('listings');
    },
    publishState: async () => {
      calls.push('state');
      const publications = next<Publication[]>('listings');
      const running = publications.find((p) => p.running);
      return { publications, ...(running ? { running } : {}), known: false };
    },
    follow: (_, p) => {
      calls.push(`follow ${p.label}`);
      return { operationId: p.id };
    },
    startPublish: async (_, followed, options) => {
      calls.push(`startPublish ${options.notificationEmails}`);
      return followedAfter(followed, next<Answered>('startPublish'));
    },
    goLive: async (_, followed, signoff) => {
      calls.push('goLive');
      goLiveSnapshots.push(signoff);
      return followedAfter(followed, next<Answered>('goLive'));
    },
    changes: {
      readDraft: async () => {
        throw new Error('no draft was scripted');
      },
      configure: async (_, followed, resources) => {
        calls.push(`configure ${resources.map((r) => String(r.id)).join(',')}`);
        return followedAfter(followed, next<Answered>('configure'));
      },
    },
  };
  const deps: PublishDeps = {
    adapter: sealed(adapter),
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
    readCall: () => ({}),
    writeCall: () => ({ retries: 0 }),
    deadline: START + 3_600_000,
    settleMs: SETTLE,
    pollIntervalMs: POLL,
    maxFailedReads: script.maxFailedReads ?? 5,
    offer: OFFER,
  };
  const changes = deps.adapter.changes;
  if (!changes) throw new Error('the fake adapter changes offers');
  return { publisher: new Publisher(deps), calls, infos, warnings, goLiveSnapshots, changes };
}

const transient = (status = 503) =>
  new ApiError(`GET /submissions answered HTTP ${status}.`, {
    kind: 'http',
    endpoint: 'GET /submissions',
    status,
    transient: true,
  });
/** A clear answer that refuses a write: `POST /publish answered HTTP 409.` */
const refusal = (endpoint: string, status: number) =>
  new ApiError(`${endpoint} answered HTTP ${status}.`, {
    kind: 'http',
    endpoint,
    status,
    transient: false,
  });
const unclearWrite = () =>
  new ApiError('POST /publish answered HTTP 500.', {
    kind: 'http',
    endpoint: 'POST /publish',
    status: 500,
    transient: true,
  });

describe('Publisher.publish', () => {
  test('joins the publish that runs, warns that it may be stale, and starts nothing', async () => {
    const f = fixture({ listings: [[pub('op-old'), pub('op-7', { running: true })]] });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual(['list', 'follow operation op-7']);
    expect(f.warnings).toEqual([
      expect.stringMatching(
        /^A publish of offer contoso\/contoso-vm runs \(operation op-7\): following it instead of starting another\. It was started elsewhere and may not hold your latest changes/,
      ),
    ]);
    expect(f.publisher.started).toEqual([]);
    expect(f.publisher.joined).toMatchObject({ id: 'op-7' });
  });

  test('starts one publish when nothing runs (a preview at its sign-off does not run)', async () => {
    const f = fixture({ listings: [[pub('op-old')]], startPublish: [op('op-1')] });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual(['list', `startPublish ${EMAILS}`]);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'op-1' }]);
    expect(f.infos).toEqual([`Started a publish of ${OFFER} at ${AT} (operation op-1).`]);
  });

  test('a notice from the adapter is a warning', async () => {
    const f = fixture({
      listings: [[]],
      startPublish: [{ ...op(''), notice: 'The operation address was refused.' }],
    });
    await f.publisher.publish(EMAILS);
    expect(f.warnings).toEqual(['The operation address was refused.']);
  });

  test('sends nothing once the workflow was cancelled', async () => {
    const f = fixture({ listings: [[]], startPublish: [op('op-1')], cancelled: true });
    await expect(f.publisher.publish(EMAILS)).rejects.toBeInstanceOf(WriteStopped);
    expect(f.calls).toEqual(['list']);
    expect(f.publisher.started).toEqual([]);
  });

  test('the check for a running publish is a read: waited through transient failures', async () => {
    const f = fixture({
      listings: [transient(), transient(429), [pub('op-old')]],
      startPublish: [op('op-1')],
    });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual([
      'list',
      `sleep ${POLL}`,
      'list',
      `sleep ${POLL}`,
      'list',
      `startPublish ${EMAILS}`,
    ]);
    expect(f.warnings).toHaveLength(2);
    expect(f.warnings[0]).toMatch(/Read 1 of 5 in a row failed; still waiting\.$/);
  });

  test('that check gives up after max-failed-reads, and sends nothing', async () => {
    const f = fixture({ listings: [transient(), transient()], maxFailedReads: 2 });
    await expect(f.publisher.publish(EMAILS)).rejects.toThrow(
      /The last 2 reads failed; giving up \(max-failed-reads\)\./,
    );
    expect(f.calls.filter((c) => c.startsWith('startPublish'))).toEqual([]);
  });

  test('another publish won the race (409): follows it, starts nothing of its own', async () => {
    const conflict = refusal('POST /publish', 409);
    const f = fixture({
      listings: [[pub('op-old')], [pub('op-old'), pub('op-theirs', { running: true })]],
      startPublish: [conflict],
    });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual([
      'list',
      `startPublish ${EMAILS}`,
      'list',
      'follow operation op-theirs',
    ]);
    expect(f.publisher.started).toEqual([]);
    expect(f.publisher.joined).toMatchObject({ id: 'op-theirs' });
    expect(f.warnings[0]).toMatch(/won the race/);
  });

  test('an unclear answer, then the publish listed as new (failed already): followed, never sent twice', async () => {
    const f = fixture({
      listings: [[pub('op-old')], [pub('op-old'), pub('op-2', { running: false })]],
      startPublish: [unclearWrite(), op('op-again')],
    });
    await f.publisher.publish(EMAILS);
    expect(f.calls).toEqual([
      'list',
      `startPublish ${EMAILS}`,
      `sleep ${SETTLE}`,
      'list',
      'follow operation op-2',
    ]);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'op-2' }]);
  });

  test('an unclear answer, and the looks cannot be made: WriteStopped, started says it may have', async () => {
    const f = fixture({
      listings: [[], transient(), transient()],
      startPublish: [unclearWrite()],
      maxFailedReads: 2,
    });
    const error = await f.publisher.publish(EMAILS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteStopped);
    expect((error as WriteStopped).mayHaveStarted).toBe(true);
    expect((error as Error).message).toMatch(/unknown whether it started/);
    expect(f.publisher.started).toEqual([
      { name: 'publish', at: START, operationId: '', uncertain: true },
    ]);
  });
});

describe('Publisher.counts: a read counts once it shows this step publish', () => {
  test('nothing started by this step: every read counts', async () => {
    const f = fixture();
    expect(await f.publisher.counts(snapshot('running'))).toBe(true);
    expect(f.calls).toEqual([]);
  });

  test('named by the answer (Location): reads of that operation count, others do not', async () => {
    const f = fixture({ listings: [[pub('op-old')], [pub('op-old')]], startPublish: [op('op-1')] });
    await f.publisher.publish(EMAILS);
    expect(await f.publisher.counts(snapshot('running', 'op-1'))).toBe(true);
    // The offer's status, still the previous preview: no news, and a look finds nothing new yet.
    expect(await f.publisher.counts(snapshot('waitingForPublisherReview', 'op-old'))).toBe(false);
  });

  test('not named: found in the listing as new since the send, then followed', async () => {
    const f = fixture({
      listings: [
        [pub('op-old')],
        [pub('op-old')],
        [pub('op-old'), pub('op-new', { running: true })],
      ],
      startPublish: [op('')],
    });
    await f.publisher.publish(EMAILS);
    expect(await f.publisher.counts(snapshot('succeeded'))).toBe(false);
    expect(await f.publisher.counts(snapshot('succeeded'))).toBe(false);
    expect(f.calls.at(-1)).toBe('follow operation op-new');
    expect(f.publisher.started[0]!.operationId).toBe('op-new');
    expect(await f.publisher.counts(snapshot('running', 'op-new'))).toBe(true);
  });

  test('a look that fails is no verdict: the read does not count, the next one looks again', async () => {
    const f = fixture({ listings: [[], transient()], startPublish: [op('')] });
    await f.publisher.publish(EMAILS);
    expect(await f.publisher.counts(snapshot('running'))).toBe(false);
  });
});

describe('Publisher.goLive', () => {
  test('the preview at the sign-off is pushed, once, with that read', async () => {
    const f = fixture({ listings: [[pub('op-old')]], goLive: [op('op-gl')] });
    const signoff = snapshot('waitingForPublisherReview', 'preview-7');
    await f.publisher.goLive(signoff);
    await f.publisher.goLive(signoff);
    expect(f.calls).toEqual(['list', 'goLive']);
    expect(f.goLiveSnapshots).toEqual([signoff]);
    expect(f.publisher.started).toEqual([{ name: 'go-live', at: START, operationId: 'op-gl' }]);
    expect(f.infos).toEqual([`Asked to go live: ${OFFER} at ${AT} (operation op-gl).`]);
  });

  test("only this step's publish shows as its own: the previous preview never does", async () => {
    const f = fixture({
      listings: [[pub('op-old')], [pub('op-old'), pub('op-1')]],
      startPublish: [op('op-1')],
    });
    expect(f.publisher.showsOwn(snapshot('waitingForPublisherReview', 'op-1'))).toBe(false);
    await f.publisher.publish(EMAILS);
    expect(f.publisher.showsOwn(snapshot('waitingForPublisherReview', 'op-old'))).toBe(false);
    expect(f.publisher.showsOwn(snapshot('waitingForPublisherReview'))).toBe(false);
    expect(f.publisher.showsOwn(snapshot('waitingForPublisherReview', 'op-1'))).toBe(true);
  });

  test('sends nothing once the workflow was cancelled', async () => {
    const f = fixture({
      listings: [[]],
      goLive: [op('op-gl')],
      cancelled: true,
    });
    await expect(
      f.publisher.goLive(snapshot('waitingForPublisherReview', 'p')),
    ).rejects.toBeInstanceOf(WriteStopped);
    expect(f.calls).not.toContain('goLive');
  });

  test('no answer, then the go-live listed as new: followed, not sent again', async () => {
    const f = fixture({
      listings: [
        [pub('op-old')],
        [pub('op-old'), pub('op-gl', { kind: 'go-live', running: true })],
      ],
      goLive: [unclearWrite(), op('op-second')],
    });
    await f.publisher.goLive(snapshot('waitingForPublisherReview', 'p'));
    expect(f.calls).toEqual([
      'list',
      'goLive',
      `sleep ${SETTLE}`,
      'list',
      'follow operation op-gl',
    ]);
    expect(f.publisher.started).toEqual([{ name: 'go-live', at: START, operationId: 'op-gl' }]);
  });

  test('a new publish in the listing is not taken for the go-live', async () => {
    const f = fixture({
      listings: [[], [pub('op-pub', { running: true })], [pub('op-pub', { running: true })]],
      goLive: [unclearWrite(), op('op-gl')],
    });
    await f.publisher.goLive(snapshot('waitingForPublisherReview', 'p'));
    // Two looks found no go-live: sent again, and answered.
    expect(f.calls.filter((c) => c === 'goLive')).toHaveLength(2);
  });

  test('a refused go-live ends the step, and is never sent again', async () => {
    const refused = refusal('POST /golive', 422);
    const f = fixture({ listings: [[]], goLive: [refused, op('op-gl')] });
    await expect(f.publisher.goLive(snapshot('waitingForPublisherReview', 'p'))).rejects.toThrow(
      'The go-live request was refused: POST /golive answered HTTP 422.',
    );
    await f.publisher.goLive(snapshot('waitingForPublisherReview', 'p'));
    expect(f.calls.filter((c) => c === 'goLive')).toHaveLength(1);
    expect(f.publisher.started).toEqual([]);
  });
});

describe('what is followed: the Publisher holds it, the adapter is given it', () => {
  test('before any write: where the adapter starts', () => {
    expect(fixture().publisher.operationId).toBe('');
  });

  test('a read follows what the publish started', async () => {
    const f = fixture({
      listings: [[]],
      startPublish: [op('op-1')],
      read: () => snapshot('running', 'op-1'),
    });
    await f.publisher.publish(EMAILS);
    expect(f.publisher.operationId).toBe('op-1');
    await f.publisher.read();
    expect(f.calls.at(-1)).toBe('read op-1');
  });

  test('the running publish joined is what is followed', async () => {
    const f = fixture({ listings: [[pub('op-7', { running: true })]] });
    await f.publisher.publish(EMAILS);
    expect(f.publisher.operationId).toBe('op-7');
  });

  test('what a read moves on to is kept, even when that read then fails', async () => {
    let reads = 0;
    const f = fixture({
      read: (followed, moveOn) => {
        if (++reads === 1) {
          moveOn({ ...followed, job: 'j-2' });
          throw transient();
        }
        return snapshot('running');
      },
    });
    await expect(f.publisher.read()).rejects.toBeInstanceOf(ApiError);
    await f.publisher.read();
    expect(f.calls).toEqual(['read ', 'read  job j-2']);
  });
});

describe('Publisher.joinAfterRefusal', () => {
  const conflict = new ApiError(
    'configure job j-1 was refused: An In Progress submission already exists.',
    {
      kind: 'http',
      endpoint: 'GET configure',
      status: 409,
      transient: false,
    },
  );

  test('a publish accepted, then refused because another runs: joined, not started', async () => {
    const f = fixture({ listings: [[]], startPublish: [op('j-1')] });
    await f.publisher.publish(EMAILS);
    expect(f.publisher.joinAfterRefusal(conflict)).toBe(true);
    expect(f.publisher.started).toEqual([]);
    expect(f.publisher.joined).toBe('unnamed');
    expect(await f.publisher.counts(snapshot('running', 'anything'))).toBe(true);
  });

  test('other errors, or nothing started: not a join', async () => {
    const f = fixture();
    expect(f.publisher.joinAfterRefusal(conflict)).toBe(false);
    expect(f.publisher.joinAfterRefusal(new Error('boom'))).toBe(false);
  });
});

describe('Publisher.configure: the change, alone, once', () => {
  const TC = { id: 'virtual-machine-plan-technical-configuration/e6b2/gen2' };

  test('sent alone, and what its job is followed by', async () => {
    const f = fixture({ configure: [op('job-1')] });
    await f.publisher.configure(f.changes, [TC], async () => false, []);
    expect(f.calls).toEqual([`configure ${TC.id}`]);
    expect(f.publisher.started).toEqual([{ name: 'configure', at: START, operationId: 'job-1' }]);
    expect(f.publisher.operationId).toBe('job-1');
  });

  test('no clear answer, and the draft holds it at the first look: not sent again', async () => {
    let looks = 0;
    const f = fixture({ configure: [unclearWrite()] });
    await f.publisher.configure(
      f.changes,
      [TC],
      async () => {
        looks++;
        return true;
      },
      [],
    );
    // A change shows in the draft once its job succeeded: the looks wait 30 s, not the settle.
    expect(f.calls).toEqual([`configure ${TC.id}`, 'sleep 30000']);
    expect(looks).toBe(1);
    expect(f.publisher.started).toEqual([{ name: 'configure', at: START, operationId: '' }]);
    expect(f.infos.at(-1)).toBe(
      `The change to ${OFFER} is in the draft, seen after an unclear answer.`,
    );
    // Nothing of this step is left to find: reads of the offer count again.
    expect(await f.publisher.counts(snapshot('running', 'anything'))).toBe(true);
  });

  test('no clear answer, and two looks show the draft without it: sent again', async () => {
    const f = fixture({ configure: [unclearWrite(), op('job-2')] });
    await f.publisher.configure(f.changes, [TC], async () => false, []);
    expect(f.calls).toEqual([
      `configure ${TC.id}`,
      'sleep 30000',
      'sleep 30000',
      `configure ${TC.id}`,
    ]);
    expect(f.publisher.operationId).toBe('job-2');
  });
});

describe('Publisher: what the mutation run found untested', () => {
  test('prepare and state go to the adapter; state is the listing and what runs', async () => {
    const running = pub('op-9', { running: true });
    const f = fixture({ listings: [[running]] });
    await f.publisher.prepare({}, () => undefined);
    expect(await f.publisher.state()).toEqual({ publications: [running], running, known: false });
    expect(f.calls).toEqual(['state']);
  });

  test('joined with no note: it is this release, said as info, not a warning', () => {
    const f = fixture();
    f.publisher.join(pub('op-9', { running: true }));
    expect(f.warnings).toEqual([]);
    expect(f.infos).toEqual([
      `A publish of ${OFFER} runs (operation op-9): following it instead of starting another. ` +
        "It holds the draft: it is this release's.",
    ]);
    expect(f.publisher.joined).toEqual(pub('op-9', { running: true }));
  });

  test('a 409 whose look finds nothing: joined unnamed, nothing followed, no second send', async () => {
    const conflict = refusal('POST /publish', 409);
    const f = fixture({ listings: [[], []], startPublish: [conflict] });
    await f.publisher.publish(EMAILS);
    expect(f.publisher.joined).toBe('unnamed');
    expect(f.calls).toEqual(['list', `startPublish ${EMAILS}`, 'list']);
    expect(f.warnings).toEqual([
      `Another publish of ${OFFER} won the race (POST /publish answered HTTP 409.): following it instead. ${STALE}`,
    ]);
  });

  test('a go-live that lost the race: no word about a stale publish', async () => {
    const conflict = refusal('POST /golive', 409);
    const f = fixture({ listings: [[], []], goLive: [conflict] });
    await f.publisher.goLive(snapshot('waitingForPublisherReview', 'p-1'));
    expect(f.warnings).toEqual([
      `Another go-live of ${OFFER} won the race (POST /golive answered HTTP 409.): following it instead.`,
    ]);
  });

  test('after an unclear answer, the publish found: its reads count and show it as our own', async () => {
    const f = fixture({
      listings: [[pub('old')], [pub('old'), pub('new', { running: true })]],
      startPublish: [unclearWrite()],
    });
    await f.publisher.publish(EMAILS);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'new' }]);
    expect(f.infos).toContain("Found this step's publish in the listing: operation new.");
    expect(f.publisher.showsOwn(snapshot('waitingForPublisherReview', 'new'))).toBe(true);
    expect(f.publisher.showsOwn(snapshot('waitingForPublisherReview', 'old'))).toBe(false);
  });

  test('a read that shows the write just found in the listing counts at once', async () => {
    const f = fixture({
      listings: [[pub('old')], [pub('old'), pub('new', { running: true })]],
      startPublish: [op('')],
    });
    await f.publisher.publish(EMAILS);
    expect(await f.publisher.counts(snapshot('running', 'new'))).toBe(true);
    expect(f.publisher.started).toEqual([{ name: 'publish', at: START, operationId: 'new' }]);
  });

  test('a go-live answered without a name keeps the operation followed as its id', async () => {
    const f = fixture({ listings: [[], []], startPublish: [op('op-1')], goLive: [op('')] });
    await f.publisher.publish(EMAILS);
    await f.publisher.goLive(snapshot('waitingForPublisherReview', 'op-1'));
    expect(f.publisher.started.map((s) => s.operationId)).toEqual(['op-1', 'op-1']);
  });

  test('a refusal after acceptance that is not a conflict is not a join, even with a write started', async () => {
    const f = fixture({ listings: [[]], startPublish: [op('j-1')] });
    await f.publisher.publish(EMAILS);
    const invalid = new ApiError('configure job j-1 failed: invalidResource.', {
      kind: 'http',
      endpoint: 'GET configure',
      status: 400,
      transient: false,
    });
    expect(f.publisher.joinAfterRefusal(invalid)).toBe(false);
    expect(f.publisher.started).toHaveLength(1);
  });

  test('the refusal after acceptance names the write refused', async () => {
    const f = fixture({ listings: [[], []], startPublish: [op('op-1')], goLive: [op('j-2')] });
    await f.publisher.publish(EMAILS);
    await f.publisher.goLive(snapshot('waitingForPublisherReview', 'op-1'));
    const locked = new ApiError('configure job j-2 failed: productLocked.', {
      kind: 'http',
      endpoint: 'GET configure',
      transient: false,
      code: 'productLocked',
    });
    expect(f.publisher.joinAfterRefusal(locked)).toBe(true);
    expect(f.warnings.at(-1)).toMatch(
      new RegExp(`^The go-live of ${OFFER} was refused after it was accepted`),
    );
    expect(f.publisher.started.map((s) => s.name)).toEqual(['publish']);
  });
});
