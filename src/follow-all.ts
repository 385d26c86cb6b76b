/**
 * Every offer of the step, side by side: one sign-in, one HTTP client behind one gate for all,
 * then for each offer its adapter, its deployment and its share of the poll interval, and
 * `followOffer` (with `export`: `exportOffer`); the plan comment once all have ended.
 */
import { resolve } from 'node:path';
import type { Dispatcher } from 'undici';
import { API_PROFILES } from './adapters/index.js';
import type { ApiProfile } from './adapters/adapter.js';
import { createTokenSource } from './auth/index.js';
import { SeenMessages } from './core/changes.js';
import type { FileResource } from './core/configure/types.js';
import { formatDuration } from './core/duration.js';
import type { End } from './core/end.js';
import type { OfferOutcome } from './core/outcome.js';
import { endedBeforeReading } from './core/stop-rules.js';
import { prefixed } from './github/bounded.js';
import type { Redactor } from './github/redact.js';
import type { Runner } from './github/runner.js';
import { HttpClient } from './http/client.js';
import { Gate } from './http/gate.js';
import { sleep } from './http/sleep.js';
import { readAuthSettings, type Settings } from './inputs/index.js';
import { exportStep } from './offer/export.js';
import { followOffer } from './offer/follow.js';
import { commentPlan, deploymentTrackers, gitHubClient, type SideCalls } from './side-calls.js';

/** Requests to the service in flight at most, however many offers are followed. */
const MAX_IN_FLIGHT = 4;

/** What `run` gives: its `MainDeps`, with the runner it wrapped and the redactor behind it. */
export interface StepDeps {
  runner: Runner;
  redactor: Redactor;
  /** Sleeps `ms`, or less if `signal` aborts first. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  dispatcher?: Dispatcher;
  env?: Record<string, string | undefined>;
  cancel?: AbortSignal;
  /** A signal that aborts `ms` from now, on the `now` clock (default `AbortSignal.timeout`). */
  timeout?: (ms: number) => AbortSignal;
}

/** What every offer of the step shares. */
interface Shared {
  settings: Settings;
  profile: ApiProfile;
  http: HttpClient;
  /** The tenant a gallery image belongs to: `tenant-id`, else the token's `tid`. */
  tenantId(): Promise<string>;
  runner: Runner;
  now(): number;
  pause(ms: number): Promise<void>;
  cancel: AbortSignal;
  expiry: AbortSignal;
  stepStart: number;
  deadline: number;
  files: Map<string, FileResource[]>;
  trackers: ReturnType<typeof deploymentTrackers>;
  seen: SeenMessages;
  workspace: string;
}

export async function followAll(
  settings: Settings,
  files: Map<string, FileResource[]>,
  deps: StepDeps,
  now: () => number,
  stepStart: number,
): Promise<OfferOutcome[]> {
  const { runner } = deps;
  const cancel = deps.cancel ?? new AbortController().signal;
  const { http, tenantId } = await connect(settings, deps, now, cancel);
  const deadline = stepStart + settings.timeoutMs;
  // One timer for the whole step: any read gives up at the deadline, whatever it waits for. (A
  // timeout signal per read would keep a timer alive per read until the deadline.)
  const expiry = (deps.timeout ?? AbortSignal.timeout)(settings.timeoutMs);
  // Side calls (GitHub's deployments, the pull request comment) stop with the step too: at
  // cancellation and the deadline.
  const env = deps.env ?? process.env;
  // Backoff and the service's pauses: the step's sleep, ended by a cancellation or the call's signal.
  const wait = (ms: number, signal?: AbortSignal) => (deps.sleep ?? sleep)(ms, signal ?? cancel);
  const github = settings.githubToken
    ? gitHubClient(settings, deps.dispatcher, now, wait)
    : undefined;
  const sideCalls: SideCalls = {
    env,
    github,
    signal: AbortSignal.any([cancel, expiry]),
    deadline,
    now,
  };
  const shared: Shared = {
    settings,
    profile: API_PROFILES[settings.api],
    http,
    tenantId,
    runner,
    now,
    pause: (ms) => (deps.sleep ?? sleep)(ms, cancel),
    cancel,
    expiry,
    stepStart,
    deadline,
    files,
    trackers: deploymentTrackers(settings, runner, sideCalls),
    // One memory of the messages already shown, for the whole step: bounded however many offers.
    seen: new SeenMessages(),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
  };
  const outcomes = await Promise.all(
    settings.offerIds.map((offerId, index) => followOne(shared, offerId, index)),
  );
  if (settings.comment) await commentPlan(settings, outcomes, runner, deps.redactor, sideCalls);
  return outcomes;
}

/**
 * Signs in and makes the one client every offer shares. A wrong sign-in input (`InputError`) or
 * a refused sign-in (`AuthError`) is the whole step's failure, like any input error.
 */
async function connect(settings: Settings, deps: StepDeps, now: () => number, cancel: AbortSignal) {
  const { runner } = deps;
  const profile = API_PROFILES[settings.api];
  const auth = readAuthSettings((name) => runner.getInput(name));
  const tokens = await createTokenSource({
    settings: auth,
    api: profile,
    info: (message) => runner.info(message),
    setSecret: (secret) => runner.setSecret(secret),
    env: deps.env ?? process.env,
    now,
  });
  // One client for every offer: one token, at most a few requests in flight, and one pause for
  // all when the service asks for one.
  const http = new HttpClient({
    tokens,
    dispatcher: deps.dispatcher,
    requestTimeoutMs: settings.requestTimeoutMs,
    now,
    // Backoff and the service's pauses: the step's sleep, ended by a cancellation or the call's
    // signal (a virtual clock's in tests).
    sleep: (ms, signal) => (deps.sleep ?? sleep)(ms, signal ?? cancel),
    guidance: profile.guidance,
    gate: new Gate({
      maxInFlight: MAX_IN_FLIGHT,
      now,
      sleep: (ms, signal) => (deps.sleep ?? sleep)(ms, signal ?? cancel),
    }),
    onRetry: (message) => runner.info(`  ↻ ${message}`),
  });
  if (profile.politeness && settings.pollIntervalMs < profile.politeness.minPollIntervalMs) {
    runner.warning(
      `poll-interval is ${formatDuration(settings.pollIntervalMs)}. ${profile.politeness.advice}`,
    );
  }
  const tenantId = async () => auth.tenantId || tenantOf(await tokens.token(false));
  return { http, tenantId };
}

/**
 * One offer: followed, or exported. A bug met on one offer ends that offer, reported; the others
 * go on, and every offer has ended before the summary is written (nothing is sent after it).
 */
async function followOne(shared: Shared, offerId: string, index: number): Promise<OfferOutcome> {
  const { settings, profile, runner } = shared;
  const several = settings.offerIds.length > 1;
  const log = several ? prefixed(runner, offerId) : runner;
  try {
    if (settings.export.folder) return await exportOffer(shared, offerId, log);
    return await followOffer({
      settings,
      adapter: profile.create(
        shared.http,
        { publisherId: settings.publisherId, offerId, operationId: settings.operationId },
        { baseUrl: settings.baseUrl, version: settings.apiVersion },
      ),
      apiTitle: profile.title,
      offerId,
      runner: log,
      now: shared.now,
      sleep: shared.pause,
      cancel: shared.cancel,
      stepStart: shared.stepStart,
      deadline: shared.deadline,
      expiry: shared.expiry,
      tracker: shared.trackers?.(offerId, log),
      seen: shared.seen.forOffer(offerId),
      files: shared.files.get(offerId) ?? [],
      tenantId: shared.tenantId,
      // Starts staggered over one poll interval (half the timeout at most, so every offer is
      // read in time): one read per offer per poll, never a burst.
      offsetMs: Math.floor(
        (index * Math.min(settings.pollIntervalMs, settings.timeoutMs / 2)) /
          settings.offerIds.length,
      ),
    });
  } catch (error) {
    const message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    return endedBeforeReading(offerId, { kind: 'error', message }, settings.failOnTimeout);
  }
}

/** `export`: the offer's resources to files; nothing is sent, and no publish is followed. */
async function exportOffer(shared: Shared, offerId: string, log: Runner): Promise<OfferOutcome> {
  const { settings, profile } = shared;
  const adapter = profile.create(
    shared.http,
    { publisherId: settings.publisherId, offerId, operationId: '' },
    { baseUrl: settings.baseUrl, version: settings.apiVersion },
  );
  const end: End = await exportStep({
    offerId,
    // `export` is product-ingestion only (checked with the inputs): its adapter changes offers.
    changes: adapter.changes!,
    folder: resolve(shared.workspace, settings.export.folder),
    shownFolder: settings.export.folder,
    target: settings.export.target,
    several: settings.offerIds.length > 1,
    call: () => ({
      deadline: shared.deadline,
      signal: AbortSignal.any([shared.cancel, shared.expiry]),
    }),
    info: (message) => log.info(message),
    warning: (message) => log.warning(message),
  }).catch(
    // A refused read or a file that cannot be written: the offer's error, said as it is.
    (error: unknown): End => ({
      kind: 'error',
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  return endedBeforeReading(offerId, end, settings.failOnTimeout);
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
