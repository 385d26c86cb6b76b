/**
 * A first-time user's step, end to end against the simulators: `api` left to its default (`auto`)
 * picks the API by `publisher-id` and says so first; a failure says why, on either API, in the
 * closing message and in the summary's first lines (links kept); on product-ingestion a later run
 * reads the reason from the configure job the tracked deployment recorded, or links the offer in
 * Partner Center when no job is known.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { startFakeGitHub, type FakeGitHub } from '../../simulator/github-server.js';
import { INGESTION_DEFAULTS, STARTED_JOBS } from '../../simulator/ingestion-server.js';
import { failure, runAgainstSimulator, withSimulator, type Run } from './harness.js';

const GUID = INGESTION_DEFAULTS.productGuid;
const PARTNER_CENTER = `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${GUID}/overview`;
const SHA = '9fceb02d0ae598e95dc970b74767f19372d61af8';

/** The log's first line, after the runner's masking commands. */
const firstLine = (run: Run) => run.log.split('\n').find((l) => l.trim() !== '');

/** The summary's lines right under its heading. */
const firstLines = (run: Run) => run.summary.split('\n\n')[1] ?? '';

describe('api: auto (the default)', () => {
  test('without a publisher-id: product-ingestion, and the log says why first', async () => {
    const run = await runAgainstSimulator(
      { api: 'product-ingestion', scenario: 'publish-to-signoff' },
      { api: '', 'publisher-id': '' },
    );
    expect(run.exitCode).toBe(0);
    expect(firstLine(run)).toBe('API: product-ingestion (api: auto, no publisher-id given).');
    expect(run.outputs.status).toBe('waitingForPublisherReview');
    expect(run.sim.requests[0]!.path).toBe('/product');
    expect(run.summary).toContain('<td><strong>API</strong></td><td>product-ingestion API</td>');
  });

  test('with a publisher-id: the Cloud Partner Portal API, and the log says why first', async () => {
    const run = await runAgainstSimulator({ scenario: 'succeeded' }, { api: '' });
    expect(run.exitCode).toBe(0);
    expect(firstLine(run)).toBe('API: cloud-partner-portal (api: auto, publisher-id given).');
    expect(run.outputs.status).toBe('succeeded');
    expect(run.sim.requests.every((r) => r.path.startsWith('/api/publishers/contoso/'))).toBe(true);
  });

  test('an explicit api still wins, and says so', async () => {
    const run = await runAgainstSimulator(
      { api: 'product-ingestion', scenario: 'publish-to-signoff' },
      { api: 'Ingestion', 'publisher-id': 'contoso' },
    );
    expect(run.exitCode).toBe(0);
    expect(firstLine(run)).toBe('API: product-ingestion (api: ingestion).');
  });
});

describe('a certification failure says why, first', () => {
  test('CPP: the step and its errors under the heading, the report link kept as a link', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'certification-failed' },
      { api: '', 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.summary.split('\n\n').slice(0, 2)).toEqual([
      '## ❌ Marketplace publish: contoso / contoso-vm',
      '<p><strong>The step Certification failed.</strong> The VHD for plan ' +
        '<code>contoso-vm-gen2</code> failed the malware scan. Certification report: ' +
        '<a href="https://example.invalid/report" rel="noopener noreferrer">see the report</a>.</p>',
    ]);
    // The steps table's latest message keeps its link too.
    expect(run.summary).toContain(
      '<td>Certification report: <a href="https://example.invalid/report" rel="noopener noreferrer">see the report</a>.</td></tr>',
    );
    // A sentence a person would write, in the table and the log.
    expect(run.summary).toContain(
      '<td><strong>Why the wait ended</strong></td><td>The publish failed (fail-on lists failed).</td>',
    );
    // The log line has the report's address.
    expect(failure(run)).toContain(
      'Certification: Certification report: see the report (https://example.invalid/report).',
    );
  });

  test("product-ingestion, following the job: the job's errors under the heading, the report address a link", async () => {
    const run = await runAgainstSimulator(
      { api: 'product-ingestion', scenario: 'certification-failed' },
      { api: '', 'publisher-id': '', 'operation-id': INGESTION_DEFAULTS.jobId },
    );
    expect(run.exitCode).toBe(1);
    const lines = firstLines(run);
    expect(lines).toMatch(/^<p><strong>.+<\/strong> .*failed the malware scan\..*<\/p>$/);
    expect(lines).toContain(
      '<a href="https://example.invalid/report" rel="noopener noreferrer">https://example.invalid/report</a>',
    );
    expect(failure(run)).toContain('https://example.invalid/report');
  });

  test('product-ingestion, no job known: the failure says so and links the offer in Partner Center', async () => {
    const run = await runAgainstSimulator(
      { api: 'product-ingestion', scenario: 'certification-failed' },
      { api: '', 'publisher-id': '' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(failure(run)).toContain('No configure job is known for this publish');
    expect(failure(run)).toContain(PARTNER_CENTER);
    const lines = firstLines(run);
    expect(lines).toMatch(/^<p><strong>The step .+ failed\.<\/strong> No configure job is known/);
    expect(lines).toContain(
      `<a href="${PARTNER_CENTER}" rel="noopener noreferrer">the offer in Partner Center</a>`,
    );
    // No job was asked for: none is known.
    expect(run.sim.requests.filter((r) => r.path.startsWith('/configure'))).toEqual([]);
  });
});

describe('product-ingestion: a later run reads the reason from the tracked configure job', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub();
  });
  afterEach(() => github.close());

  test('the publish run records its configure job; the next run finds the preview failed and shows the job errors', () =>
    withSimulator(
      { api: 'product-ingestion', scenario: 'never-published', publishOutcome: 'fails' },
      async (_, run) => {
        const env = { GITHUB_API_URL: github.url, GITHUB_SHA: SHA };
        const tracked = { api: '', 'publisher-id': '', track: 'deployment' };
        const inputs = { ...tracked, 'github-token': github.token };
        const started = await run({ ...inputs, publish: 'true', 'wait-until': 'none' }, { env });
        expect(started.outputs['operation-id']).toBe(STARTED_JOBS.publish);
        expect(github.deployments).toHaveLength(1);
        expect(github.deployments[0]!.payload).toMatchObject({
          api: 'product-ingestion',
          'operation-id': STARTED_JOBS.publish,
        });

        // The publish fails a second after it starts.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const later = await run({ ...inputs, 'wait-until': 'completion' }, { env });
        expect(later.exitCode).toBe(1);
        expect(later.outputs.status).toBe('failed');
        // The job the deployment recorded, read once for its errors.
        expect(
          later.sim.requests.filter((r) => r.path === `/configure/${STARTED_JOBS.publish}/status`),
        ).toHaveLength(1);
        expect(failure(later)).toMatch(/Errors: .*failed the malware scan/);
        expect(failure(later)).toContain('https://example.invalid/report');
        expect(firstLines(later)).toMatch(/failed the malware scan/);
        expect(firstLines(later)).toContain('<a href="https://example.invalid/report"');
        expect(later.annotations.some((a) => a.includes('failed the malware scan'))).toBe(true);
      },
    ));
});

describe('product-ingestion: the status after a go-live', () => {
  test('never goes back: a live submission not listed yet reads as running, going live', async () => {
    const run = await runAgainstSimulator(
      // The submissions list the go-live 2.5 s late: reads in between still show the sign-off.
      { api: 'product-ingestion', scenario: 'publish-to-signoff', lagMs: 2_500 } as never,
      { 'go-live': 'true', 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    const after = run.log.slice(run.log.indexOf('Asked to go live'));
    expect(after).not.toBe('');
    expect(after).not.toMatch(/→ waitingForPublisherReview|→ notStarted/);
    expect(after).not.toMatch(/\(new step\)/);
    expect(after).toMatch(/Status: waitingForPublisherReview → running/);
    expect(run.outputs['preview-links']).toBe('[]');
  });
});
