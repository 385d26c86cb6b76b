/**
 * A fake of the GitHub REST API's deployments on loopback: the action takes its address from
 * `GITHUB_API_URL`, as the runner sets it. Deployments and their statuses are kept across runs of
 * the action, newest first, as GitHub lists them.
 */
import type { SeenRequest } from './common.js';
import { json, startHttp, type Exchange } from './service/http.js';

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

export interface FakeGitHub {
  url: string;
  token: string;
  requests: SeenRequest[];
  deployments: FakeDeployment[];
  /** Answer every request with this status from now on (a refusal, an outage); undefined: serve. */
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startFakeGitHub(
  options: { owner?: string; repo?: string; token?: string } = {},
): Promise<FakeGitHub> {
  const owner = options.owner ?? 'contoso';
  const repo = options.repo ?? 'release';
  const token = options.token ?? 'ghs_fakeGitHubToken0123456789';
  const started = performance.now();
  let nextId = 1000;
  const deployments: FakeDeployment[] = [];
  const http = await startHttp({ clock: () => performance.now() - started }, route);
  const state: FakeGitHub = {
    url: http.url,
    token,
    requests: http.requests,
    deployments,
    failWith: undefined,
    close: http.close,
  };
  return state;

  function route({ req, res, url, seen }: Exchange): void {
    if (state.failWith) {
      return json(res, state.failWith, {
        message: state.failWith === 403 ? 'Resource not accessible by integration' : 'Server Error',
      });
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, { message: 'Bad credentials' });
    }
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
