/**
 * What only a process shows: the bundle (`dist/index.js`, `npm run bundle` first) started as the
 * runner starts it, on Node 24, with `INPUT_*` variables, its files and a minimal environment. Its
 * entry's signals, the masks the runner reads from its real stdout, the runner's files and
 * environment, and the sign-in code the bundle loads on demand. Every other end-to-end test runs
 * the same `run()` in-process (harness.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { startFakeGitHub } from '../../simulator/github-server.js';
import { DIST_ENTRY, runAction } from '../../simulator/run-action.js';
import { statusBody, type Frame } from '../../simulator/scenarios.js';
import { SIMULATOR_DEFAULTS, startSimulator } from '../../simulator/server.js';
import { entraToken, loopbackCertificate, startFakeEntra } from '../auth/helpers/fake-entra.js';
import { failure, runAgainstSimulator, withSimulator, type Run } from './harness.js';

const bundle = { bundle: true } as const;

beforeAll(() => {
  if (!existsSync(DIST_ENTRY)) throw new Error('Run `npm run bundle` before the e2e tests.');
});

/** Sends `signal` once `when` holds (checked every 20 ms); gives the time it was sent. */
function signalWhen(signal: NodeJS.Signals, when: (sim: Run['sim']) => boolean, sent: number[]) {
  return (pid: number, sim: Run['sim']) => {
    const timer = setInterval(() => {
      if (!when(sim)) return;
      clearInterval(timer);
      sent.push(performance.now());
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }, 20);
    setTimeout(() => clearInterval(timer), 20_000).unref();
  };
}

describe('the entry', () => {
  test('dist/index.js, the entry action.yml names, starts on Node 24 and follows an offer to its end', async () => {
    const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
      runs: { using: string; main: string };
    };
    expect(action.runs.using).toBe('node24');
    expect(resolve(action.runs.main)).toBe(DIST_ENTRY);
    // The bundle is started with this Node (`process.execPath`): the one the runner would use.
    expect(process.versions.node.split('.')[0]).toBe('24');
    const run = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { 'wait-until': 'completion' },
      bundle,
    );
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.outputs.status).toBe('succeeded');
  });

  test('SIGINT while a read hangs: the read is aborted, the summary and outputs are written, it exits by itself within seconds', async () => {
    const running: Frame = {
      kind: 'body',
      body: statusBody('running', { displaycertify: { status: 'inProgress' } }),
    };
    const sent: number[] = [];
    const run = await runAgainstSimulator(
      {
        scenario: {
          description: 'hang',
          advance: 'per-read',
          frames: [running, { kind: 'stall' }],
        },
      },
      { 'wait-until': 'completion', timeout: '1h', 'request-timeout': '5m' },
      { ...bundle, onSpawn: signalWhen('SIGINT', (sim) => sim.statusReads() >= 2, sent) },
    );
    expect(performance.now() - sent[0]!).toBeLessThan(3000);
    expect(run.signal).toBeNull();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Received SIGINT: stopping the wait');
    expect(run.outputs.status).toBe('running');
    expect(run.summary).toContain('The workflow was cancelled; this is what was seen until then.');
    expect(run.sim.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  test('SIGTERM after the publish was sent: it stops, says the publish goes on, and cancels nothing', async () => {
    const sent: number[] = [];
    const run = await runAgainstSimulator(
      { scenario: 'never-published' },
      { publish: 'true', 'poll-interval': '30s' },
      {
        ...bundle,
        onSpawn: signalWhen(
          'SIGTERM',
          (sim) =>
            sim.requests.some((r) => r.method === 'POST') && sim.requests.at(-1)?.method === 'GET',
          sent,
        ),
      },
    );
    expect(performance.now() - sent[0]!).toBeLessThan(5000);
    expect(run.signal).toBeNull();
    expect(run.stdout).toContain('Received SIGTERM: stopping the wait');
    expect(run.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(run.sim.requests.some((r) => r.path.endsWith('/cancel'))).toBe(false);
    expect(failure(run)).toMatch(
      /The workflow was cancelled.*This step started: publish at .*; it goes on, nothing was cancelled\./,
    );
  });
});

describe("the runner's stdout, files and environment", () => {
  test('the token is masked before anything is printed, and is in no other line, file or stream', async () => {
    const token = SIMULATOR_DEFAULTS.token;
    const foreign = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJjcHAifQ.c2lnbmF0dXJl';
    // The service echoes the token (and another) in an error body.
    const echo: Frame = {
      kind: 'http',
      status: 400,
      body: `{"error":{"code":"Debug","message":"request had Authorization: Bearer ${token} and x-ms-token ${foreign}"}}`,
    };
    const run = await runAgainstSimulator(
      { scenario: { description: 'echo', advance: 'per-read', frames: [echo] } },
      {},
      bundle,
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${token}`);
    const carriers = run.stdout.split('\n').filter((l) => l.includes(token) || l.includes(foreign));
    expect(new Set(carriers)).toEqual(new Set([`::add-mask::${token}`]));
    expect(failure(run)).toContain('request had Authorization: Bearer *** and x-ms-token ***');
    for (const text of [run.stderr, run.summary, JSON.stringify(run.outputs)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(foreign);
    }
  });

  test('outputs reach GITHUB_OUTPUT (multi-line values whole), the summary GITHUB_STEP_SUMMARY, with the run link from the environment', async () => {
    const sim = await startSimulator({ scenario: 'publish-to-live' });
    try {
      const run = await runAction({
        inputs: {
          'publisher-id': sim.publisherId,
          'offer-id': sim.offerId,
          'access-token': sim.token,
          'base-url': sim.url,
          'wait-until': 'none',
        },
        env: { GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '77' },
        keepFiles: true,
      });
      try {
        expect(run.exitCode).toBe(0);
        const file = readFileSync(run.outputPath, 'utf8');
        // Each output as a `name<<delimiter` block, as @actions/core writes them.
        expect(file).toMatch(/^status<<ghadelimiter_[\w-]+\nrunning\nghadelimiter_[\w-]+$/m);
        const steps = JSON.parse(run.outputs.steps!) as { id: string }[];
        expect(steps.map((s) => s.id)).toContain('displaydummycertify');
        expect(run.outputs['timed-out']).toBe('false');
        expect(readFileSync(run.summaryPath, 'utf8')).toBe(run.summary);
        expect(run.summary).toContain('The offer was read once, as wait-until: none asks.');
        expect(run.summary).toContain(
          'href="https://github.example/contoso/release/actions/runs/77"',
        );
        // Nothing of the outputs or the summary on stdout.
        expect(run.stdout).not.toContain('ghadelimiter');
        expect(run.stdout).not.toContain('<h2');
      } finally {
        rmSync(join(run.summaryPath, '..'), { recursive: true, force: true });
      }
    } finally {
      await sim.close();
    }
  });

  test("track: deployment reads GitHub's address, commit and run from the runner's environment", async () => {
    const github = await startFakeGitHub();
    try {
      await withSimulator({ scenario: 'succeeded' }, async (_, run) => {
        const r = await run(
          { track: 'deployment', 'github-token': github.token, 'wait-until': 'none' },
          {
            ...bundle,
            env: {
              GITHUB_API_URL: github.url,
              GITHUB_SHA: '9fceb02d0ae598e95dc970b74767f19372d61af8',
            },
          },
        );
        expect(r.exitCode).toBe(0);
        expect(github.deployments).toHaveLength(1);
        const [d] = github.deployments;
        expect(d!.ref).toBe('9fceb02d0ae598e95dc970b74767f19372d61af8');
        expect(d!.statuses.map((s) => s.log_url)).toEqual([
          'https://github.com/contoso/release/actions/runs/4242',
        ]);
        expect(r.outputs.changed).toBe('true');
      });
    } finally {
      await github.close();
    }
  });
});

describe('sign-in', () => {
  const TENANT = '11111111-2222-3333-4444-555555555555';
  const SECRET = 'Zq8~process-client-secret';
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'cpp-process-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('client-secret: the bundle loads @azure/identity on demand and signs in against Entra it trusts through NODE_EXTRA_CA_CERTS', async () => {
    const certificate = loopbackCertificate(dir);
    const entra = await startFakeEntra({ tenant: TENANT, certificate });
    try {
      const run = await runAgainstSimulator(
        { scenario: 'succeeded', token: entraToken(1) },
        {
          'access-token': '',
          'tenant-id': TENANT,
          'client-id': '00000000-0000-0000-0000-00000000c11e',
          'client-secret': SECRET,
          'authority-host': entra.authorityHost,
        },
        { ...bundle, env: { NODE_EXTRA_CA_CERTS: certificate.certPath } },
      );
      expect(run.exitCode).toBe(0);
      expect(entra.tokenRequests()).toHaveLength(1);
      expect(new Set(run.sim.requests.map((q) => q.authorization))).toEqual(
        new Set([`Bearer ${entraToken(1)}`]),
      );
      const masked = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('::add-mask::'))
        .map((l) => l.slice(12));
      expect(masked).toEqual(expect.arrayContaining([SECRET, entraToken(1)]));
      for (const secret of [SECRET, entraToken(1)]) {
        expect(run.log).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    } finally {
      await entra.close();
    }
  });
});
