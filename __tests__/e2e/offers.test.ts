/**
 * Many offers in one step, and output that stays bounded whatever the service sends: the action
 * (in-process, harness.ts) against simulators that play several offers at once.
 */
import { describe, expect, test } from '@jest/globals';
import { scenarios } from '../../simulator/scenarios.js';
import { runAgainstSimulator, statusRequests, type Run, failure } from './harness.js';

const offersOutput = (run: Run) =>
  JSON.parse(run.outputs.offers!) as Record<string, Record<string, unknown>>;

describe('several offers', () => {
  test('two offers reach the sign-off: the rollup, one entry each in offers, prefixed log', async () => {
    const run = await runAgainstSimulator({
      scenario: 'publish-to-live',
      offerIds: ['contoso-vm', 'contoso-app'],
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'waitingForPublisherReview',
      'timed-out': 'false',
      'operation-id': '',
      steps: '[]',
      'current-step': '',
      'preview-links': '[]',
      'live-links': '[]',
      started: '',
    });
    const offers = offersOutput(run);
    expect(Object.keys(offers)).toEqual(['contoso-vm', 'contoso-app']);
    for (const id of ['contoso-vm', 'contoso-app']) {
      expect(offers[id]).toEqual({
        status: 'waitingForPublisherReview',
        'timed-out': false,
        'operation-id': '5a63deb5-925b-4ee0-938b-7c86fbf287c5',
        'current-step': 'publisher-signoff',
        started: '',
        // CPP: the publish operation waiting at its sign-off is the preview.
        'preview-id': '5a63deb5-925b-4ee0-938b-7c86fbf287c5',
        'preview-links': ['https://portal.azure.com/#create/contoso.contoso-vm-preview'],
        'live-links': [],
      });
    }
    // Every line names its offer; each offer's first read prints its whole picture once.
    // (The step's first line says which API it follows, for all offers.)
    const lines = run.log
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('Authenticating') && !l.startsWith('API: '));
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^\[contoso-(vm|app)\] /);
    expect(run.log.match(/\[contoso-app\] {3}⚪ Live: /g)).toHaveLength(1);
    expect(
      run.annotations.filter((a) => a.includes('title=contoso-app%3A Marketplace')),
    ).toHaveLength(1);

    expect(run.summary).toContain(
      '## 👀 Marketplace publish: 2 offers — waitingForPublisherReview',
    );
    expect(run.summary).toContain(
      '<th>Offer</th><th>Status</th><th>Current step</th><th>Why its wait ended</th>',
    );
    expect(run.summary).toContain(
      '<td><code>contoso-app</code></td><td><code>waitingForPublisherReview</code></td><td>Publisher signoff (0%)</td>',
    );
    expect(
      run.summary.match(
        /<details><summary>👀 contoso-(vm|app): waitingForPublisherReview<\/summary>/g,
      ),
    ).toHaveLength(2);
  });

  test('comma- and newline-separated ids keep their order; one failing offer fails the step and is named', async () => {
    const run = await runAgainstSimulator(
      {
        scenario: 'publish-to-live',
        offerIds: ['contoso-vm', 'contoso-app', 'contoso-sql'],
        scenarioFor: { 'contoso-app': 'certification-failed', 'contoso-sql': 'succeeded' },
      },
      { 'offer-id': 'contoso-vm,\ncontoso-app\ncontoso-sql' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(Object.keys(offersOutput(run))).toEqual(['contoso-vm', 'contoso-app', 'contoso-sql']);
    expect(offersOutput(run)['contoso-sql']!.status).toBe('succeeded');
    expect(failure(run)).toMatch(
      /^3 offers, status failed\. 1 of 3 did not end well — contoso-app: Status: failed\. The publish failed \(fail-on lists failed\)\. Errors: Certification: The VHD/,
    );
  });

  test('an offer whose wait has ended is no longer read; each offer is read once per poll', async () => {
    const run = await runAgainstSimulator({
      scenario: 'publish-to-live',
      offerIds: ['contoso-vm', 'contoso-done'],
      scenarioFor: { 'contoso-done': 'succeeded' },
    });
    const reads = (id: string) =>
      statusRequests(run).filter((r) => r.path.includes(`/offers/${id}/`));
    expect(reads('contoso-done')).toHaveLength(1);
    expect(reads('contoso-vm')).toHaveLength(6);
    // The second offer's first read comes half a poll interval after the first's: staggered.
    expect(reads('contoso-done')[0]!.at - reads('contoso-vm')[0]!.at).toBeGreaterThan(300);
  });

  test('at most 4 requests in flight, however many offers', async () => {
    const offerIds = Array.from({ length: 10 }, (_, i) => `contoso-${i}`);
    const run = await runAgainstSimulator(
      { scenario: 'stuck-in-certification', offerIds, latencyMs: 600 },
      { timeout: '4s', 'fail-on-timeout': 'false' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs['timed-out']).toBe('true');
    expect(run.sim.peakInFlight()).toBe(4);
  });

  test('a Retry-After from the service slows every offer', async () => {
    const retryAfter = {
      kind: 'http' as const,
      status: 429,
      body: '',
      headers: { 'retry-after': '3' },
    };
    const run = await runAgainstSimulator(
      {
        scenario: 'publish-to-live',
        offerIds: ['contoso-vm', 'contoso-app'],
        scenarioFor: {
          // One 429, then the offer's reads: no second pause to race the other offer's read.
          'contoso-vm': {
            description: '429 first',
            advance: 'per-read',
            frames: [retryAfter, ...scenarios['publish-to-live']!.frames],
          },
        },
      },
      { timeout: '6s', 'fail-on-timeout': 'false', 'wait-until': 'none' },
    );
    const vm = statusRequests(run).filter((r) => r.path.includes('/contoso-vm/'));
    const app = statusRequests(run).filter((r) => r.path.includes('/contoso-app/'));
    // contoso-app's read was due half a second after the 429; it waited out the 3 s too.
    expect(app[0]!.at - vm[0]!.at).toBeGreaterThanOrEqual(2_900);
  });

  test.each([
    [
      'contoso-vm, contoso-vm',
      "Input 'offer-id': 'contoso-vm' is listed twice. List each offer once.",
    ],
  ])('offer-id %j is an input error', async (ids, message) => {
    const run = await runAgainstSimulator({ scenario: 'succeeded' }, { 'offer-id': ids });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toBe(message);
    expect(run.sim.requests).toEqual([]);
  });

  test('operation-id with several offers is an input error that says so', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'offer-id': 'contoso-vm, contoso-app', 'operation-id': 'x' },
    );
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      /^Input 'operation-id': is for a single offer, but offer-id names 2\./,
    );
  });

  test('product-ingestion: two products, one summary', async () => {
    const run = await runAgainstSimulator(
      {
        api: 'product-ingestion',
        scenario: 'live',
        offerIds: ['contoso-vm', 'contoso-app'],
        scenarioFor: { 'contoso-app': 'never-published' },
      },
      { 'poll-interval': '1m', timeout: '10s', 'fail-on-timeout': 'false' },
    );
    expect(run.exitCode).toBe(1);
    expect(offersOutput(run)['contoso-app']!.status).toBe('neverPublished');
    expect(offersOutput(run)['contoso-vm']!.status).toBe('succeeded');
    expect(run.outputs.status).toBe('neverPublished');
  });
});

describe('bounded output, whatever the service sends', () => {
  test('3,000 error messages of 1 kB: at most 10 error annotations, lines under 16 KiB, a short failure', async () => {
    const run = await runAgainstSimulator({ scenario: 'message-flood' });
    expect(run.exitCode).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error'));
    const warnings = run.stdout.split('\n').filter((l) => l.startsWith('::warning'));
    expect(errors.length).toBeLessThanOrEqual(10);
    expect(warnings.length).toBeLessThanOrEqual(10);
    expect(errors.at(-1)).toMatch(/^::error::/); // the failure itself is always shown
    for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(16 * 1024);
    expect(run.log).toMatch(
      /\d+ more errors than the annotations above are in the log and the job summary \(GitHub shows 10 of each per step\)\./,
    );
    expect(failure(run)!.length).toBeLessThan(3_000);
    expect(failure(run)).toMatch(/\| and 2997 more \(in the log and the summary\)$/);
    // Each message in full at most once, across both reads.
    expect(run.stdout.split('Check 1234 of 3000 failed.').length - 1).toBeLessThanOrEqual(1);
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    expect(run.stdout.length).toBeLessThan(1024 * 1024);
  });

  test('a message the service re-stamps on every read is printed and annotated once', async () => {
    const run = await runAgainstSimulator({ scenario: 'restamped-warning' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('Certification queue is long').length - 1).toBe(1);
  });
});
