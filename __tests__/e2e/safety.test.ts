/**
 * The action (in-process, harness.ts) against the simulator: bad input, server refusals, secrets and
 * hostile content. That the bundle's real stdout carries the masks is in process.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import { runAgainstSimulator } from './harness.js';

const failedLine = (stdout: string) =>
  stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('bad input gets a clear error and nothing lost', () => {
  test.each([
    [
      { timeout: 'soon' },
      "::error::Input 'timeout': 'soon' is not a duration. Use e.g. 45s, 30m, 2h, 1h30m, or a number of seconds.",
    ],
    [
      { 'wait-until': 'forever' },
      "::error::Input 'wait-until': 'forever' is not one of: review, completion, none.",
    ],
    [
      { 'offer-id': 'contoso-vm/status' },
      "::error::Input 'offer-id': 'contoso-vm/status' is not a valid id",
    ],
    [
      { 'base-url': 'http://cloudpartner.azure.com' },
      "::error::Input 'base-url': 'http://cloudpartner.azure.com' must use https",
    ],
    [{ 'fail-on': 'failed, explode' }, "::error::Input 'fail-on': 'explode' is not a status."],
  ])('%j', async (inputs, message) => {
    const run = await runAgainstSimulator({ scenario: 'succeeded' }, inputs);
    expect(run.exitCode).toBe(1);
    expect(failedLine(run.stdout).startsWith(message)).toBe(true);
    expect(run.sim.requests).toHaveLength(0);
    expect(run.summary).toContain('<em>not read</em>');
    expect(run.outputs['timed-out']).toBe('false');
    noStack(run.stdout + run.stderr);
  });

  test('no access token: one error that says what to set', async () => {
    const run = await runAgainstSimulator({ scenario: 'succeeded' }, { 'access-token': '' });
    expect(run.exitCode).toBe(1);
    expect(failedLine(run.stdout)).toMatch(/access-token/);
    noStack(run.stdout + run.stderr);
  });

  test('an unknown offer fails at once with the service answer', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'offer-id': 'contoso-vmm', timeout: '1h' },
    );
    expect(run.exitCode).toBe(1);
    expect(failedLine(run.stdout)).toBe(
      "::error::Offer 'contoso-vmm' was not found under publisher 'contoso'. Did you mean 'contoso-vm'? " +
        "Its offers: 'contoso-vm', '059afc24-07de-4126-b004-4e42a51816fe'. Check offer-id: it is the offer id, not its display name.",
    );
    expect(run.durationMs).toBeLessThan(10_000);
    noStack(run.stdout + run.stderr);
  });

  test('a wrong token fails with guidance, not a retry loop', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'access-token': 'expired-token-123', timeout: '1h' },
    );
    expect(run.exitCode).toBe(1);
    expect(failedLine(run.stdout)).toMatch(
      /HTTP 401 \(Unauthorized: .*\)\. The access token is missing, invalid or expired/,
    );
    expect(run.sim.requests.filter((r) => r.path.endsWith('/status'))).toHaveLength(1);
  });
});

describe('secrets', () => {
  test('the access token is masked before anything is logged and appears in no output or summary', async () => {
    const run = await runAgainstSimulator({ scenario: 'publish-to-live' });
    const token = run.sim.token;
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${token}`);
    // The only lines that carry it are the mask commands themselves.
    const carriers = run.stdout.split('\n').filter((l) => l.includes(token));
    expect(new Set(carriers)).toEqual(new Set([`::add-mask::${token}`]));
    expect(run.stderr).not.toContain(token);
    expect(JSON.stringify(run.outputs)).not.toContain(token);
    expect(run.summary).not.toContain(token);
    expect(run.sim.requests[0]!.authorization).toBe(`Bearer ${token}`);
  });
});

describe('hostile content from the service', () => {
  test('scripts, handlers and javascript: links never reach the summary; annotations are plain text', async () => {
    const run = await runAgainstSimulator({ scenario: 'hostile-messages' });
    expect(run.exitCode).toBe(1);
    expect(run.summary).not.toMatch(/<script|<img|javascript:/i);
    expect(run.summary).not.toMatch(/<[^>]*\son\w+=/i);
    expect(run.summary).toContain(
      '<a href="https://example.invalid/ok" rel="noopener noreferrer">ok</a>',
    );
    expect(run.annotations).toContain(
      // A link's address is kept after its text; the javascript: one is gone.
      '::error title=Marketplace%3A Validate Pre-Requisites::Bad | pipe click ok (https://example.invalid/ok)',
    );
  });
});
