/**
 * The plan comment written through GitHub's REST API, against the fake GitHub: created once, then
 * updated in place; another step's comment left alone; a refusal, a stall or a cancellation is
 * one line and never a thrown error. And the pull request a run is for.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { Agent } from 'undici';
import { planCommentMarker } from '../../src/core/comment.js';
import {
  postPlanComment,
  pullRequestNumber,
  type PlanCommentOptions,
} from '../../src/github/comment.js';
import { HttpClient } from '../../src/http/client.js';
import { startFakeGitHub, type FakeGitHub } from '../../simulator/github-server.js';

let github: FakeGitHub | undefined;
let agent: Agent | undefined;
afterEach(async () => {
  await github?.close();
  await agent?.close();
  github = undefined;
  agent = undefined;
});

const PR = 12;
const MARKER = planCommentMarker(['contoso-vm']);
const COMMENTS = `/repos/contoso/release/issues/${PR}/comments`;
const PERMISSION = 'permissions: pull-requests: write';

/** The writer's options against `gh`, with what it says kept in `said`. */
function writer(gh: FakeGitHub, options: Partial<PlanCommentOptions> = {}) {
  const said: string[] = [];
  agent ??= new Agent();
  const http = new HttpClient({
    tokens: { renewable: false, token: async () => gh.token },
    dispatcher: agent,
    retryMinDelayMs: 10,
    retryMaxDelayMs: 20,
    headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
  });
  const write = (body: string, more: Partial<PlanCommentOptions> = {}) =>
    postPlanComment({
      http,
      context: {
        owner: 'contoso',
        repo: 'release',
        sha: 'abc123',
        runId: '7',
        serverUrl: 'https://github.com',
        apiUrl: gh.url,
      },
      prNumber: PR,
      body,
      marker: MARKER,
      warning: (m) => said.push(`warning ${m}`),
      info: (m) => said.push(`info ${m}`),
      ...options,
      ...more,
    });
  return { write, said };
}

const seen = (gh: FakeGitHub) =>
  gh.requests.map((r) => `${r.method} ${r.path}${r.query.page ? ` page=${r.query.page}` : ''}`);

describe('postPlanComment', () => {
  test('creates the comment, then updates it in place: one comment, the latest plan', async () => {
    github = await startFakeGitHub();
    const { write, said } = writer(github);
    const first = await write(`${MARKER}\n\nfirst plan`);
    expect(first).toMatchObject({ action: 'created' });
    const second = await write(`${MARKER}\n\nsecond plan`);
    expect(second).toMatchObject({ action: 'updated', id: first!.id });
    const comments = github.comments.get(PR)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({
      body: `${MARKER}\n\nsecond plan`,
      user: { login: 'github-actions[bot]' },
    });
    expect(seen(github)).toEqual([
      `GET ${COMMENTS} page=1`,
      `POST ${COMMENTS}`,
      `GET ${COMMENTS} page=1`,
      `PATCH /repos/contoso/release/issues/comments/${first!.id}`,
    ]);
    expect(said).toEqual([
      `info Wrote the plan comment on pull request #12: ${first!.url}.`,
      `info Updated the plan comment on pull request #12: ${first!.url}.`,
    ]);
    // The same plan again: nothing to write.
    expect(await write(`${MARKER}\n\nsecond plan`)).toMatchObject({ action: 'unchanged' });
    expect(github.requests.at(-1)?.method).toBe('GET');
  });

  test('the marker leads even when the body lacks it, so the next run finds the comment', async () => {
    github = await startFakeGitHub();
    const { write } = writer(github);
    await write('a plan');
    await write('another plan');
    expect(github.comments.get(PR)!.map((c) => c.body)).toEqual([`${MARKER}\n\nanother plan`]);
  });

  test("other steps' comments and people's are left alone; the bot's own is updated", async () => {
    github = await startFakeGitHub();
    const other = planCommentMarker(['contoso-vm', 'contoso-saas']);
    const theirs = github.addComment(PR, `${other}\n\nthe other step's plan`, github.user);
    const person = github.addComment(PR, 'Looks good, but see `contoso-vm`.');
    const quoted = github.addComment(PR, `> ${MARKER}\n> quoted by a person`);
    const ours = github.addComment(PR, `${MARKER}\n\nold plan`, github.user);
    // A person who copied the marker after: still the bot's comment is the one.
    const copied = github.addComment(PR, `${MARKER}\n\ncopied`, { login: 'mallory', type: 'User' });
    const { write } = writer(github);
    expect(await write(`${MARKER}\n\nnew plan`)).toMatchObject({ action: 'updated', id: ours.id });
    const bodies = new Map(github.comments.get(PR)!.map((c) => [c.id, c.body]));
    expect(bodies.get(ours.id)).toBe(`${MARKER}\n\nnew plan`);
    expect(bodies.get(theirs.id)).toBe(`${other}\n\nthe other step's plan`);
    expect(bodies.get(person.id)).toBe('Looks good, but see `contoso-vm`.');
    expect(bodies.get(quoted.id)).toBe(`> ${MARKER}\n> quoted by a person`);
    expect(bodies.get(copied.id)).toBe(`${MARKER}\n\ncopied`);
  });

  test('several marked comments: the newest by the author asked for', async () => {
    github = await startFakeGitHub();
    const app = { login: 'release-app[bot]', type: 'Bot' } as const;
    const older = github.addComment(PR, `${MARKER}\n\n1`, app);
    github.addComment(PR, `${MARKER}\n\n2`, github.user);
    const newer = github.addComment(PR, `${MARKER}\n\n3`, app);
    const { write } = writer(github, { author: app.login });
    expect(await write(`${MARKER}\n\n4`)).toMatchObject({ id: newer.id });
    expect(github.comments.get(PR)!.find((c) => c.id === older.id)?.body).toBe(`${MARKER}\n\n1`);
  });

  test('follows the pages to find the comment among many', async () => {
    github = await startFakeGitHub();
    for (let i = 0; i < 230; i++) github.addComment(PR, `comment ${i}`);
    const ours = github.addComment(PR, `${MARKER}\n\nold`, github.user);
    for (let i = 0; i < 20; i++) github.addComment(PR, `later ${i}`);
    const { write } = writer(github);
    expect(await write(`${MARKER}\n\nnew`)).toMatchObject({ action: 'updated', id: ours.id });
    expect(seen(github)).toEqual([
      `GET ${COMMENTS} page=1`,
      `GET ${COMMENTS} page=2`,
      `GET ${COMMENTS} page=3`,
      `PATCH /repos/contoso/release/issues/comments/${ours.id}`,
    ]);
    expect(github.comments.get(PR)).toHaveLength(251);
  });

  test('the fake pages as GitHub does: a Link header to the next and last pages', async () => {
    github = await startFakeGitHub();
    for (let i = 0; i < 250; i++) github.addComment(PR, `comment ${i}`);
    const get = (query: string) =>
      fetch(`${github!.url}${COMMENTS}?${query}`, {
        headers: { authorization: `Bearer ${github!.token}` },
      });
    const first = await get('per_page=100');
    expect(((await first.json()) as unknown[]).length).toBe(100);
    expect(first.headers.get('link')).toBe(
      `<${github.url}${COMMENTS}?per_page=100&page=2>; rel="next", ` +
        `<${github.url}${COMMENTS}?per_page=100&page=3>; rel="last"`,
    );
    const last = await get('per_page=100&page=3');
    expect(((await last.json()) as unknown[]).length).toBe(50);
    expect(last.headers.get('link')).not.toContain('rel="next"');
  });

  test('reads at most 10 pages: past them, a new comment rather than an endless read', async () => {
    github = await startFakeGitHub();
    for (let i = 0; i < 1100; i++) github.addComment(PR, `comment ${i}`);
    github.addComment(PR, `${MARKER}\n\nold`, github.user);
    const { write } = writer(github);
    expect(await write(`${MARKER}\n\nnew`)).toMatchObject({ action: 'created' });
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(10);
  });

  test.each([
    ['none', ['GET']],
    ['read', ['GET', 'POST']],
  ] as const)(
    'pull-requests: %s → one warning naming the permission; deployments still work',
    async (permission, methods) => {
      github = await startFakeGitHub({ permissions: { pullRequests: permission } });
      const { write, said } = writer(github);
      await expect(write(`${MARKER}\n\nplan`)).resolves.toBeUndefined();
      expect(github.requests.map((r) => r.method)).toEqual(methods);
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(/^warning Could not write the plan comment on pull request #12: /);
      expect(said[0]).toContain('HTTP 403');
      expect(said[0]).toContain('Resource not accessible by integration');
      expect(said[0]).toContain(PERMISSION);
      expect(said[0]).toContain('a pull request from a fork gets a read-only token');
      expect(said[0]).toContain('The plan is in the job summary');
      expect(said[0]).not.toMatch(/\n/);
      expect(github.comments.get(PR)).toBeUndefined();
      const deployments = await fetch(`${github.url}/repos/contoso/release/deployments`, {
        headers: { authorization: `Bearer ${github.token}` },
      });
      expect(deployments.status).toBe(200);
    },
  );

  test('any other failure is a warning without the permission hint', async () => {
    github = await startFakeGitHub();
    github.failWith = 500;
    const { write, said } = writer(github);
    await expect(write(`${MARKER}\n\nplan`)).resolves.toBeUndefined();
    expect(said).toEqual([
      expect.stringMatching(/^warning Could not write the plan comment .*HTTP 500/),
    ]);
    expect(said[0]).not.toContain(PERMISSION);
  });

  test('a comment deleted since it was listed is made again', async () => {
    github = await startFakeGitHub({
      intercept: ({ method }) =>
        method === 'PATCH'
          ? { kind: 'http', status: 404, body: '{"message":"Not Found"}' }
          : undefined,
    });
    github.addComment(PR, `${MARKER}\n\nold`, github.user);
    const { write, said } = writer(github);
    expect(await write(`${MARKER}\n\nnew`)).toMatchObject({ action: 'created' });
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'POST']);
    expect(said).toEqual([expect.stringMatching(/^info Wrote the plan comment/)]);
  });

  test('a stalled GitHub is left at the deadline, said plainly, not as a GitHub failure', async () => {
    github = await startFakeGitHub({ intercept: () => ({ kind: 'stall' }) });
    const { write, said } = writer(github);
    const started = performance.now();
    await expect(
      write(`${MARKER}\n\nplan`, { deadline: Date.now() + 300 }),
    ).resolves.toBeUndefined();
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2_000);
    expect(said).toEqual([
      'info Not writing the plan comment on pull request #12: the step ran out of time (timeout).',
    ]);
  });

  test('past the deadline, or cancelled, GitHub is not asked at all', async () => {
    github = await startFakeGitHub();
    const { write, said } = writer(github);
    await write('plan', { deadline: Date.now() - 1 });
    const controller = new AbortController();
    controller.abort();
    await write('plan', { signal: controller.signal });
    expect(github.requests).toEqual([]);
    expect(said).toEqual([
      'info Not writing the plan comment on pull request #12: the step ran out of time (timeout).',
      'info Not writing the plan comment on pull request #12: the step was cancelled.',
    ]);
  });

  test('a cancellation during a stalled call ends it at once', async () => {
    github = await startFakeGitHub({ intercept: () => ({ kind: 'stall' }) });
    const controller = new AbortController();
    const { write, said } = writer(github, { signal: controller.signal });
    const writing = write(`${MARKER}\n\nplan`);
    while (github.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const abortedAt = performance.now();
    controller.abort();
    await expect(writing).resolves.toBeUndefined();
    expect(performance.now() - abortedAt).toBeLessThan(500);
    expect(said).toEqual([
      'info Not writing the plan comment on pull request #12: the step was cancelled.',
    ]);
  });
});

describe('pullRequestNumber', () => {
  const event = (json: string) => () => json;

  test.each(['pull_request', 'pull_request_target'])(
    '%s: the event’s pull_request.number',
    (name) => {
      const env = {
        GITHUB_EVENT_NAME: name,
        GITHUB_EVENT_PATH: '/e.json',
        GITHUB_REF: 'refs/heads/main',
      };
      expect(pullRequestNumber(env, event('{"pull_request":{"number":42}}'))).toBe(42);
    },
  );

  test('else the refs/pull/<n>/merge ref', () => {
    expect(pullRequestNumber({ GITHUB_REF: 'refs/pull/7/merge' }, event('{}'))).toBe(7);
    // An unreadable event file: the ref still names it.
    const unreadable = () => {
      throw new Error('ENOENT');
    };
    const env = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: '/e.json',
      GITHUB_REF: 'refs/pull/9/merge',
    };
    expect(pullRequestNumber(env, unreadable)).toBe(9);
    expect(pullRequestNumber(env, event('not json'))).toBe(9);
  });

  test.each([
    [
      'a push',
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' },
      '{"pull_request":{"number":1}}',
    ],
    [
      'no number',
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/e.json' },
      '{"pull_request":{}}',
    ],
    [
      'a bad number',
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/e.json' },
      '{"pull_request":{"number":"1; rm"}}',
    ],
    ['another ref', { GITHUB_REF: 'refs/pull/7/head' }, '{}'],
    ['nothing', {}, '{}'],
  ])('undefined for %s', (_, env, json) => {
    expect(pullRequestNumber(env, event(json))).toBeUndefined();
  });

  test('reads the event file the runner wrote', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const path = join(await mkdtemp(join(tmpdir(), 'event-')), 'event.json');
    await writeFile(path, JSON.stringify({ action: 'synchronize', pull_request: { number: 23 } }));
    expect(pullRequestNumber({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })).toBe(
      23,
    );
  });
});
