/**
 * The write rules, end to end: the action (in-process, on the simulator's clock) against simulators
 * that model the services (each operation and submission its own state, writes listed a few reads
 * late, a second publish refused as the service refuses it). One test per way the write path was
 * found to fail; each injects the fault that broke it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import type { IngestionSimulator, Simulator } from '../../simulator/common.js';
import type { Frame } from '../../simulator/scenarios.js';
import { runAgainstSimulator, withSimulator, failure, type Run, neverCancels } from './harness.js';

type Api = 'cloud-partner-portal' | 'product-ingestion';
const APIS: Api[] = ['cloud-partner-portal', 'product-ingestion'];

/** The first state of each API's offer that nothing runs on and that was never published. */
const FRESH: Record<Api, string> = {
  'cloud-partner-portal': 'never-published',
  'product-ingestion': 'draft-only',
};

function sim(api: Api, options: Record<string, unknown> = {}) {
  const base = api === 'product-ingestion' ? { api } : {};
  return { ...base, scenario: FRESH[api], ...options } as Parameters<typeof runAgainstSimulator>[0];
}

/** An edit made in Partner Center: the draft's listing title differs from every preview's. */
function editListing(s: Simulator): void {
  (s as IngestionSimulator).editDraft((draft) => {
    const listing = draft.find((r) => String(r.$schema).includes('/schema/listing/'))!;
    listing.title = 'Contoso VM, edited in Partner Center';
  });
}

/** The writes sent: `publish` or `go-live`, whichever API. */
function writes(run: Run): string[] {
  return run.sim.requests
    .filter((r) => r.method === 'POST')
    .map((r) => {
      if (r.path.endsWith('/configure')) {
        const body = JSON.parse(r.body ?? '{}') as {
          resources: { target?: { targetType?: string } }[];
        };
        const live = body.resources.some((x) => x.target?.targetType === 'live');
        return live ? 'go-live' : 'publish';
      }
      const last = r.path.split('/').at(-1)!;
      return last === 'golive' ? 'go-live' : last;
    });
}

/** Every run is checked for what must never happen: a cancel request. */
const checked = neverCancels();

describe.each(APIS)('%s', (api) => {
  test('a lost answer, then cancellation while waiting to look: one publish, ended in seconds, and it says a publish may have started', async () => {
    const run = checked(
      await runAgainstSimulator(
        sim(api, { publish: 'drop-after-acting', lagMs: 1_500 }),
        { publish: 'true', 'poll-interval': '30s', timeout: '5m' },
        // Cancelled (as the runner's SIGINT does) once the publish was sent.
        { cancelWhen: (s) => s.requests.some((r) => r.method === 'POST') },
      ),
    );
    expect(writes(run)).toEqual(['publish']);
    expect(run.sim.writesStarted().filter((w) => w.kind === 'publish')).toHaveLength(1);
    // Ended by itself within 5 s of the cancellation, on the clock (the runner's SIGTERM comes
    // 7.5 s after its SIGINT).
    expect(run.startedAt + run.durationMs - run.cancelledAt!).toBeLessThan(5_000);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.started).toBe('publish');
    expect(failure(run)).toMatch(/The workflow was cancelled/);
    expect(failure(run)).toMatch(
      /publish request at \S+ that got no clear answer: it may have started/,
    );
    expect(run.summary).toMatch(/no clear answer: it may have started/);
  });

  test("publish + go-live while the previous preview waits at its sign-off: the go-live waits for this step's own preview", async () => {
    const run = checked(
      await withSimulator(
        sim(api, {
          scenario: 'previous-preview-at-signoff',
          lagMs: 2_500,
          // CPP: no address in the 202, so the offer's status (which lags) is all there is.
          ...(api === 'cloud-partner-portal' ? { addressing: 'none' } : {}),
        }),
        (s, run) => {
          // product-ingestion: the draft was edited since that preview, so a publish is due.
          if (api === 'product-ingestion') editListing(s);
          return run({ publish: 'true', 'go-live': 'true', timeout: '40s' });
        },
      ),
    );
    expect(run.exitCode).toBe(0);
    expect(writes(run)).toEqual(['publish', 'go-live']);
    const [publish, goLive] = run.sim.writesStarted();
    expect(publish).toMatchObject({ kind: 'publish' });
    expect(goLive).toMatchObject({ kind: 'go-live' });
    if (api === 'product-ingestion') expect(goLive!.previewId).toBe(publish!.id);
    expect(run.outputs).toMatchObject({ status: 'succeeded', started: 'publish,go-live' });
    expect(run.log).toContain('the service still shows an earlier publish');
  });

  test('a publish someone else started, without what the draft holds: followed to its sign-off and never pushed live', async () => {
    const run = checked(
      await withSimulator(sim(api, { scenario: 'publish-to-signoff' }), (s, run) => {
        // product-ingestion: the draft was edited after that publish started.
        if (api === 'product-ingestion') editListing(s);
        return run({ publish: 'true', 'go-live': 'true', 'wait-until': 'completion' });
      }),
    );
    expect(writes(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'waitingForPublisherReview', started: '' });
    const goLiveWarnings = run.annotations.filter((a) => a.includes('The go-live was not sent'));
    expect(goLiveWarnings).toHaveLength(1);
    expect(goLiveWarnings[0]).toMatch(
      api === 'product-ingestion'
        ? /lacks what the draft holds since \(listing title\).*go-live: true/
        : /started elsewhere.*go-live: true and without publish/,
    );
  });

  test('one failed read before and after the write is waited through, not the end of the step', async () => {
    // The check for a running publish fails twice (503, then 429), the look after a 500 once.
    const listing = api === 'product-ingestion' ? /\/submission\/[^/]+$/ : /\/submissions$/;
    let listings = 0;
    const intercept = (req: { method: string; path: string }): Frame | undefined => {
      if (req.method !== 'GET' || !listing.test(req.path)) return undefined;
      listings++;
      if (listings === 1) return { kind: 'http', status: 503, body: '{}' };
      if (listings === 2)
        return { kind: 'http', status: 429, headers: { 'retry-after': '1' }, body: '{}' };
      if (listings === 4) return { kind: 'http', status: 500, body: '{}' };
      return undefined;
    };
    const run = checked(
      await runAgainstSimulator(sim(api, { publish: '500-after-acting', intercept }), {
        publish: 'true',
        'max-failed-reads': '3',
      }),
    );
    expect(run.exitCode).toBe(0);
    expect(writes(run)).toEqual(['publish']);
    expect(run.outputs).toMatchObject({ status: 'waitingForPublisherReview', started: 'publish' });
  });

  test('an unclear answer, then the publish fails at once: found in the listing as failed, never sent twice', async () => {
    const run = checked(
      await runAgainstSimulator(
        sim(api, { publish: '500-after-acting', publishOutcome: 'fails' }),
        {
          publish: 'true',
        },
      ),
    );
    expect(writes(run)).toEqual(['publish']);
    expect(run.sim.writesStarted()).toHaveLength(1);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.started).toBe('publish');
    expect(run.outputs.status).toBe('failed');
  });

  test('near the deadline, the looks cannot be made: "unknown whether it started", never "nothing"', async () => {
    const run = checked(
      await runAgainstSimulator(sim(api, { publish: 'drop-after-acting', lagMs: 5_000 }), {
        publish: 'true',
        timeout: '2s',
        'poll-interval': '1s',
      }),
    );
    expect(writes(run)).toEqual(['publish']);
    expect(run.exitCode).toBe(1);
    expect(failure(run)).not.toMatch(/nothing was started/);
    expect(failure(run)).toMatch(/may have started/);
    expect(run.outputs.started).toBe('publish');
  });

  test('service text with newlines and runner commands never starts a command', async () => {
    const run = await runAgainstSimulator(sim(api, { scenario: 'hostile-text' }), {
      'fail-on-timeout': 'false',
      timeout: '5s',
    });
    // A runner command: `::name properties::data`. Properties are escaped by @actions/core, so a
    // raw `::` can only be the one that ends them.
    const command = /^::([A-Za-z-]+)(?: ([^:]*(?::[^:]+)*))?::(.*)$/;
    for (const line of run.stdout.split('\n')) {
      const start = line.trimStart();
      // The runner reads `##[name]` anywhere in a line; `##[\` names no command.
      if (/##\[(?!\\)/.test(start)) throw new Error(`a line carries a legacy command: ${line}`);
      if (!start.startsWith('::')) continue;
      const [, name, properties = ''] = command.exec(start) ?? [];
      // Only the action's own commands, and a mask only of its own token.
      expect(['add-mask', 'error', 'warning', 'debug']).toContain(name);
      expect(properties).not.toMatch(/::/);
      if (name === 'add-mask') expect(start).toBe(`::add-mask::${run.sim.token}`);
    }
    expect(run.stdout).not.toContain(`\n::error title=x::pwned`);
  });
});

describe('cloud-partner-portal: a publish without an address the action can follow', () => {
  test.each(['none', 'foreign'] as const)(
    "addressing %s, the previous publish live: this step's publish is not reported until it is listed",
    async (addressing) => {
      const run = checked(
        await runAgainstSimulator(
          { scenario: 'succeeded', addressing, lagMs: 2_500 },
          {
            publish: 'true',
          },
        ),
      );
      expect(writes(run)).toEqual(['publish']);
      expect(run.exitCode).toBe(0);
      // Never the previous publish's `succeeded`: this step's own publish, at its sign-off.
      expect(run.outputs).toMatchObject({
        status: 'waitingForPublisherReview',
        started: 'publish',
      });
      expect(run.log).toContain("Found this step's publish in the listing");
    },
  );
});

describe('tracking obeys cancellation', () => {
  let github: Server | undefined;
  afterEach(async () => {
    github?.closeAllConnections();
    await new Promise((done) => github?.close(done) ?? done(undefined));
    github = undefined;
  });

  test('a GitHub API that never answers does not hold a cancelled step; the summary is written', async () => {
    github = createServer(() => {
      // never answers
    });
    await new Promise<void>((done) => github!.listen(0, '127.0.0.1', done));
    const apiUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
    const run = await runAgainstSimulator(
      { scenario: 'stuck-in-certification' },
      { track: 'deployment', 'github-token': 'ghs_test', timeout: '5m' },
      // Cancelled once the action has had time to ask GitHub (it never answers).
      { env: { GITHUB_API_URL: apiUrl }, cancelAt: 1_500 },
    );
    expect(run.cancelledAt).toBeDefined();
    expect(run.startedAt + run.durationMs - run.cancelledAt!).toBeLessThan(5_000);
    expect(run.summary).toContain('cancelled');
  });
});
