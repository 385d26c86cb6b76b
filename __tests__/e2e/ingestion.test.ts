/**
 * The action on the product-ingestion API (`api: product-ingestion`), in-process against the
 * loopback simulator of that API: the same stop rules, log, summary and outputs as on CPP.
 */
import { describe, expect, test } from '@jest/globals';
import { INGESTION_DEFAULTS } from '../../simulator/ingestion-server.js';
import type { IngestionScenario } from '../../simulator/ingestion-scenarios.js';
import { runAgainstSimulator, statusRequests, type Run, failure } from './harness.js';

const GUID = INGESTION_DEFAULTS.productGuid;
const JOB = INGESTION_DEFAULTS.jobId;

function ingestion(
  scenario: string | IngestionScenario,
  inputs: Record<string, string> = {},
): Promise<Run> {
  return runAgainstSimulator({ api: 'product-ingestion', scenario }, inputs);
}

const stepStatuses = (run: Run) =>
  (JSON.parse(run.outputs.steps!) as { id: string; status: string }[]).map(
    (s) => `${s.id}:${s.status}`,
  );

/** The `::error::` line that failed the step, decoded. */

describe('following a product by its external id', () => {
  test('wait-until review: one lookup, then one submissions read per poll, until preview-ready', async () => {
    const run = await ingestion('publish-to-live');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'waitingForPublisherReview',
      'timed-out': 'false',
      'operation-id': '',
      'current-step': 'publisher-signoff',
      'preview-links': '[]',
      'live-links': '[]',
    });
    expect(stepStatuses(run)).toEqual([
      'preview:complete',
      'publisher-signoff:waitingForPublisherReview',
      'live:notStarted',
    ]);

    // On the wire: the lookup once, then one read per poll, every one with $version and the token.
    expect(run.sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /product',
      `GET /submission/${GUID}`,
      `GET /submission/${GUID}`,
      `GET /submission/${GUID}`,
      `GET /submission/${GUID}`,
    ]);
    expect(run.sim.requests[0]!.query).toEqual({
      $version: '2022-07-01',
      externalId: 'contoso-vm',
    });
    for (const r of run.sim.requests) {
      expect(r.query.$version).toBe('2022-07-01');
      expect(r.authorization).toBe(`Bearer ${run.sim.token}`);
    }

    expect(run.log).toContain(
      'Following the submissions of product contoso-vm on the product-ingestion API',
    );
    expect(run.log).toContain('⚪ Status: notStarted');
    expect(run.log).toContain('⏳ Status: notStarted → running');
    expect(run.log).toContain('👀 Status: running → waitingForPublisherReview');
    expect(run.summary).toContain('## 👀 Marketplace publish: contoso-vm\n');
    expect(run.summary).toContain('<td><strong>API</strong></td><td>product-ingestion API</td>');
    expect(run.summary).not.toContain('<strong>Publisher</strong>');
    expect(run.summary).toContain(
      '<td>Publisher sign-off</td><td><code>waitingForPublisherReview</code></td>',
    );
  });

  test('wait-until completion waits through the go-live to live', async () => {
    const run = await ingestion('publish-to-live', { 'wait-until': 'completion' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(stepStatuses(run)).toEqual([
      'preview:complete',
      'publisher-signoff:complete',
      'live:complete',
    ]);
    expect(run.log).toContain('⏳ Status: waitingForPublisherReview → running');
    expect(run.log).toContain('✅ Status: running → succeeded');
    expect(statusRequests(run)).toHaveLength(6);
  });

  test('a failed certification fails the step at the preview', async () => {
    const run = await ingestion('certification-failed');
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs['current-step']).toBe('preview');
    expect(stepStatuses(run)[0]).toBe('preview:failed');
    expect(failure(run)).toContain('Status: failed. The publish failed (fail-on lists failed).');
  });

  test('a failed go-live fails the step at the live step', async () => {
    const run = await ingestion('live-failed', { 'wait-until': 'completion' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(stepStatuses(run)).toEqual([
      'preview:complete',
      'publisher-signoff:complete',
      'live:failed',
    ]);
  });

  test('only a draft: never published, which fails by default', async () => {
    const run = await ingestion('never-published');
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('neverPublished');
    expect(failure(run)).toContain(
      'The offer has never been published (fail-on lists neverPublished).',
    );
  });

  test("the docs' capitalized words (Running, Completed, Succeeded) read the same", async () => {
    const run = await ingestion('pascal-case');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('waitingForPublisherReview');
    expect(run.annotations).toEqual([expect.stringMatching(/^::warning::poll-interval is 1s/)]);
  });

  test('an unknown external id names it and suggests the closest, reading every page', async () => {
    const run = await ingestion('publish-to-live', { 'offer-id': 'contoso-vm2' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('');
    expect(failure(run)).toBe(
      "No product has the external id 'contoso-vm2' (GET product?externalId=… listed none). " +
        "Check offer-id: on product-ingestion it is the offer id shown in Partner Center (the product's " +
        "external id), not its name. Did you mean 'contoso-vm', 'contoso-app'? The account's " +
        "products: 'contoso-vm', 'contoso-vm-gen2', 'contoso-app', 'fabrikam-sql', 'contoso-vm-arm'.",
    );
    // The lookup, then both pages of the product list; no submissions read.
    expect(run.sim.requests.map((r) => r.query.$skipToken ?? r.query.externalId ?? '')).toEqual([
      'contoso-vm2',
      '',
      'page2',
    ]);
  });

  test('a timeout with fail-on-timeout false only warns', async () => {
    const run = await ingestion('stuck-in-certification', {
      timeout: '3s',
      'fail-on-timeout': 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'running', 'timed-out': 'true' });
  });
});

describe('following a configure job (operation-id)', () => {
  test('one read of configure/{jobId}/status per poll, to the job end', async () => {
    const run = await ingestion('publish-to-live', { 'operation-id': JOB });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'operation-id': JOB });
    expect(stepStatuses(run)).toEqual(['configure-job:complete']);
    expect(run.sim.requests.map((r) => r.path)).toEqual([
      `/configure/${JOB}/status`,
      `/configure/${JOB}/status`,
    ]);
    expect(run.log).toContain(`Following configure job ${JOB} of product contoso-vm`);
  });

  test('every error, nested details included, is a message; a certification failure says so', async () => {
    const run = await ingestion('certification-failed', { 'operation-id': JOB });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const steps = JSON.parse(run.outputs.steps!) as {
      messages: { level: string; text: string }[];
    }[];
    expect(steps[0]!.messages.map((m) => `${m.level}: ${m.text}`)).toEqual([
      `error: Certification failed: submission/${GUID}/1152921515689848683: invalidState: The submission failed certification.`,
      'error: virtual-machine-plan-technical-configuration/contoso-vm-gen2: businessValidationError: The VHD for plan contoso-vm-gen2 failed the malware scan.',
      'error: businessValidationError: Certification report: https://example.invalid/report',
    ]);
    expect(failure(run)).toContain('Errors: Configure job: Certification failed: submission/');
    expect(
      run.annotations.filter((a) => a.startsWith('::error title=Marketplace%3A Configure job::')),
    ).toHaveLength(3);
  });

  test('a cancelled job reads as canceled, which fails by default', async () => {
    const run = await ingestion('job-cancelled', { 'operation-id': JOB });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('canceled');
  });

  test('an unknown job id is explained', async () => {
    const run = await ingestion('publish-to-live', { 'operation-id': 'no-such-job' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      /^Configure job 'no-such-job' was not found \(GET \/configure\/no-such-job\/status answered HTTP 404\)\. Check operation-id/,
    );
  });
});

describe('politeness and refusals', () => {
  test('a poll-interval under 1m warns once, quoting the API guidance; 1m does not', async () => {
    const fast = await ingestion('publish-to-live', { 'wait-until': 'none' });
    expect(fast.annotations).toEqual([
      '::warning::poll-interval is 1s. The product-ingestion API asks clients to poll a job at most ' +
        'once per minute; a poll-interval of 1m or more is kinder to it.',
    ]);
    const polite = await ingestion('publish-to-live', {
      'wait-until': 'none',
      'poll-interval': '1m',
    });
    expect(polite.annotations).toEqual([]);
    expect(polite.exitCode).toBe(0);
  });

  test('401 names the Microsoft Graph resource', async () => {
    const run = await ingestion('publish-to-live', { 'access-token': 'wrong-token' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(
      /GET \/product answered HTTP 401 \(unauthorized: .*\)\. .*resource https:\/\/graph\.microsoft\.com \(scope https:\/\/graph\.microsoft\.com\/\.default\)/,
    );
  });

  test('403 says to add the Entra app in Partner Center with the Manager role', async () => {
    const run = await ingestion({
      description: 'refused',
      submissions: [
        {
          kind: 'http',
          status: 403,
          body: JSON.stringify({ error: { code: 'forbidden', message: 'Access denied.' } }),
          headers: { 'content-type': 'application/json' },
        },
      ],
    });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toContain(
      `GET /submission/${GUID} answered HTTP 403 (forbidden: Access denied.). The identity is ` +
        'authenticated but has no access to this Partner Center account. Add the Entra app in ' +
        'Partner Center',
    );
    expect(failure(run)).toContain('with the Manager role');
  });

  test('an unknown api value is an input error that lists both', async () => {
    const run = await ingestion('publish-to-live', { api: 'partner-center' });
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toBe(
      "Input 'api': 'partner-center' is not an API. Use auto (the default: cloud-partner-portal " +
        'when publisher-id is given, else product-ingestion), cloud-partner-portal (alias cpp) or ' +
        'product-ingestion (alias ingestion).',
    );
    expect(run.sim.requests).toEqual([]);
  });
});
