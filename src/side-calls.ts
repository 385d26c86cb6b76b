/**
 * The step's calls to GitHub beside the publish: each offer's deployment (`track: deployment`)
 * and the plan as one pull request comment (`comment: true`). They stop with the step, at
 * cancellation and the deadline, and a failure is a warning, never the step's result.
 */
import type { Dispatcher } from 'undici';
import { API_PROFILES } from './adapters/index.js';
import { planCommentMarker, renderPlanComment } from './core/comment.js';
import { environmentName } from './core/deployment.js';
import type { OfferOutcome } from './core/outcome.js';
import { postPlanComment, pullRequestNumber } from './github/comment.js';
import { runContext } from './github/context.js';
import { DeploymentTracker } from './github/deployments.js';
import type { Redactor } from './github/redact.js';
import type { Runner } from './github/runner.js';
import { HttpClient } from './http/client.js';
import type { Settings } from './inputs/index.js';

export interface SideCalls {
  env: Record<string, string | undefined>;
  /** GitHub's REST API with `github-token`; none without a token. */
  github: HttpClient | undefined;
  signal: AbortSignal;
  deadline: number;
  now: () => number;
}

/** GitHub's REST API with the workflow's token, on the same HTTP layer as the publishing APIs. */
export function gitHubClient(
  settings: Settings,
  dispatcher: Dispatcher | undefined,
  now: () => number,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
): HttpClient {
  const token = settings.githubToken;
  return new HttpClient({
    tokens: { renewable: false, token: async () => token },
    dispatcher,
    requestTimeoutMs: settings.requestTimeoutMs,
    retryMinDelayMs: 500,
    retryMaxDelayMs: 2_000,
    now,
    sleep,
    headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
  });
}

/**
 * `comment: true`: the plan as one comment on the pull request the run is for, updated in place.
 * Outside a pull request, or without what GitHub needs, it says so and the plan stays in the
 * summary; a failure to write it is a warning, never the step's result.
 */
export async function commentPlan(
  settings: Settings,
  outcomes: OfferOutcome[],
  runner: Runner,
  redactor: Redactor,
  side: SideCalls,
): Promise<void> {
  const pr = pullRequestNumber(side.env);
  if (pr === undefined) {
    runner.info(
      `comment: true, but this run is not for a pull request (event ${side.env.GITHUB_EVENT_NAME || 'unknown'}): no comment; the plan is in the job summary.`,
    );
    return;
  }
  const context = runContext(side.env);
  if (!context || !side.github) {
    runner.warning(
      `comment: true needs ${context ? 'the github-token input (default: github.token)' : 'GITHUB_REPOSITORY, which the Actions runner sets'}; the plan is in the job summary.`,
    );
    return;
  }
  const marker = planCommentMarker(settings.offerIds);
  const body = renderPlanComment({
    outcomes,
    dryRun: settings.dryRun,
    runUrl: await runner.runUrl(),
    marker,
  });
  await postPlanComment({
    http: side.github,
    context,
    prNumber: pr,
    // The summary's rule: no secret the runner masks, no token a service echoed.
    body: redactor.redact(body),
    marker,
    warning: (message) => runner.warning(message),
    info: (message) => runner.info(message),
    signal: side.signal,
    deadline: side.deadline,
    now: side.now,
  });
}

/**
 * With `track: deployment`, a function that makes each offer's tracker; none when the run's
 * context or a token is missing (one warning says so: the step goes on without memory).
 */
export function deploymentTrackers(settings: Settings, runner: Runner, side: SideCalls) {
  const { env, github: http, signal, deadline, now } = side;
  if (settings.track !== 'deployment') return undefined;
  const context = runContext(env);
  if (!context || !http) {
    runner.warning(
      `track: deployment needs ${context ? 'the github-token input (default: github.token)' : 'GITHUB_REPOSITORY, which the Actions runner sets'}; the offers' states are not recorded.`,
    );
    return undefined;
  }
  const api = API_PROFILES[settings.api].name;
  return (offerId: string, log: Runner) =>
    new DeploymentTracker({
      http,
      context,
      environment: environmentName(settings.environment, {
        offerId,
        publisherId: settings.publisherId,
      }),
      api,
      publisherId: settings.publisherId,
      offerId,
      failOn: settings.failOn,
      warning: (message) => log.warning(message),
      info: (message) => log.info(message),
      signal,
      deadline,
      now,
    });
}
