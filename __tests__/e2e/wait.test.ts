/**
 * The action (in-process, harness.ts) against the simulator: how the wait ends, what it reports.
 */
import { describe, expect, test } from '@jest/globals';
import { runAgainstSimulator, statusRequests } from './harness.js';

describe('a publish that reaches the publisher sign-off', () => {
  test('wait-until review stops at the sign-off, passes, and reports it everywhere', async () => {
    const run = await runAgainstSimulator({ scenario: 'publish-to-live' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'waitingForPublisherReview',
      'timed-out': 'false',
      'operation-id': '5a63deb5-925b-4ee0-938b-7c86fbf287c5',
      'current-step': 'publisher-signoff',
      'preview-links': '["https://portal.azure.com/#create/contoso.contoso-vm-preview"]',
      'live-links': '[]',
    });
    const steps = JSON.parse(run.outputs.steps!);
    expect(steps.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
      'displaydummycertify:complete',
      'displaycertify:complete',
      'displayprovision:complete',
      'displaypackage:complete',
      'publisher-signoff:waitingForPublisherReview',
      'live:notStarted',
    ]);
    expect(steps[4]).toEqual({
      id: 'publisher-signoff',
      name: 'Publisher signoff',
      status: 'waitingForPublisherReview',
      progress: 0,
      estimatedTimeFrame: '< 1 hour',
      messages: [
        {
          level: 'information',
          text: 'Preview is ready: open the preview (https://portal.azure.com/#create/contoso.contoso-vm-preview).',
          timestamp: expect.any(String),
        },
      ],
    });

    // Polite: one lookup of the running operation, then exactly one read per poll.
    const lookups = run.sim.requests.filter((r) => r.path.endsWith('/submissions'));
    expect(lookups.map((r) => r.query)).toEqual([{ 'api-version': '2017-10-31' }]);
    expect(statusRequests(run)).toHaveLength(6);
    expect(run.sim.requests).toHaveLength(7);

    // The first read prints the whole picture; later reads only what changed.
    expect(run.log).toContain(
      '[+0s] read 1\n⏳ Status: running\n  ⏳ Validate Pre-Requisites (displaydummycertify): inProgress [40%, < 15 min]',
    );
    expect(run.log.match(/Certification \(displaycertify\): notStarted \[/g)).toHaveLength(1);
    expect(run.log).toContain('  ⏳ Certification (displaycertify): progress 10% → 60%');
    expect(run.log).toContain('👀 Status: running → waitingForPublisherReview');
    expect(run.log.match(/⚪ Live: /g)).toHaveLength(1);
    // A step warning becomes an annotation, as plain text.
    expect(run.annotations).toEqual([
      '::warning title=Marketplace%3A Certification::Plan contoso-vm has no support link; certification continues.',
    ]);

    expect(run.summary).toContain('## 👀 Marketplace publish: contoso / contoso-vm');
    expect(run.summary).toContain('waits for the publisher sign-off');
    expect(run.summary).toMatch(/<td><strong>Waited<\/strong><\/td><td>\d+s \(6 reads\)<\/td>/);
    expect(run.summary).toContain(
      '<tr><td>👀</td><td>Publisher signoff</td><td><code>waitingForPublisherReview</code></td>',
    );
    expect(run.summary).toContain('href="https://github.com/contoso/release/actions/runs/4242"');
  });

  test('wait-until completion waits through review to live', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'publish-to-live' },
      { 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'succeeded',
      'current-step': '',
      'live-links':
        '["https://azuremarketplace.microsoft.com/marketplace/apps/contoso.contoso-vm"]',
    });
    expect(statusRequests(run)).toHaveLength(8);
    expect(run.log).toContain('👀 Status: running → waitingForPublisherReview');
    expect(run.log).toContain('⏳ Status: waitingForPublisherReview → running');
    expect(run.log).toContain('✅ Status: running → succeeded');
    expect(run.summary).toContain('The offer is live: the publish succeeded.');
  });

  test('wait-until none reads once and reports', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'publish-to-live' },
      { 'wait-until': 'none' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'running', 'current-step': 'displaydummycertify' });
    expect(statusRequests(run)).toHaveLength(1);
    expect(run.summary).toContain('The offer was read once, as wait-until: none asks.');
  });

  test('following an operation id reads the operation, in its own vocabulary, and skips the lookup', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'publish-to-live' },
      { 'operation-id': '5a63deb5-925b-4ee0-938b-7c86fbf287c5', 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(0);
    // The operation says `completed` and its steps `completed`/`running`: they read as the offer's words.
    expect(run.outputs.status).toBe('succeeded');
    expect(run.outputs['operation-id']).toBe('5a63deb5-925b-4ee0-938b-7c86fbf287c5');
    expect(
      JSON.parse(run.outputs.steps!).every((s: { status: string }) => s.status === 'complete'),
    ).toBe(true);
    expect(
      run.sim.requests.every((r) =>
        r.path.includes('/operations/5a63deb5-925b-4ee0-938b-7c86fbf287c5'),
      ),
    ).toBe(true);
    expect(run.log).toContain(
      'Following operation 5a63deb5-925b-4ee0-938b-7c86fbf287c5 of offer contoso/contoso-vm',
    );
  });

  test('a sign-off step matched by name, with PascalCase statuses, counts as review', async () => {
    const run = await runAgainstSimulator({ scenario: 'signoff-by-name' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('waitingForPublisherReview');
    expect(run.outputs['current-step']).toBe('signoff-2');
  });

  test("the seed's succeeded offer ends at once and passes", async () => {
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    // Not running any more: the lookup finds no running operation.
    expect(run.outputs['operation-id']).toBe('');
  });

  test('unknown statuses are reported, treated as in progress, and warned about once each', async () => {
    const run = await runAgainstSimulator({ scenario: 'unknown-statuses' });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(statusRequests(run)).toHaveLength(3);
    const warnings = run.annotations.filter((a) => a.includes('does not know'));
    expect(warnings).toEqual([
      "::warning::The service reported a status this action does not know: 'Queued' (offer). It is treated as still in progress.",
      "::warning::The service reported a status this action does not know: 'Throttled' (step displaydummycertify). It is treated as still in progress.",
    ]);
    expect(run.log).toContain('❔ Status: Queued');
  });

  test('the running-operation lookup is best-effort: its failure is a debug line', async () => {
    const run = await runAgainstSimulator({ scenario: 'succeeded', brokenSubmissions: true });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['operation-id']).toBe('');
    expect(run.stdout).toMatch(/::debug::Could not list running operations: .*HTTP 500/);
  });
});
