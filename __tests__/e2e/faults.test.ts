/**
 * Fault injection: one end-to-end test per row of `fault-cases.ts`, each running the action
 * (in-process, on the simulator's clock) against the simulator and proving the row's outcome
 * (`waited through`: the step passes with the offer's real status; `failed clearly`: it fails with
 * one message, no stack trace).
 */
import { describe, expect, test } from '@jest/globals';
import { lookup as dnsLookup, type LookupOptions } from 'node:dns';
import { createServer } from 'node:net';
import type { Frame, Scenario } from '../../simulator/scenarios.js';
import { statusBody } from '../../simulator/scenarios.js';
import { SIMULATOR_DEFAULTS, startSimulator, type Simulator } from '../../simulator/server.js';
import { faultCases, type FaultCase } from './fault-cases.js';
import { runAgainstSimulator, statusRequests, type Run } from './harness.js';
import { runInProcess } from './in-process.js';
import { VirtualClock } from './virtual-clock.js';

const succeeded = statusBody('succeeded', { displaydummycertify: { status: 'complete' } });
const ok: Frame = { kind: 'body', body: succeeded };
const then = (...frames: Frame[]): Scenario => ({
  description: 'fault',
  advance: 'per-read',
  frames: [...frames, ok],
});
const always = (frame: Frame): Scenario => ({
  description: 'fault',
  advance: 'per-read',
  frames: [frame],
});

const failedLine = (stdout: string) =>
  stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
const retryLines = (run: Run) => run.log.split('\n').filter((l) => l.includes('↻'));

function expectOutcome(c: FaultCase, run: Run) {
  expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (c.outcome === 'waited through') {
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
  } else {
    expect(run.exitCode).toBe(1);
    expect(failedLine(run.stdout)).not.toBe('');
  }
}

const checks: Record<string, () => Promise<Run>> = {
  async '408'() {
    const run = await runAgainstSimulator({ scenario: then({ kind: 'http', status: 408 }) });
    expect(retryLines(run)[0]).toMatch(/answered HTTP 408 \(no body\)\. Retrying in/);
    return run;
  },
  async '429'() {
    const run = await runAgainstSimulator({
      scenario: then({
        kind: 'http',
        status: 429,
        headers: { 'retry-after': '2' },
        body: '{"error":{"code":"TooManyRequests","message":"Slow down."}}',
      }),
    });
    const [first, second] = statusRequests(run);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1900);
    expect(retryLines(run)[0]).toMatch(
      /HTTP 429 \(TooManyRequests: Slow down\.\)\. Retrying in 2\.0s/,
    );
    return run;
  },
  async '500-json'() {
    const run = await runAgainstSimulator({
      scenario: then({
        kind: 'http',
        status: 500,
        body: '{"error":{"code":"InternalServerError","message":"Try again."}}',
      }),
    });
    expect(retryLines(run)[0]).toMatch(/HTTP 500 \(InternalServerError: Try again\.\)/);
    return run;
  },
  async '502-html'() {
    const run = await runAgainstSimulator({
      scenario: then({
        kind: 'http',
        status: 502,
        body: '<html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>',
      }),
    });
    expect(retryLines(run)[0]).toMatch(/HTTP 502 \("Bad Gateway"\)/);
    return run;
  },
  async '503-date'() {
    const at = new Date(Date.now() + 3000);
    at.setMilliseconds(0); // an HTTP date has whole seconds
    const run = await runAgainstSimulator({
      scenario: then({ kind: 'http', status: 503, headers: { 'retry-after': at.toUTCString() } }),
    });
    const [, second] = statusRequests(run);
    expect(second).toBeDefined();
    expect(retryLines(run)[0]).toMatch(/HTTP 503 \(no body\)\. Retrying in [12]\.\ds/);
    return run;
  },
  async '504'() {
    const run = await runAgainstSimulator({ scenario: then({ kind: 'http', status: 504 }) });
    expect(retryLines(run)).toHaveLength(1);
    return run;
  },
  async refused() {
    // A port nobody listens on yet; the simulator comes up there 1.5 s after the action starts.
    const port = await freePort();
    const clock = new VirtualClock();
    let sim: Simulator | undefined;
    clock.at(1500, async () => {
      sim = await startSimulator({ scenario: always(ok), port, clock: clock.elapsed });
    });
    const action = await runInProcess({
      clock,
      inputs: {
        'publisher-id': SIMULATOR_DEFAULTS.publisherId,
        'offer-id': SIMULATOR_DEFAULTS.offerId,
        'access-token': SIMULATOR_DEFAULTS.token,
        'base-url': `http://127.0.0.1:${port}`,
        'poll-interval': '1s',
        timeout: '30s',
      },
    });
    await sim!.close();
    const run = { ...action, sim: sim!, log: action.stdout, annotations: [] };
    expect(action.stdout).toMatch(/the connection was refused \(ECONNREFUSED\)/);
    // The read that succeeded came after the service was up, on the clock.
    expect(sim!.requests[0]!.at).toBeGreaterThanOrEqual(1500);
    return run;
  },
  async reset() {
    const run = await runAgainstSimulator({ scenario: then({ kind: 'reset' }) });
    expect(retryLines(run)[0]).toMatch(
      /failed: the connection closed before the answer was complete \(UND_ERR_SOCKET\)|connection was reset/,
    );
    return run;
  },
  async dns() {
    // The first two look-ups of `localhost` fail as a resolver outage would (ENOTFOUND), then
    // names resolve as usual: a DNS failure without asking any resolver off this machine.
    let failuresLeft = 2;
    const lookup = ((
      hostname: string,
      options: LookupOptions,
      callback: (error: Error | null, ...rest: unknown[]) => void,
    ) => {
      if (hostname === 'localhost' && failuresLeft > 0) {
        failuresLeft--;
        const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
          code: 'ENOTFOUND',
          hostname,
        });
        process.nextTick(() => callback(error));
        return;
      }
      dnsLookup(hostname, options, callback as never);
    }) as typeof dnsLookup;
    const run = await runAgainstSimulator(
      { scenario: always(ok) },
      (sim) => ({ 'base-url': sim.url.replace('127.0.0.1', 'localhost') }),
      { agent: { connect: { lookup } } },
    );
    expect(failuresLeft).toBe(0);
    expect(run.stdout).toMatch(/the host name could not be resolved \(DNS\) \(ENOTFOUND\)/);
    return run;
  },
  async stall() {
    const run = await runAgainstSimulator(
      { scenario: then({ kind: 'stall' }) },
      { 'request-timeout': '1s', 'poll-interval': '5s' },
    );
    expect(retryLines(run)[0]).toMatch(
      /the service did not answer in time \(UND_ERR_HEADERS_TIMEOUT\)/,
    );
    expect(run.durationMs).toBeLessThan(10_000);
    return run;
  },
  async 'stall-deadline'() {
    const run = await runAgainstSimulator(
      { scenario: always({ kind: 'stall' }) },
      { timeout: '3s', 'request-timeout': '5m' },
    );
    expect(run.outputs['timed-out']).toBe('true');
    expect(failedLine(run.stdout)).toBe(
      '::error::The wait ran out of time after 3s (timeout) while the publish was still under way.',
    );
    expect(run.durationMs).toBeLessThan(8_000);
    return run;
  },
  async budget() {
    const run = await runAgainstSimulator(
      { scenario: always({ kind: 'http', status: 503 }) },
      { 'max-failed-reads': '2' },
    );
    expect(failedLine(run.stdout)).toMatch(
      /HTTP 503 \(no body\)\. The last 2 reads failed; giving up \(max-failed-reads\)\.$/,
    );
    expect(
      run.annotations.some((a) => a.includes('Read 1 of 2 in a row failed; still waiting.')),
    ).toBe(true);
    return run;
  },
  async '400'() {
    const run = await runAgainstSimulator({
      scenario: always({
        kind: 'http',
        status: 400,
        body: '{"error":{"code":"InvalidRequest","message":"The offer id is malformed."}}',
      }),
    });
    expect(failedLine(run.stdout)).toBe(
      '::error::GET /api/publishers/contoso/offers/contoso-vm/status answered HTTP 400 (InvalidRequest: The offer id is malformed.).',
    );
    expect(statusRequests(run)).toHaveLength(1);
    return run;
  },
  async '422'() {
    const run = await runAgainstSimulator({
      scenario: always({
        kind: 'http',
        status: 422,
        body: '{"error":{"code":"ValidationFailed","message":"Plan contoso-vm has no image."}}',
      }),
    });
    expect(failedLine(run.stdout)).toContain(
      'answered HTTP 422 (ValidationFailed: Plan contoso-vm has no image.)',
    );
    return run;
  },
  async '401'() {
    const run = await runAgainstSimulator({ scenario: always({ kind: 'http', status: 401 }) });
    expect(failedLine(run.stdout)).toMatch(
      /HTTP 401 \(no body\)\. The access token is missing, invalid or expired.*https:\/\/cloudpartner\.azure\.com/,
    );
    return run;
  },
  async '403'() {
    const run = await runAgainstSimulator({ scenario: always({ kind: 'http', status: 403 }) });
    expect(failedLine(run.stdout)).toMatch(
      /HTTP 403 .*Owner or Contributor using the Object ID of its enterprise application/,
    );
    return run;
  },
  async '404-offer'() {
    const run = await runAgainstSimulator({ scenario: 'succeeded' }, { 'offer-id': 'Contoso-VM2' });
    expect(failedLine(run.stdout)).toMatch(
      /Offer 'Contoso-VM2' was not found under publisher 'contoso'\. Did you mean 'contoso-vm'\?/,
    );
    expect(run.sim.requests.map((r) => r.path)).toContain('/api/publishers/contoso/offers');
    return run;
  },
  async '404-publisher'() {
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'publisher-id': 'contosso' },
    );
    expect(failedLine(run.stdout)).toMatch(
      /Publisher 'contosso' was not found .*Check publisher-id/,
    );
    return run;
  },
  async '404-operation'() {
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'operation-id': '00000000-0000-0000-0000-000000000000' },
    );
    expect(failedLine(run.stdout)).toMatch(
      /Operation '00000000-0000-0000-0000-000000000000' was not found for offer contoso\/contoso-vm .*leave it empty/,
    );
    return run;
  },
  async 'not-json'() {
    const run = await runAgainstSimulator({
      scenario: always({
        kind: 'http',
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<!doctype html><html><body>Sign in to continue</body></html>',
      }),
    });
    expect(failedLine(run.stdout)).toBe(
      '::error::GET /api/publishers/contoso/offers/contoso-vm/status answered HTTP 200 with a body that is not JSON: "<!doctype html><html><body>Sign in to continue</body></html>".',
    );
    return run;
  },
  async 'wrong-shape'() {
    const run = await runAgainstSimulator({
      scenario: always({ kind: 'body', body: { status: 7, steps: [] } }),
    });
    expect(failedLine(run.stdout)).toMatch(
      /answered HTTP 200 with JSON of an unexpected shape at 'status': .*Body: "\{"status":7,"steps":\[\]\}"\./,
    );
    return run;
  },
  async 'token-echo'() {
    const foreign = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjcHAifQ.c2lnbmF0dXJl';
    const token = SIMULATOR_DEFAULTS.token;
    const run = await runAgainstSimulator(
      {
        scenario: always({
          kind: 'http',
          status: 500,
          body: `{"error":{"code":"Debug","message":"request had Authorization: Bearer ${token} and x-ms-token ${foreign}"}}`,
        }),
      },
      { 'max-failed-reads': '1' },
    );
    expect(failedLine(run.stdout)).toContain(
      'request had Authorization: Bearer *** and x-ms-token ***',
    );
    const carriers = run.stdout.split('\n').filter((l) => l.includes(token) || l.includes(foreign));
    expect(new Set(carriers)).toEqual(new Set([`::add-mask::${token}`]));
    expect(JSON.stringify(run.outputs) + run.summary).not.toMatch(
      new RegExp(`${token}|${foreign}`),
    );
    return run;
  },
  async huge() {
    const big = (n: number) => ({ level: 'warning', html: `<p>${'lorem ipsum '.repeat(n)}</p>` });
    const body = statusBody('succeeded', {
      displaydummycertify: { status: 'complete', messages: [big(100_000), big(100_000)] },
      displaycertify: {
        status: 'complete',
        messages: Array.from({ length: 30 }, () => big(10_000)),
      },
    });
    const run = await runAgainstSimulator({ scenario: always({ kind: 'body', body }) });
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    expect(run.summary).toMatch(/… \(truncated from \d{7} characters\)/);
    expect(Buffer.byteLength(run.outputs.steps!)).toBeLessThan(100_000);
    return run;
  },
  async 'bad-id'() {
    for (const offerId of ['a/b', '..', 'a?b', 'a#b', 'a b', 'a\tb']) {
      const run = await runAgainstSimulator({ scenario: 'succeeded' }, { 'offer-id': offerId });
      expectOutcome(
        faultCases.find((c) => c.id === 'bad-id')!,
        run,
      );
      expect(failedLine(run.stdout)).toMatch(/^::error::Input 'offer-id': .* is not a valid id/);
      expect(run.sim.requests).toHaveLength(0);
    }
    return runAgainstSimulator({ scenario: 'succeeded' }, { 'offer-id': 'a\u0001b' });
  },
  async 'http-url'() {
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'base-url': 'http://cpp.contoso.com' },
    );
    expect(failedLine(run.stdout)).toMatch(
      /^::error::Input 'base-url': 'http:\/\/cpp\.contoso\.com' must use https/,
    );
    return run;
  },
  async cancel() {
    // The workflow is cancelled while a read hangs (the runner's SIGINT: the bundle's entry aborts
    // the step's cancel signal; the signals themselves are in process.test.ts).
    const running: Frame = {
      kind: 'body',
      body: statusBody('running', { displaycertify: { status: 'inProgress' } }),
    };
    const run = await runAgainstSimulator(
      {
        scenario: {
          description: 'hang',
          advance: 'per-read',
          frames: [running, { kind: 'stall' }],
        },
      },
      { 'wait-until': 'completion', timeout: '1h', 'request-timeout': '5m' },
      { cancelWhen: (sim) => sim.statusReads() >= 2 },
    );
    // Ended within seconds of the cancellation, on the clock (the read in flight is aborted).
    expect(run.startedAt + run.durationMs - run.cancelledAt!).toBeLessThan(3000);
    expect(run.outputs.status).toBe('running');
    expect(run.summary).toContain('The workflow was cancelled; this is what was seen until then.');
    expect(run.sim.requests.every((r) => r.method === 'GET' && !r.path.endsWith('/cancel'))).toBe(
      true,
    );
    return run;
  },
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('fault injection', () => {
  test('every row of the table has a test, and every test a row', () => {
    expect(Object.keys(checks).sort()).toEqual(faultCases.map((c) => c.id).sort());
  });

  test.each(faultCases.map((c) => [c.fault, c] as const))('%s', async (_, c) => {
    const run = await checks[c.id]!();
    expectOutcome(c, run);
  });
});
