/**
 * The action (in-process, harness.ts) against the simulator: outcomes that fail the step, and
 * timeouts.
 */
import { describe, expect, test } from '@jest/globals';
import { runAgainstSimulator, statusRequests } from './harness.js';

const failedLine = (stdout: string) =>
  stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';

describe('outcomes in fail-on fail the step', () => {
  test('a failed certification fails the step, naming the status and every error message', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'certification-failed' },
      { 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(failedLine(run.stdout)).toBe(
      '::error::Status: failed. The publish failed (fail-on lists failed). Errors: Certification: The VHD for plan contoso-vm-gen2 failed the malware scan. | Certification: Certification report: see the report (https://example.invalid/report).',
    );
    expect(run.annotations).toContain(
      '::error title=Marketplace%3A Certification::The VHD for plan contoso-vm-gen2 failed the malware scan.',
    );
    expect(run.summary).toMatch(/^## ❌/);
  });

  test("the seed's blocked step fails fast while the operation still says running", async () => {
    const run = await runAgainstSimulator(
      { scenario: 'blocked-step' },
      {
        'operation-id': '5a63deb5-925b-4ee0-938b-7c86fbf287c5',
        'wait-until': 'completion',
        timeout: '1h',
      },
    );
    expect(run.exitCode).toBe(1);
    expect(statusRequests(run)).toHaveLength(2);
    expect(run.outputs).toMatchObject({
      status: 'running',
      'current-step': 'displaycertify',
      'timed-out': 'false',
    });
    expect(failedLine(run.stdout)).toBe(
      '::error::Status: running. The step Certification is blocked (fail-on lists blocked). Errors: Certification: No virtual machine image was found for the plan contoso.',
    );
  });

  test('a rejected step fails fast', async () => {
    const run = await runAgainstSimulator({ scenario: 'rejected-step' }, { timeout: '1h' });
    expect(run.exitCode).toBe(1);
    expect(failedLine(run.stdout)).toMatch(
      /The step Certification was rejected.*Offer listing violates policy 100\.1\./,
    );
  });

  test.each([
    ['canceled', 'canceled'],
    ['never-published', 'neverPublished'],
  ])('%s fails the step', async (scenario, status) => {
    const run = await runAgainstSimulator(
      { scenario: scenario as 'canceled' },
      { 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe(status);
    expect(failedLine(run.stdout)).toContain(`(fail-on lists ${status}).`);
  });

  test('an end state left out of fail-on ends the wait without failing', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'certification-failed' },
      { 'wait-until': 'completion', 'fail-on': 'blocked\nrejected' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('failed');
    expect(run.log).toContain(
      'The publish failed; fail-on does not list failed, so the step passes.',
    );
  });
});

describe('timeouts', () => {
  test('a timeout fails the step and says so', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'stuck-in-certification' },
      { timeout: '3s', 'wait-until': 'completion' },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      status: 'running',
      'timed-out': 'true',
      'current-step': 'displaycertify',
    });
    expect(statusRequests(run).length).toBeGreaterThanOrEqual(3);
    expect(statusRequests(run).length).toBeLessThanOrEqual(5);
    expect(failedLine(run.stdout)).toBe(
      '::error::Status: running. The wait ran out of time after 3s (timeout) while the publish was still under way.',
    );
    expect(run.summary).toMatch(/^## ⌛/);
    expect(run.durationMs).toBeLessThan(15_000);
  });

  test('fail-on-timeout false only warns', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'stuck-in-certification' },
      { timeout: '2s', 'wait-until': 'completion', 'fail-on-timeout': 'false' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs['timed-out']).toBe('true');
    expect(run.annotations).toContain(
      '::warning::Status: running. The wait ran out of time after 2s (timeout) while the publish was still under way. (fail-on-timeout is false)',
    );
  });
});
