/**
 * The action's flow, and its only I/O: read inputs, follow the publish, log what changes, and at the
 * end — whatever the end — set outputs, write the job summary, and fail the step when it should.
 */
import type { Dispatcher } from 'undici';
import { API_PROFILES, type Adapter } from './adapters/index.js';
import { AuthError, createTokenSource } from './auth/index.js';
import { changeLines, newMessages } from './core/changes.js';
import { formatDuration } from './core/duration.js';
import { oneLine } from './core/html.js';
import { unknownStatuses, type Snapshot } from './core/model.js';
import { toOutputs } from './core/outputs.js';
import type { StartedWrite } from './core/started.js';
import { closingMessage, failsStep, type End } from './core/stop-rules.js';
import { renderSummary } from './core/summary.js';
import { Redactor } from './github/redact.js';
import { redacting, type Runner } from './github/runner.js';
import { HttpClient, type TokenSource } from './http/client.js';
import { sleep } from './http/sleep.js';
import { ApiError } from './http/api-error.js';
import { InputError, SECRET_INPUTS, readSettings, type Settings } from './inputs.js';
import { Publisher } from './publish.js';
import { waitForOffer, type WaitResult } from './wait.js';

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
}

export async function run(deps: MainDeps): Promise<void> {
  const redactor = new Redactor();
  // Every line, output and summary passes the redactor: secrets the runner masks in the log are
  // also kept out of outputs and the summary, and so are tokens echoed in a service's error body.
  const runner = redacting(deps.runner, redactor);
  deps = { ...deps, runner };
  const now = deps.now ?? Date.now;
  // Mask secrets before anything else can log them.
  for (const name of SECRET_INPUTS) {
    const value = runner.getInput(name).trim();
    if (value) runner.setSecret(value);
  }

  const started = now();
  let ids = {
    api: runner.getInput('api').trim(),
    publisherId: runner.getInput('publisher-id').trim(),
    offerId: runner.getInput('offer-id').trim(),
  };
  let failOnTimeout = true;
  let result: FollowResult;
  try {
    const settings = readSettings((name) => runner.getInput(name));
    ids = { ...settings, api: API_PROFILES[settings.api].title };
    failOnTimeout = settings.failOnTimeout;
    result = await follow(settings, deps, now);
  } catch (error) {
    // Input errors are expected; anything else is a bug, still reported the same way, with a summary.
    const message =
      error instanceof InputError
        ? error.message
        : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    result = {
      end: { kind: 'error', message },
      snapshot: undefined,
      reads: 0,
      waitedMs: 0,
      operationId: '',
      started: [],
    };
  }
  await finish(runner, {
    ...ids,
    operationId: result.operationId,
    started: result.started,
    result: { ...result, waitedMs: now() - started },
    failOnTimeout,
  });
}

interface FollowResult extends WaitResult {
  operationId: string;
  /** What this step asked the API to start. */
  started: StartedWrite[];
}

async function follow(
  settings: Settings,
  deps: MainDeps,
  now: () => number,
): Promise<FollowResult> {
  const { runner } = deps;
  const cancel = deps.cancel ?? new AbortController().signal;
  const profile = API_PROFILES[settings.api];
  let tokens: TokenSource;
  try {
    tokens = await createTokenSource({
      getInput: (name) => runner.getInput(name),
      api: profile,
      info: (message) => runner.info(message),
      setSecret: (secret) => runner.setSecret(secret),
      env: deps.env ?? process.env,
      now,
    });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const end: End = { kind: 'error', message: error.message };
    return {
      operationId: settings.operationId,
      end,
      snapshot: undefined,
      reads: 0,
      waitedMs: 0,
      started: [],
    };
  }
  const http = new HttpClient({
    tokens,
    dispatcher: deps.dispatcher,
    requestTimeoutMs: settings.requestTimeoutMs,
    now,
    guidance: profile.guidance,
    onRetry: (message) => runner.info(`  ↻ ${message}`),
  });
  const adapter: Adapter = profile.create(http, settings, {
    baseUrl: settings.baseUrl,
    version: settings.apiVersion,
  });

  const stepStart = now();
  const deadline = stepStart + settings.timeoutMs;
  // One signal for the whole step: any read gives up at the deadline or on cancellation, whatever
  // it is waiting for. (A timeout signal per read would keep a timer alive per read until the
  // deadline: memory that grows with the number of reads.)
  const expiry = AbortSignal.timeout(settings.timeoutMs);
  const waitSignal = AbortSignal.any([cancel, expiry]);
  // Backoff between tries never exceeds the poll interval: no read is slower to retry than to poll.
  const call = () => ({ deadline, signal: waitSignal, maxRetryDelayMs: settings.pollIntervalMs });
  const pause = (ms: number) => (deps.sleep ?? sleep)(ms, cancel);
  const offer = settings.publisherId
    ? `offer ${settings.publisherId}/${settings.offerId}`
    : `offer ${settings.offerId}`;
  const publisher = new Publisher({
    adapter,
    now,
    sleep: pause,
    info: (message) => runner.info(message),
    warning: (message) => runner.warning(message),
    cancelled: () => cancel.aborted,
    // A write is not cut off by cancellation once sent: its answer says what it started.
    call: () => ({ deadline, signal: expiry, retries: 0 }),
    deadline,
    settleMs: Math.min(Math.max(settings.pollIntervalMs, 1_000), WRITE_SETTLE_MAX_MS),
    offer,
  });
  const ended = (end: End): FollowResult => ({
    end,
    snapshot: undefined,
    reads: 0,
    waitedMs: now() - stepStart,
    operationId: adapter.operationId(),
    started: publisher.started,
  });

  const asked = [settings.publish && 'publish', settings.goLive && 'go-live at the sign-off']
    .filter(Boolean)
    .join(', then ');
  runner.info(
    `${asked ? `Will ${asked}; f` : 'F'}ollowing ${adapter.following} on the ${profile.title}: ` +
      `wait-until ${settings.waitUntil}, timeout ${formatDuration(settings.timeoutMs)}, ` +
      `polling every ${formatDuration(settings.pollIntervalMs)}.`,
  );
  if (profile.politeness && settings.pollIntervalMs < profile.politeness.minPollIntervalMs) {
    runner.warning(
      `poll-interval is ${formatDuration(settings.pollIntervalMs)}. ${profile.politeness.advice}`,
    );
  }
  if (settings.publish) {
    try {
      await publisher.publish(settings.notificationEmails);
    } catch (error) {
      if (cancel.aborted) return ended({ kind: 'cancelled' });
      return ended({ kind: 'error', message: writeFailure('publish', error) });
    }
  } else {
    await adapter.prepare(
      {
        // One try, bounded: the wait itself must not be held up by a side lookup.
        signal: AbortSignal.any([
          cancel,
          AbortSignal.timeout(Math.min(settings.timeoutMs, settings.requestTimeoutMs)),
        ]),
        retries: 0,
      },
      (message) => runner.debug(message),
    );
  }

  const warned = new Set<string>();
  const result = await waitForOffer(
    {
      // A go-live is sent at the sign-off, so the sign-off no longer ends the wait.
      rules: {
        failOn: settings.failOn,
        waitUntil:
          settings.goLive && settings.waitUntil === 'review' ? 'completion' : settings.waitUntil,
      },
      startedAt: stepStart,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxFailedReads: settings.maxFailedReads,
    },
    {
      now,
      sleep: pause,
      cancelled: () => cancel.aborted,
      read: () => adapter.read(call()),
      act: settings.goLive ? (snapshot) => publisher.goLiveIfReady(snapshot) : undefined,
      onRead: (previous, current, readNumber) =>
        logRead(
          runner,
          previous,
          current,
          warned,
          `[+${formatDuration(Math.floor((now() - stepStart) / 1000) * 1000)}] read ${readNumber}`,
        ),
      onReadFailed: (error, failedInRow) =>
        runner.warning(
          `${error.message} Read ${failedInRow} of ${settings.maxFailedReads} in a row failed; still waiting.`,
        ),
    },
  );
  return { ...result, operationId: adapter.operationId(), started: publisher.started };
}

/** Waited after a write got no clear answer, before looking whether it started something. */
const WRITE_SETTLE_MAX_MS = 30_000;

function writeFailure(name: string, error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return `Unexpected error while sending the ${name}: ${error instanceof Error ? error.message : String(error)}`;
}

function logRead(
  runner: Runner,
  previous: Snapshot | undefined,
  current: Snapshot,
  warned: Set<string>,
  heading: string,
): void {
  const lines = changeLines(previous, current);
  if (lines.length > 0) runner.info([heading, ...lines].join('\n'));
  for (const { value, where } of unknownStatuses(current)) {
    if (warned.has(value)) continue;
    warned.add(value);
    runner.warning(
      `The service reported a status this action does not know: '${value}' (${where}). ` +
        'It is treated as still in progress.',
    );
  }
  for (const { stepName, message } of newMessages(previous, current)) {
    const title = stepName ? `Marketplace: ${stepName}` : 'Marketplace offer';
    if (message.level === 'error') runner.error(oneLine(message.text), title);
    else if (message.level === 'warning') runner.warning(oneLine(message.text), title);
  }
}

interface Finish {
  /** The API's title, or the input as given when it was not valid. */
  api: string;
  publisherId: string;
  offerId: string;
  operationId: string;
  result: WaitResult;
  started: StartedWrite[];
  failOnTimeout: boolean;
}

async function finish(runner: Runner, f: Finish): Promise<void> {
  const { end, snapshot } = f.result;
  const failed = failsStep(end, f.failOnTimeout);
  const outputs = toOutputs(snapshot, f.operationId, end.kind === 'timeout', f.started);
  for (const [name, value] of Object.entries(outputs)) runner.setOutput(name, value);

  try {
    const html = renderSummary({
      api: f.api,
      publisherId: f.publisherId,
      offerId: f.offerId,
      operationId: f.operationId,
      started: f.started,
      snapshot,
      end,
      failed,
      waitedMs: f.result.waitedMs,
      reads: f.result.reads,
      runUrl: await runner.runUrl(),
    });
    await runner.writeSummary(html);
  } catch (error) {
    // The summary is a courtesy; its failure must not change the step's result.
    runner.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const message = closingMessage(end, snapshot, f.started);
  if (failed) runner.setFailed(message);
  else if (end.kind === 'timeout') runner.warning(`${message} (fail-on-timeout is false)`);
  else runner.info(message);
}
