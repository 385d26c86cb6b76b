/**
 * The whole flow of `run`, with the runner faked, undici's MockAgent as the API, and an injected
 * clock and sleep: hours of waiting run in milliseconds.
 */
import { afterAll, afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { run } from '../../src/main.js';
import type { Runner } from '../../src/github/runner.js';
import { statusBody } from '../../simulator/scenarios.js';

const ORIGIN = 'https://cloudpartner.azure.com';
const STATUS = '/api/publishers/contoso/offers/contoso-vm/status?api-version=2017-10-31';
const LOOKUP =
  '/api/publishers/contoso/offers/contoso-vm/submissions?api-version=2017-10-31&status=running';

function fakeRunner(
  inputs: Record<string, string>,
  summary: (html: string) => Promise<void> = async () => {},
) {
  const log: string[] = [];
  const outputs: Record<string, string> = {};
  let failed: string | undefined;
  let html = '';
  const runner: Runner = {
    getInput: (name) => inputs[name] ?? '',
    setSecret: (s) => log.push(`mask ${s}`),
    setOutput: (name, value) => (outputs[name] = value),
    info: (m) => log.push(m),
    debug: (m) => log.push(`debug ${m}`),
    warning: (m) => log.push(`warning ${m}`),
    error: (m) => log.push(`error ${m}`),
    setFailed: (m) => (failed = m),
    writeSummary: async (h) => {
      html = h;
      await summary(h);
    },
    runUrl: async () => undefined,
  };
  return { runner, log, outputs, failed: () => failed, summary: () => html };
}

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

function clock() {
  let t = Date.parse('2026-11-21T08:00:00Z');
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

const inputs = {
  'publisher-id': 'contoso',
  'offer-id': 'contoso-vm',
  'access-token': 'tok-123456',
  'wait-until': 'completion',
};
const running = statusBody('running', { displaycertify: { status: 'inProgress', progress: 10 } });

describe('run', () => {
  test('the default wait (5h50m, below the hosted 6 h job limit) at the default interval: 350 reads, then a timeout that fails the step', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: LOOKUP }).reply(200, []);
    pool.intercept({ path: STATUS }).reply(200, running).persist();
    const r = fakeRunner(inputs);
    await run({ runner: r.runner, dispatcher: agent, ...clock() });
    expect(r.outputs).toMatchObject({
      status: 'running',
      'timed-out': 'true',
      'current-step': 'displaydummycertify',
    });
    expect(r.failed()).toBe(
      'Status: running. The wait ran out of time after 5h50m (timeout) while the publish was still under way.',
    );
    expect(r.summary()).toContain('<td>5h50m (351 reads)</td>');
    // The first line says which API was chosen, and why.
    expect(r.log.find((l) => !l.startsWith('mask '))).toBe(
      'API: cloud-partner-portal (api: auto, publisher-id given).',
    );
    // Quiet: the first read prints the picture, then nothing changed.
    expect(r.log.filter((l) => l.startsWith('[+'))).toHaveLength(1);
  });

  test('a summary that cannot be written is a warning, not a failure', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: LOOKUP }).reply(200, []);
    pool.intercept({ path: STATUS }).reply(200, statusBody('succeeded', {}));
    const r = fakeRunner(inputs, async () => {
      throw new Error('EACCES: permission denied');
    });
    await run({ runner: r.runner, dispatcher: agent, ...clock() });
    expect(r.failed()).toBeUndefined();
    expect(r.log).toContain('warning Could not write the job summary: EACCES: permission denied');
  });

  test('cancellation stops the wait, and the summary and outputs are still written', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: LOOKUP }).reply(200, []);
    pool.intercept({ path: STATUS }).reply(200, running).persist();
    const cancel = new AbortController();
    const c = clock();
    const r = fakeRunner(inputs);
    let sleeps = 0;
    await run({
      runner: r.runner,
      dispatcher: agent,
      now: c.now,
      sleep: async (ms) => {
        if (++sleeps === 3) cancel.abort();
        await c.sleep(ms);
      },
      cancel: cancel.signal,
    });
    expect(r.outputs.status).toBe('running');
    expect(r.summary()).toContain('The workflow was cancelled');
    expect(r.failed()).toMatch(/The workflow was cancelled/);
  });

  test('secrets are masked first and kept out of what the runner does not mask', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: LOOKUP }).reply(200, []);
    pool
      .intercept({ path: STATUS })
      .reply(400, { error: { code: 'Bad', message: 'token tok-123456 rejected' } });
    const r = fakeRunner(inputs);
    await run({ runner: r.runner, dispatcher: agent, ...clock() });
    expect(r.log[0]).toBe('mask tok-123456');
    expect(r.failed()).toContain('token *** rejected');
    expect(r.summary()).toContain('token *** rejected');
  });

  test("on a GitHub-hosted runner a timeout past 5h50m is the step's input error, before any request", async () => {
    const r = fakeRunner({ ...inputs, timeout: '8h' });
    await run({
      runner: r.runner,
      dispatcher: agent,
      env: { RUNNER_ENVIRONMENT: 'github-hosted' },
      ...clock(),
    });
    expect(r.failed()).toMatch(
      /^Input 'timeout': '8h' is longer than a GitHub-hosted job may run: GitHub stops it at 6 h/,
    );
    expect(r.summary()).toContain('GitHub stops it at 6 h');
  });

  test('on a self-hosted runner the same timeout is taken', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: LOOKUP }).reply(200, []);
    pool.intercept({ path: STATUS }).reply(200, statusBody('succeeded', {}));
    const r = fakeRunner({ ...inputs, timeout: '8h' });
    await run({
      runner: r.runner,
      dispatcher: agent,
      env: { RUNNER_ENVIRONMENT: 'self-hosted' },
      ...clock(),
    });
    expect(r.failed()).toBeUndefined();
    expect(r.outputs.status).toBe('succeeded');
  });
});

describe('run: the resource files', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'main-resources-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  const SAS = 'https://acct.blob.core.windows.net/vhds/a.vhd?sv=2024-01-01&sig=S1gnature';
  const ingestion = {
    api: 'product-ingestion',
    'offer-id': 'contoso-vm',
    'access-token': 'tok-123456',
    'dry-run': 'true',
  };

  test('a SAS URI in a file is masked, whole and its query, before anything about the file', async () => {
    writeFileSync(
      join(workspace, 'sas.json'),
      `{"$schema": "${SAS}", "osDisk": {"uri": "${SAS}"}}`,
    );
    const r = fakeRunner({ ...ingestion, resources: 'sas.json' });
    await run({ runner: r.runner, dispatcher: agent, env: { GITHUB_WORKSPACE: workspace } });
    // The API line comes first; nothing about the files before their masks.
    expect(r.log).toEqual([
      'mask tok-123456',
      'API: product-ingestion (api: product-ingestion).',
      `mask ${SAS}`,
      'mask sv=2024-01-01&sig=S1gnature',
    ]);
    expect(r.failed()).toBe(
      "Input 'resources': sas.json: $schema 'acct/vhds/a.vhd' is not a product-ingestion schema " +
        '(https://schema.mp.microsoft.com/schema/…).',
    );
  });

  test('files on the retired schema host: one line says so, right after the API line', async () => {
    for (const name of ['a.json', 'b.json']) {
      writeFileSync(
        join(workspace, name),
        JSON.stringify({
          $schema: 'https://product-ingestion.azureedge.net/schema/listing/2022-07-01',
        }),
      );
    }
    const r = fakeRunner({ ...ingestion, resources: 'a.json\nb.json' });
    await run({
      runner: r.runner,
      dispatcher: agent,
      env: { GITHUB_WORKSPACE: workspace },
      ...clock(),
    });
    const api = r.log.indexOf('API: product-ingestion (api: product-ingestion).');
    expect(r.log[api + 1]).toBe(
      'resources: 2 files name the retired schema host product-ingestion.azureedge.net ' +
        '(a.json, b.json); read as https://schema.mp.microsoft.com, which is what is sent.',
    );
    expect(r.log.filter((l) => l.includes('retired schema host'))).toHaveLength(1);
  });
});
