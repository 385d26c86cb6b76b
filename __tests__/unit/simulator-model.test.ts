/**
 * The simulators as models of the services, asked directly over HTTP on loopback (no action
 * involved): each operation and submission has its own state, the lagged views catch up with the
 * writes on the simulator's clock, and the services refuse what they would refuse.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Simulator } from '../../simulator/common.js';
import { NEW_SUBMISSION_ID, PRODUCT_GUID } from '../../simulator/ingestion-scenarios.js';
import { STARTED_JOBS, type IngestionSimulatorOptions } from '../../simulator/ingestion-server.js';
import {
  STARTED_OPERATIONS,
  startSimulator,
  type SimulatorOptions,
} from '../../simulator/server.js';
import { call } from './simulator-http.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A virtual clock the test moves by hand. */
function virtualClock() {
  let now = 0;
  return { clock: () => now, advance: (ms: number) => (now += ms) };
}

async function start(options: SimulatorOptions | IngestionSimulatorOptions): Promise<Simulator> {
  sim = await startSimulator(options);
  return sim;
}

const OFFER = '/api/publishers/contoso/offers/contoso-vm';
type Listed = {
  id: string;
  submissionType: string;
  submissionState: string;
  createdDateTime: string;
};
type Status = { status: string; steps: { id: string; status: string }[] };
const signoff = (b: Status) => b.steps.find((s) => s.id === 'publisher-signoff')!.status;

describe('cloud-partner-portal', () => {
  test('lag: a new publish shows in the listing and the offer status only lagMs after it, on the clock', async () => {
    const time = virtualClock();
    const s = await start({
      scenario: 'previous-preview-at-signoff',
      lagMs: 5_000,
      clock: time.clock,
    });
    time.advance(1_000);
    const post = await call(s, 'POST', `${OFFER}/publish`);
    expect(post.status).toBe(202);
    expect(post.headers.get('location')).toBe(
      `${OFFER}/operations/${STARTED_OPERATIONS.publish}?api-version=2017-10-31`,
    );

    // Before the lag: the previous publish, still at its sign-off, is all the views show.
    time.advance(4_999);
    const before = await call(s, 'GET', `${OFFER}/submissions`);
    expect((before.body as Listed[]).map((e) => [e.id, e.submissionState])).toEqual([
      [s.operationId, 'completed'],
    ]);
    expect((await call(s, 'GET', `${OFFER}/submissions`, { status: 'running' })).body).toEqual([]);
    const stale = (await call(s, 'GET', `${OFFER}/status`)).body as Status;
    expect(signoff(stale)).toBe('waitingForPublisherReview');
    // The address the 202 gave is not lagged.
    const op = await call(s, 'GET', `${OFFER}/operations/${STARTED_OPERATIONS.publish}`);
    expect(op.body).toMatchObject({ id: STARTED_OPERATIONS.publish, status: 'running' });

    // At the lag: the new publish, newest first, with its own timestamps.
    time.advance(1);
    const after = (await call(s, 'GET', `${OFFER}/submissions`)).body as Listed[];
    expect(after.map((e) => [e.id, e.submissionType, e.submissionState])).toEqual([
      [STARTED_OPERATIONS.publish, 'publish', 'running'],
      [s.operationId, 'publish', 'completed'],
    ]);
    expect(after[0]!.createdDateTime).toBe('2026-11-02T09:00:01.000Z');
    for (const query of [{ status: 'running' }, { submissionState: 'running' }] as Record<
      string,
      string
    >[]) {
      const running = (await call(s, 'GET', `${OFFER}/submissions`, query)).body as Listed[];
      expect(running.map((e) => e.id)).toEqual([STARTED_OPERATIONS.publish]);
    }
    const fresh = (await call(s, 'GET', `${OFFER}/status`)).body as Status;
    expect(fresh.status).toBe('running');
    expect(signoff(fresh)).toBe('notStarted');
    expect(s.writesStarted()).toEqual([
      {
        kind: 'publish',
        id: STARTED_OPERATIONS.publish,
        at: 1_000,
        previewId: STARTED_OPERATIONS.publish,
      },
    ]);
  });

  test('a second publish is refused while one runs (409, nothing started), whatever the views show', async () => {
    const time = virtualClock();
    const s = await start({ scenario: 'never-published', lagMs: 60_000, clock: time.clock });
    expect((await call(s, 'POST', `${OFFER}/publish`)).status).toBe(202);
    const second = await call(s, 'POST', `${OFFER}/publish`);
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      error: { code: 'Conflict', message: 'An operation is already in progress for this offer.' },
    });
    // The views still say never published; the refusal comes from the real state.
    expect(((await call(s, 'GET', `${OFFER}/status`)).body as Status).status).toBe(
      'neverPublished',
    );
    expect(s.writesStarted()).toHaveLength(1);
  });

  test("someone else's running publish refuses a publish and a go-live", async () => {
    const s = await start({ scenario: 'publish-running' });
    expect((await call(s, 'POST', `${OFFER}/publish`)).status).toBe(409);
    const goLive = await call(s, 'POST', `${OFFER}/golive`);
    expect(goLive.status).toBe(400);
    expect(goLive.body).toMatchObject({ error: { code: 'InvalidState' } });
    expect(s.writesStarted()).toEqual([]);
  });

  test('each operation keeps its own state: the go-live is new, the publish stays at its sign-off', async () => {
    const s = await start({ scenario: 'never-published' });
    await call(s, 'POST', `${OFFER}/publish`);
    const publish = `${OFFER}/operations/${STARTED_OPERATIONS.publish}`;
    expect((await call(s, 'POST', `${OFFER}/golive`)).status).toBe(400); // not at the sign-off yet
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(((await call(s, 'GET', publish)).body as Status).status);
    expect(seen).toEqual(['running', 'running', 'running', 'running', 'running', 'running']);
    expect(signoff((await call(s, 'GET', publish)).body as Status)).toBe(
      'waitingForPublisherReview',
    );

    const goLive = await call(s, 'POST', `${OFFER}/golive`);
    expect(goLive.status).toBe(202);
    expect(goLive.headers.get('location')).toContain(`/operations/${STARTED_OPERATIONS.goLive}?`);
    const live = `${OFFER}/operations/${STARTED_OPERATIONS.goLive}`;
    expect(((await call(s, 'GET', live)).body as Status).status).toBe('running');
    expect(((await call(s, 'GET', live)).body as Status).status).toBe('completed');
    // The publish operation did not become the go-live.
    expect(signoff((await call(s, 'GET', publish)).body as Status)).toBe(
      'waitingForPublisherReview',
    );
    expect(((await call(s, 'GET', `${OFFER}/status`)).body as Status).status).toBe('succeeded');
    const listed = (await call(s, 'GET', `${OFFER}/submissions`)).body as Listed[];
    expect(listed.map((e) => [e.id, e.submissionType, e.submissionState])).toEqual([
      [STARTED_OPERATIONS.goLive, 'goLive', 'completed'],
      [STARTED_OPERATIONS.publish, 'publish', 'completed'],
    ]);
    expect(s.writesStarted().map((w) => [w.kind, w.id, w.previewId])).toEqual([
      ['publish', STARTED_OPERATIONS.publish, STARTED_OPERATIONS.publish],
      ['go-live', STARTED_OPERATIONS.goLive, STARTED_OPERATIONS.publish],
    ]);
    // Nothing waits at a sign-off any more: a second go-live is refused.
    expect((await call(s, 'POST', `${OFFER}/golive`)).status).toBe(400);
  });

  test('a publish over a preview at its sign-off supersedes it, with a new id; publishOutcome fails it a second later', async () => {
    const time = virtualClock();
    const s = await start({
      scenario: 'previous-preview-at-signoff',
      publishOutcome: 'fails',
      clock: time.clock,
    });
    expect((await call(s, 'POST', `${OFFER}/publish`)).status).toBe(202);
    const op = `${OFFER}/operations/${STARTED_OPERATIONS.publish}`;
    expect(((await call(s, 'GET', op)).body as Status).status).toBe('running');
    expect(((await call(s, 'GET', op)).body as Status).status).toBe('running');
    // Fails by time, read or not.
    time.advance(1_000);
    const failed = (await call(s, 'GET', op)).body as Status;
    expect(failed.status).toBe('failed');
    expect(failed.steps.find((x) => x.id === 'displaycertify')!.status).toBe('failed');
    // The failed publish is no longer running: another one is accepted, with a fresh id.
    const again = await call(s, 'POST', `${OFFER}/publish`);
    expect(again.status).toBe(202);
    const id = s.writesStarted()[1]!.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).not.toBe(STARTED_OPERATIONS.publish);
    expect(again.headers.get('location')).toContain(`/operations/${id}?`);
  });

  test('write faults as a list: one per attempt, acting when the fault says so, then accept', async () => {
    const s = await start({
      scenario: 'never-published',
      publish: ['503-before-acting', '500-after-acting', 'accept'],
    });
    expect((await call(s, 'POST', `${OFFER}/publish`)).status).toBe(503);
    expect(s.writesStarted()).toEqual([]);
    expect((await call(s, 'POST', `${OFFER}/publish`)).status).toBe(500);
    expect(s.writesStarted()).toHaveLength(1);
    // The 500 hid a publish that runs: the next attempt is refused by the service, not the script.
    expect((await call(s, 'POST', `${OFFER}/publish`)).status).toBe(409);
    expect(s.writesStarted()).toHaveLength(1);
  });

  test('intercept answers any request before routing, by index', async () => {
    const seen: { method: string; path: string; n: number }[] = [];
    const s = await start({
      scenario: 'succeeded',
      intercept: (req) => {
        seen.push({ method: req.method, path: req.path, n: req.n });
        return req.n === 1
          ? { kind: 'http', status: 429, headers: { 'retry-after': '7' }, body: '{}' }
          : undefined;
      },
    });
    expect((await call(s, 'GET', `${OFFER}/status`)).status).toBe(200);
    const throttled = await call(s, 'GET', `${OFFER}/status`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(seen.map((r) => r.n)).toEqual([0, 1]);
    expect(s.statusReads()).toBe(1);
  });

  test('by-time scenarios follow the simulator clock', async () => {
    const time = virtualClock();
    const body = (status: string) => ({ status, steps: [] });
    const s = await start({
      clock: time.clock,
      scenario: {
        description: 'flips at 10 s',
        advance: 'by-time',
        frames: [
          { kind: 'body', body: body('running') },
          { kind: 'body', body: body('succeeded'), afterMs: 10_000 },
        ],
      },
    });
    expect(((await call(s, 'GET', `${OFFER}/status`)).body as Status).status).toBe('running');
    time.advance(10_000);
    expect(((await call(s, 'GET', `${OFFER}/status`)).body as Status).status).toBe('succeeded');
    expect(s.requests.map((r) => r.at)).toEqual([0, 10_000]);
  });
});

const SUBMISSIONS = `/submission/${PRODUCT_GUID}`;
type Entry = { id: string; target: { targetType: string }; status?: string; result?: string };
const job = async (s: Simulator, id: string) =>
  (await call(s, 'GET', `/configure/${id}/status`)).body as {
    jobStatus: string;
    jobResult: string;
    errors: { code: string; message: string }[];
  };

describe('product-ingestion', () => {
  const product = `product/${PRODUCT_GUID}`;
  const configure = (
    targetType: 'preview' | 'live',
    id?: string,
    reference: unknown = product,
  ) => ({
    $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-07-01',
    resources: [
      {
        $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
        ...(id ? { id } : {}),
        product: reference,
        target: { targetType },
      },
    ],
  });
  const entries = async (s: Simulator) =>
    ((await call(s, 'GET', SUBMISSIONS)).body as { value: Entry[] }).value.map(
      (e) => `${e.target.targetType} ${e.id.split('/').at(-1)} ${e.status ?? ''}/${e.result ?? ''}`,
    );
  test('lag: the previous preview waits at its sign-off until lagMs after a new publish; the job is not lagged', async () => {
    const time = virtualClock();
    const s = await start({
      api: 'product-ingestion',
      scenario: 'previous-preview-at-signoff',
      lagMs: 30_000,
      clock: time.clock,
    });
    const post = await call(s, 'POST', '/configure', {}, configure('preview'));
    expect(post.status).toBe(202);
    expect(post.body).toMatchObject({ jobId: STARTED_JOBS.publish, jobStatus: 'notStarted' });
    expect(await entries(s)).toEqual([
      'draft 0 /',
      'live 1152921515689847470 completed/succeeded',
      'preview 1152921515689848683 completed/succeeded',
    ]);
    expect((await job(s, STARTED_JOBS.publish)).jobStatus).toBe('running');
    time.advance(30_000);
    // The sample's preview id is taken: the new preview has the next number.
    expect(await entries(s)).toEqual([
      'draft 0 /',
      'live 1152921515689847470 completed/succeeded',
      'preview 1152921515689848684 completed/succeeded',
    ]);
    expect(s.writesStarted()).toEqual([
      {
        kind: 'publish',
        id: `submission/${PRODUCT_GUID}/1152921515689848684`,
        at: 0,
        previewId: `submission/${PRODUCT_GUID}/1152921515689848684`,
      },
    ]);
  });

  test('a preview while a submission is in progress: 202, and a job that fails with conflict', async () => {
    const s = await start({ api: 'product-ingestion', scenario: 'publish-running' });
    const post = await call(s, 'POST', '/configure', {}, configure('preview'));
    expect(post.status).toBe(202);
    expect(await job(s, post.body.jobId)).toMatchObject({
      jobStatus: 'completed',
      jobResult: 'failed',
      errors: [{ code: 'conflict', message: 'An In Progress submission already exists.' }],
    });
    expect(s.writesStarted()).toEqual([]);
  });

  test('a go-live of a preview that is not the latest: its job fails with invalidState, nothing goes live', async () => {
    const s = await start({ api: 'product-ingestion', scenario: 'previous-preview-at-signoff' });
    const old = `submission/${PRODUCT_GUID}/1152921515689847470`; // the live one, not the latest preview
    const post = await call(s, 'POST', '/configure', {}, configure('live', old));
    expect(post.status).toBe(202);
    expect(post.body.jobId).toBe(STARTED_JOBS.goLive);
    expect(await job(s, STARTED_JOBS.goLive)).toMatchObject({
      jobStatus: 'completed',
      jobResult: 'failed',
      errors: [
        {
          code: 'invalidState',
          message: 'The submission cannot be pushed to as its not the latest.',
        },
      ],
    });
    expect(s.writesStarted()).toEqual([]);
  });

  test('publish then go-live: each submission and job its own; the live entry takes the preview id and replaces the old one', async () => {
    const s = await start({ api: 'product-ingestion', scenario: 'live' });
    await call(
      s,
      'POST',
      '/configure',
      {},
      configure('preview', undefined, { externalId: 'contoso-vm' }),
    );
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      const j = await job(s, STARTED_JOBS.publish);
      statuses.push(`${j.jobStatus}/${j.jobResult}`);
    }
    expect(statuses).toEqual(['notStarted/pending', 'running/pending', 'completed/succeeded']);
    expect(await entries(s)).toEqual([
      'draft 0 /',
      'live 1152921515689847470 completed/succeeded',
      'preview 1152921515689848683 completed/succeeded',
    ]);
    const post = await call(s, 'POST', '/configure', {}, configure('live', NEW_SUBMISSION_ID));
    expect(post.body.jobId).toBe(STARTED_JOBS.goLive);
    expect(await entries(s)).toEqual([
      'draft 0 /',
      'live 1152921515689847470 completed/succeeded',
      'preview 1152921515689848683 completed/succeeded',
      'live 1152921515689848683 running/pending',
    ]);
    await job(s, STARTED_JOBS.goLive);
    expect((await job(s, STARTED_JOBS.goLive)).jobStatus).toBe('completed');
    expect(await entries(s)).toEqual([
      'draft 0 /',
      'live 1152921515689848683 completed/succeeded',
      'preview 1152921515689848683 completed/succeeded',
    ]);
    // The publish's job kept its own end.
    expect((await job(s, STARTED_JOBS.publish)).jobResult).toBe('succeeded');
    expect(s.writesStarted().map((w) => [w.kind, w.previewId])).toEqual([
      ['publish', NEW_SUBMISSION_ID],
      ['go-live', NEW_SUBMISSION_ID],
    ]);
  });

  test('publishOutcome fails: the preview and its job fail at certification a second later', async () => {
    const time = virtualClock();
    const s = await start({
      api: 'product-ingestion',
      scenario: 'draft-only',
      publishOutcome: 'fails',
      clock: time.clock,
    });
    await call(s, 'POST', '/configure', {}, configure('preview'));
    expect((await job(s, STARTED_JOBS.publish)).jobResult).toBe('pending');
    time.advance(1_000);
    const failed = await job(s, STARTED_JOBS.publish);
    expect(failed).toMatchObject({ jobStatus: 'completed', jobResult: 'failed' });
    expect(failed.errors[0]).toMatchObject({ code: 'invalidState', resourceId: NEW_SUBMISSION_ID });
    expect(await entries(s)).toEqual(['draft 0 /', 'preview 1152921515689848683 completed/failed']);
  });

  test("a change job moves on every status read of its product, the submissions' too", async () => {
    const s = await start({ api: 'product-ingestion', scenario: 'live' });
    const tree = (await call(s, 'GET', `/resource-tree/product/${PRODUCT_GUID}`)).body as {
      resources: Record<string, unknown>[];
    };
    const listing = tree.resources.find((r) => String(r.id).startsWith('listing/'))!;
    const post = await call(
      s,
      'POST',
      '/configure',
      {},
      {
        $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-07-01',
        resources: [{ ...listing, title: 'Contoso VM 2' }],
      },
    );
    expect(post.status).toBe(202);
    const reads = s.statusReads();
    await call(s, 'GET', SUBMISSIONS);
    await call(s, 'GET', SUBMISSIONS);
    // Listing reads move nothing.
    await call(s, 'GET', `/resource-tree/product/${PRODUCT_GUID}`);
    expect(s.statusReads()).toBe(reads + 2);
    expect(await job(s, post.body.jobId)).toMatchObject({
      jobStatus: 'completed',
      jobResult: 'succeeded',
    });
    const after = (await call(s, 'GET', `/resource-tree/product/${PRODUCT_GUID}`)).body as {
      resources: Record<string, unknown>[];
    };
    expect(after.resources.find((r) => r.id === listing.id)!.title).toBe('Contoso VM 2');
  });

  test('configure bodies are checked: the retired schema host and unknown products are refused', async () => {
    const s = await start({ api: 'product-ingestion', scenario: 'draft-only' });
    const retired = {
      ...configure('preview'),
      $schema: 'https://product-ingestion.azureedge.net/schema/configure/2022-07-01',
    };
    expect((await call(s, 'POST', '/configure', {}, retired)).status).toBe(400);
    const unknown = configure('preview', undefined, { externalId: 'no-such-offer' });
    expect((await call(s, 'POST', '/configure', {}, unknown)).status).toBe(400);
    expect(s.writesStarted()).toEqual([]);
  });
});

describe('hostile-text', () => {
  test('CPP: every string field carries a line break and a runner command', async () => {
    const s = await start({ scenario: 'hostile-text' });
    const listed = (await call(s, 'GET', `${OFFER}/submissions`)).body as Listed[];
    expect(listed[0]!.id).toMatch(/\n::|\r\n::|\n##\[/);
    const status = (await call(s, 'GET', `${OFFER}/status`)).body as Status & {
      steps: { stepName: string }[];
    };
    expect(status.status).toMatch(/\n/);
    for (const step of status.steps) {
      expect(step.id).toMatch(/\n/);
      expect(step.stepName).toMatch(/\n/);
    }
    expect(((await call(s, 'GET', `${OFFER}/status`)).body as Status).status).toBe('failed');
  });

  test('ingestion: ids, statuses and job errors carry them; the preview ends failed', async () => {
    const s = await start({ api: 'product-ingestion', scenario: 'hostile-text' });
    const first = ((await call(s, 'GET', SUBMISSIONS)).body as { value: Entry[] }).value;
    expect(first.every((e) => /\n/.test(e.id))).toBe(true);
    const preview = ((await call(s, 'GET', SUBMISSIONS)).body as { value: Entry[] }).value.at(-1)!;
    expect([preview.status, preview.result]).toEqual(['completed', 'failed']);
    const failed = await job(s, s.operationId);
    expect(failed.jobResult).toBe('failed');
    expect(failed.errors[0]!.message).toMatch(/\n/);
  });
});
