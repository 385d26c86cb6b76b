/**
 * The GitHub deployment tracker against a loopback GitHub API: every call obeys the step's
 * cancellation and deadline, and a stopped step is said plainly, never blamed on GitHub.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { DeploymentTracker, type TrackerOptions } from '../../src/github/deployments.js';
import { HttpClient } from '../../src/http/client.js';
import { DEFAULTS, parseFailOn } from '../../src/inputs/index.js';
import { snapshot } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  await agent?.close();
  server = undefined;
  agent = undefined;
});

/** A GitHub API on loopback; `handler` answers, or never does. Each request is noted. */
async function github(handler: Handler) {
  const requests: string[] = [];
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url?.replace(/\?.*/, '')}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { apiUrl: `http://127.0.0.1:${port}`, requests };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const never: Handler = () => {};

function tracker(apiUrl: string, options: Partial<TrackerOptions> = {}) {
  const said: string[] = [];
  agent = new Agent();
  const http = new HttpClient({
    tokens: { renewable: false, token: async () => 'gh-token' },
    dispatcher: agent,
    retryMinDelayMs: 1_000,
    retryMaxDelayMs: 2_000,
  });
  const t = new DeploymentTracker({
    http,
    context: {
      owner: 'contoso',
      repo: 'app',
      sha: 'abc123',
      runId: '7',
      serverUrl: 'https://github.com',
      apiUrl,
    },
    environment: 'marketplace-contoso-vm',
    api: 'cloud-partner-portal',
    publisherId: 'contoso',
    offerId: 'contoso-vm',
    failOn: parseFailOn(DEFAULTS['fail-on']!),
    warning: (m) => said.push(`warning ${m}`),
    info: (m) => said.push(`info ${m}`),
    ...options,
  });
  return { t, said };
}

const running = snapshot('running', { displaycertify: { status: 'inProgress', progress: 10 } });
const succeeded = snapshot('succeeded', {});
const DEPLOYMENTS = '/repos/contoso/app/deployments';
const CANCELLED =
  "info Not recording the GitHub deployment of environment 'marketplace-contoso-vm': the step was cancelled.";
const OUT_OF_TIME =
  "info Not recording the GitHub deployment of environment 'marketplace-contoso-vm': the step ran out of time (timeout).";

/** Aborts `controller` once the server has seen `count` requests; resolves with when it did. */
async function abortAfter(requests: string[], count: number, abort: () => void): Promise<number> {
  while (requests.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  abort();
  return performance.now();
}

describe('DeploymentTracker: cancellation and the deadline', () => {
  test('a stalled read is abandoned as soon as the step is cancelled, and nothing is asked after', async () => {
    const gh = await github(never);
    const controller = new AbortController();
    const { t, said } = tracker(gh.apiUrl, { signal: controller.signal });
    const reading = t.readPrevious();
    const abortedAt = await abortAfter(gh.requests, 1, () => controller.abort());
    await reading;
    expect(performance.now() - abortedAt).toBeLessThan(500);
    expect(t.tracking.read).toBe(false);
    await t.observe(running, 'op-1', true);
    await t.observe(succeeded, 'op-1', true);
    expect(gh.requests).toEqual([`GET ${DEPLOYMENTS}`]);
    // Said once, plainly: no warning, no permission hint.
    expect(said).toEqual([CANCELLED]);
  });

  test('a stalled write is abandoned at the deadline (the step’s expiry fires)', async () => {
    const gh = await github((req, res) => {
      if (req.method === 'GET') return json(res, 200, []);
      // POST: never answers.
    });
    const controller = new AbortController();
    const { t, said } = tracker(gh.apiUrl, { signal: controller.signal });
    await t.readPrevious();
    expect(t.tracking.read).toBe(true);
    const observing = t.observe(running, 'op-1', true);
    const abortedAt = await abortAfter(gh.requests, 2, () =>
      controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
    );
    await observing;
    expect(performance.now() - abortedAt).toBeLessThan(500);
    await t.observe(succeeded, 'op-1', true);
    expect(gh.requests).toEqual([`GET ${DEPLOYMENTS}`, `POST ${DEPLOYMENTS}`]);
    expect(said).toEqual([OUT_OF_TIME]);
  });

  test('with AbortSignal.timeout as the step’s expiry, a stalled GitHub holds the step no longer', async () => {
    const gh = await github(never);
    const { t, said } = tracker(gh.apiUrl, { signal: AbortSignal.timeout(100) });
    const at = performance.now();
    await t.readPrevious();
    expect(performance.now() - at).toBeLessThan(600);
    expect(said).toEqual([OUT_OF_TIME]);
  });

  test('after the signal fired, no GitHub call is made at all', async () => {
    const gh = await github((_req, res) => json(res, 200, []));
    const { t, said } = tracker(gh.apiUrl, { signal: AbortSignal.abort() });
    await t.readPrevious();
    await t.observe(running, 'op-1', true);
    expect(gh.requests).toEqual([]);
    expect(said).toEqual([CANCELLED]);
  });

  test('cancelled between reads: the next record is skipped, without a request', async () => {
    const gh = await github((req, res) =>
      req.method === 'GET' ? json(res, 200, []) : json(res, 201, { id: 42 }),
    );
    const controller = new AbortController();
    const { t, said } = tracker(gh.apiUrl, { signal: controller.signal });
    await t.readPrevious();
    await t.observe(running, 'op-1', true);
    expect(gh.requests).toEqual([
      `GET ${DEPLOYMENTS}`,
      `POST ${DEPLOYMENTS}`,
      `POST ${DEPLOYMENTS}/42/statuses`,
    ]);
    controller.abort();
    await t.observe(succeeded, 'op-1', true);
    await t.observe(running, 'op-1', true);
    expect(gh.requests).toHaveLength(3);
    expect(said).toEqual([CANCELLED]);
  });

  test('past the deadline on the step’s clock, nothing is asked', async () => {
    const gh = await github((_req, res) => json(res, 200, []));
    let now = 10_000;
    const { t, said } = tracker(gh.apiUrl, { deadline: 10_000, now: () => now });
    await t.readPrevious();
    now += 1;
    await t.observe(running, 'op-1', true);
    expect(gh.requests).toEqual([]);
    expect(said).toEqual([OUT_OF_TIME]);
  });

  test('the deadline bounds the retries of a failing GitHub: out of time, not a GitHub failure', async () => {
    const gh = await github((_req, res) => json(res, 503, { message: 'unavailable' }));
    const deadline = Date.now() + 150;
    const { t, said } = tracker(gh.apiUrl, { deadline });
    const at = performance.now();
    await t.readPrevious();
    // Two retries 1-2 s apart without the deadline; with it, over shortly after it.
    expect(performance.now() - at).toBeLessThan(800);
    expect(gh.requests.length).toBeLessThanOrEqual(2);
    expect(said).toEqual([OUT_OF_TIME]);
  });

  test('a refusal from GitHub is still one warning with the permission hint', async () => {
    const gh = await github((_req, res) =>
      json(res, 403, { message: 'Resource not accessible by integration' }),
    );
    const controller = new AbortController();
    const { t, said } = tracker(gh.apiUrl, {
      signal: controller.signal,
      deadline: Date.now() + 60_000,
    });
    await t.readPrevious();
    await t.observe(running, 'op-1', true);
    expect(gh.requests).toEqual([`GET ${DEPLOYMENTS}`]);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^warning Could not read the GitHub deployments of environment 'marketplace-contoso-vm': .*HTTP 403.*permissions: deployments: write/,
    );
  });

  test('without `info`, the skip is said through `warning`, still once', async () => {
    const gh = await github(never);
    const said: string[] = [];
    const { t } = tracker(gh.apiUrl, {
      signal: AbortSignal.abort(),
      info: undefined,
      warning: (m) => said.push(m),
    });
    await t.readPrevious();
    await t.observe(running, 'op-1', true);
    expect(said).toEqual([CANCELLED.replace(/^info /, '')]);
  });
});
