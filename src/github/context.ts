/** The workflow run this step belongs to, from the variables the runner sets. */
export interface RunContext {
  owner: string;
  repo: string;
  /** The run's commit. */
  sha: string;
  runId: string;
  /** `https://github.com`, or a GitHub Enterprise server. */
  serverUrl: string;
  /** `https://api.github.com`, or the server's API. */
  apiUrl: string;
}

export function runContext(env: Record<string, string | undefined>): RunContext | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo) return undefined;
  return {
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
  };
}

export function runUrl(c: RunContext): string | undefined {
  return c.runId ? `${c.serverUrl}/${c.owner}/${c.repo}/actions/runs/${c.runId}` : undefined;
}

/** The environment's page: its deployments, newest first. */
export function environmentUrl(c: RunContext, environment: string): string {
  return `${c.serverUrl}/${c.owner}/${c.repo}/deployments/${encodeURIComponent(environment)}`;
}
