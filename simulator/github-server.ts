/**
 * A fake of the GitHub REST API's deployments and pull request comments on loopback: the action
 * takes its address from `GITHUB_API_URL`, as the runner sets it. Deployments and their statuses
 * are kept across runs of the action, newest first, as GitHub lists them; comments per issue,
 * oldest first and paged with a `Link` header, as GitHub lists them.
 */
import type { ServerResponse } from 'node:http';
import type { SeenRequest } from './common.js';
import { json, startHttp, type Exchange, type Intercept } from './service/http.js';

interface FakeDeployment {
  id: number;
  environment: string;
  ref: string;
  payload: Record<string, unknown>;
  created_at: string;
  statuses: FakeStatus[];
  /** The whole request body that created it. */
  body: Record<string, unknown>;
}

interface FakeStatus {
  id: number;
  state: string;
  description: string;
  environment_url?: string;
  log_url?: string;
  created_at: string;
  body: Record<string, unknown>;
}

export interface FakeUser {
  login: string;
  type: 'Bot' | 'User';
}

interface FakeComment {
  id: number;
  body: string;
  user: FakeUser;
  html_url: string;
  created_at: string;
  updated_at: string;
}

/**
 * What the token may do with pull requests (`permissions: pull-requests: …`): `none` is refused
 * every comment call, `read` may list but not write. Deployments are not affected.
 */
export type PullRequestsPermission = 'none' | 'read' | 'write';

export interface FakeGitHub {
  url: string;
  token: string;
  requests: SeenRequest[];
  deployments: FakeDeployment[];
  /** Each issue's (pull request's) comments, oldest first, kept across runs. */
  comments: Map<number, FakeComment[]>;
  /** The token's own user: the author of what it writes (the workflow token's bot by default). */
  user: FakeUser;
  permissions: { pullRequests: PullRequestsPermission };
  /** Answer every request with this status from now on (a refusal, an outage); undefined: serve. */
  failWith: number | undefined;
  /** A comment written by someone else (a person, another app), as it would be on GitHub. */
  addComment(issue: number, body: string, user?: FakeUser): FakeComment;
  close(): Promise<void>;
}

/** GitHub's answer to a token without the permission an endpoint needs. */
const NOT_ACCESSIBLE = 'Resource not accessible by integration';
const MAX_PER_PAGE = 100;

export async function startFakeGitHub(
  options: {
    owner?: string;
    repo?: string;
    token?: string;
    user?: FakeUser;
    permissions?: { pullRequests?: PullRequestsPermission };
    /** Answers a request before the fake routes it (a stall, an outage on one endpoint). */
    intercept?: Intercept;
  } = {},
): Promise<FakeGitHub> {
  const owner = options.owner ?? 'contoso';
  const repo = options.repo ?? 'release';
  const token = options.token ?? 'ghs_fakeGitHubToken0123456789';
  const started = performance.now();
  let nextId = 1000;
  const deployments: FakeDeployment[] = [];
  const http = await startHttp(
    { clock: () => performance.now() - started, intercept: options.intercept },
    route,
  );
  const state: FakeGitHub = {
    url: http.url,
    token,
    requests: http.requests,
    deployments,
    comments: new Map(),
    user: options.user ?? { login: 'github-actions[bot]', type: 'Bot' },
    permissions: { pullRequests: options.permissions?.pullRequests ?? 'write' },
    failWith: undefined,
    addComment: (issue, body, user = { login: 'octocat', type: 'User' }) =>
      addComment(issue, body, user),
    close: http.close,
  };
  return state;

  function addComment(issue: number, body: string, user: FakeUser): FakeComment {
    const now = new Date().toISOString();
    const id = nextId++;
    const comment: FakeComment = {
      id,
      body,
      user: { ...user },
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      created_at: now,
      updated_at: now,
    };
    const list = state.comments.get(issue) ?? [];
    list.push(comment);
    state.comments.set(issue, list);
    return comment;
  }

  /** `GET …/issues/{n}/comments`: one page, and a `Link` header to the others, as GitHub pages. */
  function listComments(res: ServerResponse, url: URL, issue: number): void {
    const all = state.comments.get(issue) ?? [];
    const perPage = Math.min(
      MAX_PER_PAGE,
      Math.max(1, Number(url.searchParams.get('per_page') ?? '30') || 30),
    );
    const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number, rel: string) => {
      const to = new URL(url.pathname, state.url);
      to.searchParams.set('per_page', String(perPage));
      to.searchParams.set('page', String(n));
      return `<${to.href}>; rel="${rel}"`;
    };
    const rels = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
    ];
    return json(
      res,
      200,
      all.slice((page - 1) * perPage, page * perPage),
      rels.length ? { link: rels.join(', ') } : {},
    );
  }

  /** The three comment endpoints; false when the request is none of them. */
  function routeComments({ req, res, url, seen }: Exchange): boolean {
    const base = `/repos/${owner}/${repo}/issues`;
    const list = new RegExp(`^${base}/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^${base}/comments/(\\d+)$`).exec(url.pathname);
    if (!list && !one) return false;
    const allowed = state.permissions.pullRequests;
    const write = req.method !== 'GET';
    if (allowed === 'none' || (write && allowed !== 'write')) {
      json(res, 403, {
        message: NOT_ACCESSIBLE,
        documentation_url: 'https://docs.github.com/rest/issues/comments',
        status: '403',
      });
      return true;
    }
    if (list && req.method === 'GET') {
      listComments(res, url, Number(list[1]));
      return true;
    }
    const body = write ? (JSON.parse(seen.body ?? '{}') as Record<string, unknown>) : {};
    if (write && typeof body.body !== 'string') {
      json(res, 422, { message: 'Invalid request.\n\n"body" wasn\'t supplied.' });
      return true;
    }
    if (list && req.method === 'POST') {
      json(res, 201, addComment(Number(list[1]), String(body.body), state.user));
      return true;
    }
    const found = one && [...state.comments.values()].flat().find((c) => c.id === Number(one[1]));
    if (found && req.method === 'PATCH') {
      found.body = String(body.body);
      found.updated_at = new Date().toISOString();
      json(res, 200, found);
      return true;
    }
    json(res, 404, { message: 'Not Found' });
    return true;
  }

  function route(exchange: Exchange): void {
    const { req, res, url, seen } = exchange;
    if (state.failWith) {
      return json(res, state.failWith, {
        message: state.failWith === 403 ? 'Resource not accessible by integration' : 'Server Error',
      });
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, { message: 'Bad credentials' });
    }
    if (routeComments(exchange)) return;
    const prefix = `/repos/${owner}/${repo}/deployments`;
    const now = new Date().toISOString();
    if (url.pathname === prefix && req.method === 'GET') {
      const env = url.searchParams.get('environment');
      const perPage = Number(url.searchParams.get('per_page') ?? '30');
      const list = state.deployments
        .filter((d) => env === null || d.environment === env)
        .slice(0, perPage)
        .map(({ statuses: _s, body: _b, ...d }) => d);
      return json(res, 200, list);
    }
    if (url.pathname === prefix && req.method === 'POST') {
      const body = JSON.parse(seen.body ?? '{}') as Record<string, unknown>;
      const d: FakeDeployment = {
        id: nextId++,
        environment: String(body.environment ?? 'production'),
        ref: String(body.ref ?? ''),
        payload: (body.payload as Record<string, unknown>) ?? {},
        created_at: now,
        statuses: [],
        body,
      };
      state.deployments.unshift(d);
      const { statuses: _s, body: _b, ...shown } = d;
      return json(res, 201, shown);
    }
    const match = new RegExp(`^${prefix}/(\\d+)/statuses$`).exec(url.pathname);
    const deployment = match && state.deployments.find((d) => d.id === Number(match[1]));
    if (match && !deployment) return json(res, 404, { message: 'Not Found' });
    if (deployment && req.method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? '30');
      return json(
        res,
        200,
        deployment.statuses.slice(0, perPage).map(({ body: _b, ...s }) => s),
      );
    }
    if (deployment && req.method === 'POST') {
      const body = JSON.parse(seen.body ?? '{}') as Record<string, unknown>;
      const s: FakeStatus = {
        id: nextId++,
        state: String(body.state),
        description: String(body.description ?? ''),
        ...(typeof body.environment_url === 'string'
          ? { environment_url: body.environment_url }
          : {}),
        ...(typeof body.log_url === 'string' ? { log_url: body.log_url } : {}),
        created_at: now,
        body,
      };
      deployment.statuses.unshift(s);
      const { body: _b, ...shown } = s;
      return json(res, 201, shown);
    }
    return json(res, 404, { message: 'Not Found' });
  }
}
