/**
 * The write rules as invariants, under random fault schedules: one offer's whole flow (the real
 * Publisher, wait, adapters and HTTP client) against the simulators on loopback, on virtual time.
 * Each case draws the offer's state, lost answers, stalls, 408/409/422/429/5xx on the writes,
 * failing reads, a visibility lag, a publish that fails at once, and a cancellation at any request.
 *
 * Checked for every case: at most one publish started per offer and none sent while one ran; at
 * most one go-live, only for this step's own preview; nothing sent after cancellation; never a
 * cancel request; `started` true to what the service started; the end within the deadline.
 *
 * `PROPERTY_RUNS=2000 npm test -- __tests__/property` runs more; a failure prints its seed, and
 * `PROPERTY_SEED=<seed>` replays it.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { API_PROFILES } from '../../src/adapters/index.js';
import { SeenMessages } from '../../src/core/changes.js';
import { startedOutput } from '../../src/core/started.js';
import type { Runner } from '../../src/github/runner.js';
import { followOffer } from '../../src/offer/follow.js';
import { HttpClient } from '../../src/http/client.js';
import { Gate } from '../../src/http/gate.js';
import { readSettings } from '../../src/inputs/index.js';
import type { WriteFault } from '../../simulator/common.js';
import type { Frame } from '../../simulator/scenarios.js';
import { startSimulator } from '../../simulator/server.js';
import { propertyRuns } from '../unit/helpers.js';

type Api = 'cloud-partner-portal' | 'product-ingestion';
const EPOCH = Date.UTC(2026, 10, 2, 9, 0, 0);
const POLL_MS = 60_000;
const TIMEOUT_MS = 4 * 3_600_000;

const WRITE_FAULTS: WriteFault[] = [
  'accept',
  'drop-after-acting',
  'stall-after-acting',
  '500-after-acting',
  '503-before-acting',
  '429-once',
  'conflict',
  'validation',
];

interface Case {
  api: Api;
  scenario: 'fresh' | 'previous-preview-at-signoff' | 'publish-running';
  goLive: boolean;
  publishFaults: WriteFault[];
  goLiveFaults: WriteFault[];
  publishOutcome: 'review' | 'fails';
  lagMs: number;
  /** Requests (by index) whose answer is a transient failure instead. */
  failingReads: number[];
  /** A run of reads in a row that fail (an outage), long enough to exhaust a read's retries. */
  outage: { from: number; count: number } | null;
  maxFailedReads: number;
  /** CPP: where a 202 puts the operation's address (none, or another origin: not followed). */
  addressing: 'location' | 'operation-location' | 'non-migrated' | 'none' | 'foreign';
  /** Cancel while this request is in flight, or once a wait reaches this time; none: never. */
  cancel: { atRequest: number } | { atMs: number } | null;
}

const cases: fc.Arbitrary<Case> = fc.record({
  api: fc.constantFrom<Api>('cloud-partner-portal', 'product-ingestion'),
  scenario: fc.constantFrom<Case['scenario']>(
    'fresh',
    'previous-preview-at-signoff',
    'publish-running',
  ),
  goLive: fc.boolean(),
  publishFaults: fc.array(fc.constantFrom(...WRITE_FAULTS), { maxLength: 3 }),
  goLiveFaults: fc.array(fc.constantFrom(...WRITE_FAULTS), { maxLength: 2 }),
  publishOutcome: fc.constantFrom<Case['publishOutcome']>('review', 'review', 'fails'),
  // The rule: two looks 30 s apart see a publish listed within a minute.
  lagMs: fc.integer({ min: 0, max: 55_000 }),
  addressing: fc.constantFrom<Case['addressing']>(
    'location',
    'operation-location',
    'non-migrated',
    'none',
    'foreign',
  ),
  failingReads: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }),
  outage: fc.option(
    fc.record({ from: fc.integer({ min: 0, max: 20 }), count: fc.integer({ min: 1, max: 30 }) }),
    { freq: 3 },
  ),
  maxFailedReads: fc.integer({ min: 1, max: 5 }),
  cancel: fc.oneof(
    { weight: 5, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ atRequest: fc.integer({ min: 0, max: 30 }) }) },
    // The writes happen in the first minutes: cancel there, in a wait.
    { weight: 1, arbitrary: fc.record({ atMs: fc.integer({ min: 0, max: 60_000 }) }) },
  ),
});

const SCENARIO: Record<Api, Record<Case['scenario'], string>> = {
  'cloud-partner-portal': {
    fresh: 'never-published',
    'previous-preview-at-signoff': 'previous-preview-at-signoff',
    'publish-running': 'publish-running',
  },
  'product-ingestion': {
    fresh: 'draft-only',
    'previous-preview-at-signoff': 'previous-preview-at-signoff',
    'publish-running': 'publish-running',
  },
};

const silent: Runner = {
  getInput: () => '',
  setSecret: () => {},
  setOutput: () => {},
  info: () => {},
  debug: () => {},
  warning: () => {},
  error: () => {},
  setFailed: () => {},
  writeSummary: async () => {},
  runUrl: async () => undefined,
};

/** A go-live request on either API (CPP `POST …/golive`, or a configure of a live submission). */
function isGoLive(r: { path: string; body?: string }): boolean {
  return r.path.endsWith('/golive') || /"targetType":"live"/.test(r.body ?? '');
}

async function runCase(c: Case) {
  let virtual = 0;
  const now = () => EPOCH + virtual;
  const cancel = new AbortController();
  let cancelledAfter: number | undefined;
  const sim = await startSimulator({
    ...(c.api === 'product-ingestion' ? { api: c.api } : {}),
    scenario: SCENARIO[c.api][c.scenario],
    publish: c.publishFaults,
    goLive: c.goLiveFaults,
    publishOutcome: c.publishOutcome,
    lagMs: c.lagMs,
    ...(c.api === 'cloud-partner-portal' ? { addressing: c.addressing } : {}),
    clock: () => virtual,
    intercept: (req: { method: string; n: number }): Frame | undefined => {
      if (c.cancel && 'atRequest' in c.cancel && req.n === c.cancel.atRequest) {
        cancelledAfter ??= req.n;
        cancel.abort();
      }
      const down = c.outage && req.n >= c.outage.from && req.n < c.outage.from + c.outage.count;
      if (req.method === 'GET' && (down || c.failingReads.includes(req.n))) {
        return { kind: 'http', status: 503, body: '{"error":{"code":"serviceUnavailable"}}' };
      }
      return undefined;
    },
  } as Parameters<typeof startSimulator>[0]);
  try {
    const inputs: Record<string, string> = {
      api: c.api,
      'publisher-id': sim.publisherId,
      'offer-id': sim.offerId,
      'base-url': sim.url,
      publish: 'true',
      'go-live': String(c.goLive),
      'poll-interval': `${POLL_MS / 1000}s`,
      timeout: `${TIMEOUT_MS / 1000}s`,
      'request-timeout': '1s',
      'max-failed-reads': String(c.maxFailedReads),
    };
    const settings = readSettings((name) => inputs[name] ?? '');
    const sleep = async (ms: number) => {
      virtual += Math.max(0, ms);
      // A cancellation during a wait: what was sent before it may be in flight no more.
      if (c.cancel && 'atMs' in c.cancel && virtual >= c.cancel.atMs && !cancel.signal.aborted) {
        cancelledAfter ??= sim.requests.length - 1;
        cancel.abort();
      }
      await new Promise((done) => setImmediate(done));
    };
    const http = new HttpClient({
      tokens: { renewable: false, token: async () => sim.token },
      // Real time is spent only on stalls: a short request timeout, and backoff in milliseconds.
      requestTimeoutMs: 150,
      retryMinDelayMs: 1,
      retryMaxDelayMs: 2,
      now,
      gate: new Gate({ maxInFlight: 4, now, sleep: (ms) => sleep(ms) }),
    });
    const profile = API_PROFILES[c.api];
    const stepStart = now();
    const deadline = stepStart + TIMEOUT_MS;
    const outcome = await followOffer({
      settings,
      adapter: profile.create(
        http,
        { publisherId: sim.publisherId, offerId: sim.offerId, operationId: '' },
        { baseUrl: settings.baseUrl, version: settings.apiVersion },
      ),
      apiTitle: profile.title,
      offerId: sim.offerId,
      runner: silent,
      now,
      sleep,
      cancel: cancel.signal,
      stepStart,
      deadline,
      expiry: new AbortController().signal,
      offsetMs: 0,
      seen: new SeenMessages().forOffer(sim.offerId),
      files: [],
      tenantId: async () => '',
    });
    return { outcome, sim, deadline, endedAt: now(), cancelledAfter };
  } finally {
    await sim.close();
  }
}

describe('the write rules hold under random faults', () => {
  test('publish (and go-live) on both APIs', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const { outcome, sim, deadline, endedAt, cancelledAfter } = await runCase(c);
        const requests = sim.requests;
        const posts = requests.filter((r) => r.method === 'POST');
        const started = sim.writesStarted();
        const publishes = started.filter((w) => w.kind === 'publish');
        const goLives = started.filter((w) => w.kind === 'go-live');

        // The service never had to refuse a write of this step: no publish sent while one ran,
        // no go-live for a preview that is not the latest at its sign-off.
        expect(sim.writesRefused()).toEqual([]);
        // Never a cancel request.
        expect(requests.filter((r) => /\/cancel$/.test(r.path))).toEqual([]);
        // At most one publish started, none sent while one ran.
        expect(publishes.length).toBeLessThanOrEqual(1);
        if (c.scenario === 'publish-running') {
          expect(posts).toEqual([]);
        }
        // At most one go-live, only for this step's own preview.
        expect(goLives.length).toBeLessThanOrEqual(1);
        if (goLives.length > 0) {
          expect(c.goLive).toBe(true);
          expect(publishes).toHaveLength(1);
          if (c.api === 'product-ingestion') expect(goLives[0]!.previewId).toBe(publishes[0]!.id);
          expect(goLives[0]!.at).toBeGreaterThan(publishes[0]!.at);
        }
        // Nothing sent after cancellation.
        if (cancelledAfter !== undefined) {
          const after = requests.slice(cancelledAfter + 1).filter((r) => r.method === 'POST');
          expect(after).toEqual([]);
          expect(outcome.end.kind).toBe('cancelled');
        }
        // `started` true to what the service started.
        const output = startedOutput(outcome.started).split(',').filter(Boolean);
        // A 409 means another client's publish won the race: the service started that one.
        const publishPosts = posts.filter((r) => !isGoLive(r));
        const raced = publishPosts.some((_, i) => (c.publishFaults[i] ?? 'accept') === 'conflict');
        if (publishes.length > 0 && !raced) expect(output).toContain('publish');
        if (output.includes('publish')) {
          expect(posts.length).toBeGreaterThan(0);
          const certain = outcome.started.some((s) => s.name === 'publish' && !s.uncertain);
          if (certain) expect(publishes).toHaveLength(1);
        }
        const goLivePosts = posts.filter(isGoLive);
        const goLiveRaced = goLivePosts.some(
          (_, i) => (c.goLiveFaults[i] ?? 'accept') === 'conflict',
        );
        if (goLives.length > 0 && !goLiveRaced) expect(output).toContain('go-live');
        // What the step reports is its own publish, never the one before it: once this step
        // started one, the last read it counted shows what this step's writes started (or the
        // configure job it follows).
        const own = new Set(started.flatMap((w) => [w.id, w.previewId ?? w.id]));
        // And the configure jobs this step's writes started (ingestion follows a job first).
        for (const s of outcome.started) if (s.operationId) own.add(s.operationId);
        // Offers not migrated: the address names the offer's preview operation, not a GUID.
        if (c.addressing === 'non-migrated') own.add(`${sim.publisherId}$${sim.offerId}$2$preview`);
        const shown = outcome.snapshot;
        if (outcome.started.some((s) => s.name === 'publish' && !s.uncertain) && shown) {
          expect(own).toContain(shown.subject);
        }
        // Ends by its deadline.
        expect(endedAt).toBeLessThanOrEqual(deadline + 1_000);
      }),
      {
        numRuns: propertyRuns(300),
        ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED) } : {}),
      },
    );
  }, 600_000);
});
