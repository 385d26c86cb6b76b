/**
 * The action's flow: read the inputs, sign in, follow each offer (side by side when there are
 * several), and at the end — whatever the end — set outputs, write the job summary, and fail the
 * step when it should. The only module that knows all the others; each does its own part.
 */
import { resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { API_PROFILES } from './adapters/index.js';
import { AuthError, createTokenSource } from './auth/index.js';
import { formatDuration } from './core/duration.js';
import type { OfferOutcome } from './core/outcome.js';
import type { End } from './core/end.js';
import { failsStep } from './core/stop-rules.js';
import { SeenMessages } from './core/changes.js';
import { environmentName } from './core/deployment.js';
import { bounded, prefixed } from './github/bounded.js';
import { planCommentMarker, renderPlanComment } from './core/comment.js';
import { postPlanComment, pullRequestNumber } from './github/comment.js';
import { runContext } from './github/context.js';
import { DeploymentTracker } from './github/deployments.js';
import { Redactor } from './github/redact.js';
import { actionsRunner, redacting, type Runner } from './github/runner.js';
import { finish } from './finish.js';
import { exportStep } from './offer/export.js';
import { followOffer } from './offer/follow.js';
import { HttpClient } from './http/client.js';
import { Gate } from './http/gate.js';
import { sleep } from './http/sleep.js';
import { sasUris } from './core/configure/vm-image.js';
import type { FileResource } from './core/configure/types.js';
import {
  InputError,
  SECRET_INPUTS,
  parseOfferIds,
  readAuthSettings,
  readSettings,
  type Settings,
} from './inputs/index.js';
import { readResourceFiles, resourcesByOffer } from './inputs/resource-files.js';

export interface MainDeps {
  runner: Runner;
  now?: () => number;
  /** Sleeps `ms`, or less if `signal` aborts first. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  dispatcher?: Dispatcher;
  /** The process environment (auth reads the runner's OIDC and identity variables). */
  env?: Record<string, string | undefined>;
  /** Aborts when the workflow is cancelled: the wait stops, the summary is still written. */
  cancel?: AbortSignal;
  /** A signal that aborts `ms` from now, on the `now` clock (default `AbortSignal.timeout`). */
  timeout?: (ms: number) => AbortSignal;
}

/** Requests to the service in flight at most, however many offers are followed. */
const MAX_IN_FLIGHT = 4;

/** Without deps (as @github/local-action calls it): the Actions runner, real time, the real network. */
export async function run(deps: MainDeps = { runner: actionsRunner }): Promise<void> {
  const redactor = new Redactor();
  // Every line, output and summary passes the redactor: secrets the runner masks in the log are
  // also kept out of outputs and the summary, and so are tokens echoed in a service's error body.
  // Then the bounds: annotations capped, no line longer than 16 KiB.
  const runner = bounded(redacting(deps.runner, redactor));
  const now = deps.now ?? Date.now;
  // Mask secrets before anything else can log them: the secret inputs, and every SAS URI in
  // `vm-image`, even when it does not parse. (Those in the resource files are masked as each file
  // is read, below.)
  for (const name of SECRET_INPUTS) {
    const value = runner.getInput(name).trim();
    if (value) runner.setSecret(value);
  }
  for (const uri of sasUris(runner.getInput('vm-image'))) maskSasUri(runner, uri);

  const stepStart = now();
  let settings: Settings | undefined;
  let outcomes: OfferOutcome[];
  let stepError: string | undefined;
  try {
    const env = deps.env ?? process.env;
    // The runner's environment says which limits apply (a GitHub-hosted job stops at 6 h).
    settings = readSettings((name) => runner.getInput(name), env);
    runner.info(`API: ${settings.api} (${settings.apiReason}).`);
    // The resource files are input too: read and checked before any request, each SAS URI in
    // them masked before anything about them is logged.
    const files = settings.change?.resourcePatterns.length
      ? await readResourceFiles(
          settings.change.resourcePatterns,
          env.GITHUB_WORKSPACE || process.cwd(),
          (uri) => maskSasUri(runner, uri),
        )
      : { resources: [], notices: [] };
    for (const notice of files.notices) runner.info(notice);
    // Each resource goes to the offer it names; one naming another offer is an input error.
    const byOffer = resourcesByOffer(files.resources, settings.offerIds);
    outcomes = await followAll(settings, byOffer, { ...deps, runner, redactor }, now, stepStart);
  } catch (error) {
    // Input and sign-in errors are expected; anything else is a bug, still reported the same
    // way, with a summary.
    const message =
      error instanceof InputError || error instanceof AuthError
        ? error.message
        : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    stepError = message;
    outcomes = offersOf(runner, settings).map((offerId) =>
      ended(offerId, { kind: 'error', message }, settings?.failOnTimeout ?? true),
    );
  }
  await finish(runner, {
    api: settings ? API_PROFILES[settings.api].title : runner.getInput('api').trim(),
    publisherId: settings?.publisherId ?? runner.getInput('publisher-id').trim(),
    outcomes,
    waitedMs: now() - stepStart,
    now: now(),
    stepError,
    dryRun: settings?.dryRun ?? false,
  });
  runner.reportHidden();
}

/** A SAS URI masked whole, and its query alone: the signature is a secret wherever it shows. */
function maskSasUri(runner: Runner, uri: string): void {
  runner.setSecret(uri);
  const query = uri.slice(uri.indexOf('?') + 1);
  if (query) runner.setSecret(query);
}

/** The offers as given, for the summary of a step whose inputs could not all be read. */
function offersOf(runner: Runner, settings: Settings | undefined): string[] {
  if (settings) return settings.offerIds;
  try {
    return parseOfferIds(runner.getInput('offer-id'));
  } catch {
    return [runner.getInput('offer-id').trim()];
  }
}

function ended(offerId: string, end: End, failOnTimeout: boolean): OfferOutcome {
  const failed = failsStep(end, failOnTimeout);
  return { offerId, operationId: '', end, snapshot: undefined, reads: 0, started: [], failed };
}

async function followAll(
  settings: Settings,
  files: Map<string, FileResource[]>,
  deps: MainDeps & { runner: Runner; redactor: Redactor },
  now: () => number,
  stepStart: number,
): Promise<OfferOutcome[]> {
  const { runner } = deps;
  const cancel = deps.cancel ?? new AbortController().signal;
  const profile = API_PROFILES[settings.api];
  const pause = (ms: number) => (deps.sleep ?? sleep)(ms, cancel);
  // Backoff and the service's pauses: the same sleep, ended by a cancellation or the call's signal.
  const wait = (ms: number, signal?: AbortSignal) => (deps.sleep ?? sleep)(ms, signal ?? cancel);
  // A wrong sign-in input (`InputError`) or a refused sign-in (`AuthError`) is the whole step's
  // failure, like any input error.
  const auth = readAuthSettings((name) => runner.getInput(name));
  const tokens = await createTokenSource({
    settings: auth,
    api: profile,
    info: (message) => runner.info(message),
    setSecret: (secret) => runner.setSecret(secret),
    env: deps.env ?? process.env,
    now,
  });
  // A gallery image's tenant: `tenant-id`, else the token's own (`tid`).
  const tenantId = async () => auth.tenantId || tenantOf(await tokens.token(false));
  // One client for every offer: one token, at most a few requests in flight, and one pause for
  // all when the service asks for one.
  const http = new HttpClient({
    tokens,
    dispatcher: deps.dispatcher,
    requestTimeoutMs: settings.requestTimeoutMs,
    now,
    sleep: wait,
    guidance: profile.guidance,
    gate: new Gate({ maxInFlight: MAX_IN_FLIGHT, now, sleep: wait }),
    onRetry: (message) => runner.info(`  ↻ ${message}`),
  });
  if (profile.politeness && settings.pollIntervalMs < profile.politeness.minPollIntervalMs) {
    runner.warning(
      `poll-interval is ${formatDuration(settings.pollIntervalMs)}. ${profile.politeness.advice}`,
    );
  }

  const several = settings.offerIds.length > 1;
  const deadline = stepStart + settings.timeoutMs;
  // One timer for the whole step: any read gives up at the deadline, whatever it waits for. (A
  // timeout signal per read would keep a timer alive per read until the deadline.)
  const expiry = (deps.timeout ?? AbortSignal.timeout)(settings.timeoutMs);
  // Side calls (GitHub's deployments, the pull request comment) stop with the step too: at
  // cancellation and the deadline.
  const env = deps.env ?? process.env;
  const github = settings.githubToken
    ? gitHubClient(settings, deps.dispatcher, now, wait)
    : undefined;
  const sideCalls = { env, github, signal: AbortSignal.any([cancel, expiry]), deadline, now };
  const trackers = deploymentTrackers(settings, runner, sideCalls);
  // One memory of the messages already shown, for the whole step: bounded however many offers.
  const seen = new SeenMessages();
  // `export`: each offer's resources to files; nothing is sent, and no publish is followed.
  const exportDeps = settings.export.folder
    ? { workspace: env.GITHUB_WORKSPACE || process.cwd() }
    : undefined;
  const exported = async (offerId: string, log: Runner): Promise<OfferOutcome> => {
    const adapter = profile.create(
      http,
      { publisherId: settings.publisherId, offerId, operationId: '' },
      { baseUrl: settings.baseUrl, version: settings.apiVersion },
    );
    const end: End = await exportStep({
      offerId,
      // `export` is product-ingestion only (checked with the inputs): its adapter changes offers.
      changes: adapter.changes!,
      folder: resolve(exportDeps!.workspace, settings.export.folder),
      shownFolder: settings.export.folder,
      target: settings.export.target,
      several,
      call: () => ({ deadline, signal: AbortSignal.any([cancel, expiry]) }),
      info: (message) => log.info(message),
      warning: (message) => log.warning(message),
    }).catch(
      // A refused read or a file that cannot be written: the offer's error, said as it is.
      (error: unknown): End => ({
        kind: 'error',
        message: error instanceof Error ? error.message : String(error),
      }),
    );
    return ended(offerId, end, settings.failOnTimeout);
  };
  const outcomes = await Promise.all(
    settings.offerIds.map(async (offerId, index) => {
      const log = several ? prefixed(runner, offerId) : runner;
      // A bug met on one offer ends that offer, reported; the others go on, and every offer has
      // ended before the summary is written (nothing is sent after it).
      try {
        if (settings.export.folder && exportDeps) return await exported(offerId, log);
        return await followOffer({
          settings,
          adapter: profile.create(
            http,
            { publisherId: settings.publisherId, offerId, operationId: settings.operationId },
            { baseUrl: settings.baseUrl, version: settings.apiVersion },
          ),
          apiTitle: profile.title,
          offerId,
          runner: log,
          now,
          sleep: pause,
          cancel,
          stepStart,
          deadline,
          expiry,
          // Starts staggered over one poll interval (half the timeout at most, so every offer is
          // read in time): one read per offer per poll, never a burst.
          tracker: trackers?.(offerId, log),
          seen: seen.forOffer(offerId),
          files: files.get(offerId) ?? [],
          tenantId,
          offsetMs: Math.floor(
            (index * Math.min(settings.pollIntervalMs, settings.timeoutMs / 2)) /
              settings.offerIds.length,
          ),
        });
      } catch (error) {
        const message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
        return ended(offerId, { kind: 'error', message }, settings.failOnTimeout);
      }
    }),
  );
  if (settings.comment) await commentPlan(settings, outcomes, runner, deps.redactor, sideCalls);
  return outcomes;
}

interface SideCalls {
  env: Record<string, string | undefined>;
  /** GitHub's REST API with `github-token`; none without a token. */
  github: HttpClient | undefined;
  signal: AbortSignal;
  deadline: number;
  now: () => number;
}

/** GitHub's REST API with the workflow's token, on the same HTTP layer as the publishing APIs. */
function gitHubClient(
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
async function commentPlan(
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
function deploymentTrackers(settings: Settings, runner: Runner, side: SideCalls) {
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

/** The `tid` claim of an Entra access token; empty when the token is not a JWT that has one. */
function tenantOf(token: string): string {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    return typeof payload?.tid === 'string' ? payload.tid : '';
  } catch {
    return '';
  }
}
