/**
 * `track: deployment`, end to end: consecutive runs of the action (in-process, harness.ts) against
 * the CPP simulator and a fake GitHub REST API on loopback (`GITHUB_API_URL`), as a scheduled check
 * runs them. The check's inputs are taken from the README's scheduled workflow, so the workflow
 * users copy is the one tested.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { startFakeGitHub, type FakeGitHub } from '../../simulator/github-server.js';
import { statusBody, type Scenario } from '../../simulator/scenarios.js';
import { SIMULATOR_DEFAULTS } from '../../simulator/server.js';
import { runAgainstSimulator, withSimulator, type Run } from './harness.js';

const SHA = '9fceb02d0ae598e95dc970b74767f19372d61af8';

/** The `with:` of the action's step in the README's scheduled workflow (`on.schedule`). */
function readmeScheduledCheck(): Record<string, string> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const [, block] of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const workflow = parse(block!) as {
      on?: { schedule?: unknown };
      jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    if (!workflow?.on?.schedule) continue;
    const step = workflow.jobs?.check?.steps?.find((s) =>
      s.uses?.includes('azure-marketplace-release'),
    );
    if (step?.with)
      return Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, String(v)]));
  }
  throw new Error('The README has no scheduled workflow with the action in its check job.');
}

let github: FakeGitHub;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(() => github.close());

const env = () => ({ GITHUB_API_URL: github.url, GITHUB_SHA: SHA });

/** The README's check, pointed at the simulators: the CPP API, and the fake GitHub's token. */
function checkInputs(): Record<string, string> {
  const {
    api: _api,
    'offer-id': _offer,
    'tenant-id': _t,
    'client-id': _c,
    ...rest
  } = readmeScheduledCheck();
  return { ...rest, 'github-token': github.token };
}

/** Running, then the preview ready, then live: one frame per scheduled run (`wait-until: none`). */
const movingOn: Scenario = {
  description: 'one step further each run',
  advance: 'per-read',
  frames: [
    statusBody('running', {
      displaydummycertify: { status: 'complete' },
      displaycertify: { status: 'inProgress', progress: 60 },
    }),
    statusBody(
      'running',
      {
        displaydummycertify: { status: 'complete' },
        displaycertify: { status: 'complete' },
        displayprovision: { status: 'complete' },
        displaypackage: { status: 'complete' },
        'publisher-signoff': { status: 'waitingForPublisherReview' },
      },
      { previewLinks: ['https://portal.azure.com/#create/contoso.contoso-vm-preview'] },
    ),
    statusBody(
      'succeeded',
      {
        displaydummycertify: { status: 'complete' },
        displaycertify: { status: 'complete' },
        displayprovision: { status: 'complete' },
        displaypackage: { status: 'complete' },
        'publisher-signoff': { status: 'complete' },
        live: { status: 'complete' },
      },
      {
        previewLinks: ['https://portal.azure.com/#create/contoso.contoso-vm-preview'],
        liveLinks: ['https://azuremarketplace.microsoft.com/marketplace/apps/contoso.contoso-vm'],
      },
    ),
  ].map((body) => ({ kind: 'body', body })),
};

const githubCalls = (from: number) =>
  github.requests.slice(from).map((r) => `${r.method} ${r.path}`);

describe('track: deployment', () => {
  test('the README check, run on a schedule: one deployment, a status per change, changed only when it moved', () =>
    withSimulator({ scenario: movingOn }, async (sim, run) => {
      const inputs = checkInputs();
      expect(inputs).toMatchObject({ 'wait-until': 'none', track: 'deployment' });
      const runs: Run[] = [];
      const calls: string[][] = [];
      for (let i = 0; i < 4; i++) {
        const from = github.requests.length;
        runs.push(await run(inputs, { env: env() }));
        calls.push(githubCalls(from));
      }
      expect(runs.map((r) => r.exitCode)).toEqual([0, 0, 0, 0]);
      expect(runs.map((r) => r.outputs.status)).toEqual([
        'running',
        'waitingForPublisherReview',
        'succeeded',
        'succeeded',
      ]);
      expect(runs.map((r) => r.outputs.changed)).toEqual(['true', 'true', 'true', 'false']);
      expect(runs.map((r) => r.outputs['previous-status'])).toEqual([
        '',
        'running',
        'waitingForPublisherReview',
        'succeeded',
      ]);

      // One deployment, three statuses (newest first), each description starting with the status.
      expect(github.deployments).toHaveLength(1);
      const [d] = github.deployments;
      expect(d!.body).toEqual({
        ref: SHA,
        environment: 'marketplace-contoso-vm',
        required_contexts: [],
        auto_merge: false,
        description: 'Marketplace publish of contoso-vm',
        payload: {
          api: 'cloud-partner-portal',
          publisher: 'contoso',
          offer: 'contoso-vm',
          'operation-id': SIMULATOR_DEFAULTS.operationId,
        },
      });
      expect(d!.statuses.map((s) => [s.state, s.description])).toEqual([
        ['success', 'succeeded: live'],
        [
          'in_progress',
          'waitingForPublisherReview: preview ready, waiting for the publisher sign-off',
        ],
        ['in_progress', 'running: Certification 60%'],
      ]);
      expect(d!.statuses.map((s) => s.environment_url)).toEqual([
        'https://azuremarketplace.microsoft.com/marketplace/apps/contoso.contoso-vm',
        'https://portal.azure.com/#create/contoso.contoso-vm-preview',
        undefined,
      ]);
      for (const s of d!.statuses) {
        expect(s.log_url).toBe('https://github.com/contoso/release/actions/runs/4242');
        expect(s.body.environment).toBe('marketplace-contoso-vm');
        expect(s.description.length).toBeLessThanOrEqual(140);
      }

      // At most 2 reads per offer per run; writes only on change.
      const deployments = '/repos/contoso/release/deployments';
      const statuses = `${deployments}/${d!.id}/statuses`;
      expect(calls).toEqual([
        [`GET ${deployments}`, `POST ${deployments}`, `POST ${statuses}`],
        [`GET ${deployments}`, `GET ${statuses}`, `POST ${statuses}`],
        [`GET ${deployments}`, `GET ${statuses}`, `POST ${statuses}`],
        [`GET ${deployments}`, `GET ${statuses}`],
      ]);
      expect(github.requests[0]!.query).toEqual({
        environment: 'marketplace-contoso-vm',
        per_page: '1',
      });
      expect(new Set(github.requests.map((r) => r.authorization))).toEqual(
        new Set([`Bearer ${github.token}`]),
      );
      // The summary says what the last run recorded, and links the environment.
      expect(runs[2]!.summary).toMatch(
        /<td><strong>Last run recorded<\/strong><\/td><td><code>waitingForPublisherReview<\/code>, since (just now|\d+ minutes? ago)<\/td>/,
      );
      expect(runs[2]!.summary).toContain(
        '<a href="https://github.com/contoso/release/deployments/marketplace-contoso-vm">marketplace-contoso-vm</a>',
      );
      expect(runs[0]!.summary).toContain('nothing yet: the first run for this environment');
      expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    }));

  test('a publish this step started makes a new deployment; a wait records each change once, not each poll', () =>
    withSimulator({ scenario: 'never-published' }, async (_, run) => {
      const inputs = { track: 'deployment', 'github-token': github.token };
      const first = await run({ ...inputs, publish: 'true' }, { env: env() });
      expect(first.exitCode).toBe(0);
      expect(github.deployments).toHaveLength(1);
      // Six reads on the way to the sign-off, two statuses: running, then the sign-off.
      expect(github.deployments[0]!.statuses.map((s) => s.description.split(':')[0])).toEqual([
        'waitingForPublisherReview',
        'running',
      ]);
      expect(github.deployments[0]!.payload['operation-id']).toBe(
        '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      );

      // Another publish (the simulator joins nothing: the offer waits at the sign-off) is not
      // started twice; the same deployment is updated only if the status moved.
      const second = await run({ ...inputs, 'wait-until': 'none' }, { env: env() });
      expect(second.outputs.changed).toBe('false');
      expect(github.deployments).toHaveLength(1);
    }));

  test("a timeout records nothing new: only the offer's own states are recorded", async () => {
    const stuck = await runAgainstSimulator(
      { scenario: 'stuck-in-certification' },
      {
        track: 'deployment',
        'github-token': github.token,
        timeout: '3s',
        'fail-on-timeout': 'false',
      },
      { env: env() },
    );
    expect(stuck.outputs['timed-out']).toBe('true');
    // One status: the one read state (running), not one per poll and nothing for the timeout.
    expect(github.deployments[0]!.statuses.map((s) => s.state)).toEqual(['in_progress']);
  });

  test('a 403 from GitHub only warns, naming the permission; the step result is unchanged', async () => {
    github.failWith = 403;
    const r = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { track: 'deployment', 'github-token': github.token },
      { env: env() },
    );
    expect(r.exitCode).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'succeeded', changed: '', 'previous-status': '' });
    const warnings = r.annotations.filter((a) => a.includes('deployments'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('permissions: deployments: write');
    expect(warnings[0]).toContain('fork');
    expect(r.summary).toContain('GitHub could not be read');
    // Read once, refused: nothing more asked of GitHub.
    expect(github.requests).toHaveLength(1);
  });

  test('a GitHub outage is retried briefly, then only warns', async () => {
    github.failWith = 503;
    const r = await runAgainstSimulator(
      { scenario: 'succeeded' },
      { track: 'deployment', 'github-token': github.token },
      { env: env() },
    );
    expect(r.exitCode).toBe(0);
    expect(r.outputs.changed).toBe('');
    expect(github.requests).toHaveLength(3);
  });

  test('several offers: each has its own environment, changed and previous-status', () =>
    withSimulator(
      {
        scenario: 'succeeded',
        offerIds: ['contoso-vm', 'contoso-app'],
        scenarioFor: { 'contoso-app': 'stuck-in-certification' },
      },
      async (_, run) => {
        const inputs = {
          track: 'deployment',
          'github-token': github.token,
          'wait-until': 'none',
          environment: '{publisher}-{offer}',
        };
        const first = await run(inputs, { env: env() });
        const second = await run(inputs, { env: env() });
        expect(first.outputs.changed).toBe('true');
        expect(second.outputs.changed).toBe('false');
        const offers = JSON.parse(second.outputs.offers!) as Record<
          string,
          Record<string, unknown>
        >;
        expect(offers['contoso-vm']).toMatchObject({
          changed: 'false',
          'previous-status': 'succeeded',
        });
        expect(offers['contoso-app']).toMatchObject({
          changed: 'false',
          'previous-status': 'running',
        });
        expect(github.deployments.map((d) => d.environment).sort()).toEqual([
          'contoso-contoso-app',
          'contoso-contoso-vm',
        ]);
      },
    ));
});
