/**
 * The action's flow, and its only I/O: read inputs, follow the publish, log what changes, and at the
 * end — whatever the end — set outputs, write the job summary, and fail the step when it should.
 */
import type { Dispatcher } from 'undici';
import { AuthError, createTokenSource } from './auth/index.js';
import { changeLines, newMessages } from './changes.js';
import { CppClient, type TokenSource } from './cpp-client.js';
import { formatDuration } from './duration.js';
import { oneLine } from './html.js';
import { InputError, SECRET_INPUTS, readSettings, type Settings } from './inputs.js';
import { unknownStatuses, type Snapshot } from './model.js';
import { toOutputs } from './outputs.js';
import { Redactor } from './redact.js';
import type { Runner } from './runner.js';
import { describeEnd, failsStep, type End } from './stop-rules.js';
import { renderSummary } from './summary.js';
import { waitForOffer, type WaitResult } from './wait.js';

export interface MainDeps {
  runner: Runner;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  dispatcher?: Dispatcher;
  /** The process environment (auth reads the runner's OIDC and identity variables). */
  env?: Record<string, string | undefined>;
  /** Retry tuning for tests; production uses the client's defaults. */
  retryMinDelayMs?: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function run(deps: MainDeps): Promise<void> {
  const { runner } = deps;
  const now = deps.now ?? Date.now;
  const redactor = new Redactor();
  // Mask secrets before anything else can log them.
  for (const name of SECRET_INPUTS) {
    const value = runner.getInput(name).trim();
    if (value) {
      runner.setSecret(value);
      redactor.add(value);
    }
  }

  let settings: Settings;
  try {
    settings = readSettings((name) => runner.getInput(name));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    await finish(deps, redactor, {
      publisherId: runner.getInput('publisher-id').trim(),
      offerId: runner.getInput('offer-id').trim(),
      operationId: '',
      result: {
        end: { kind: 'error', message: error.message },
        snapshot: undefined,
        reads: 0,
        waitedMs: 0,
      },
      failOnTimeout: true,
    });
    return;
  }

  const started = now();
  const result = await follow(settings, deps, now, redactor);
  await finish(deps, redactor, {
    publisherId: settings.publisherId,
    offerId: settings.offerId,
    operationId: result.operationId,
    result: { ...result, waitedMs: now() - started },
    failOnTimeout: settings.failOnTimeout,
  });
}

async function follow(
  settings: Settings,
  deps: MainDeps,
  now: () => number,
  redactor: Redactor,
): Promise<WaitResult & { operationId: string }> {
  const { runner } = deps;
  let tokens: TokenSource;
  try {
    tokens = await createTokenSource({
      getInput: (name) => runner.getInput(name),
      info: (message) => runner.info(message),
      setSecret: (secret) => {
        runner.setSecret(secret);
        redactor.add(secret);
      },
      env: deps.env ?? process.env,
      now,
    });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const end: End = { kind: 'error', message: error.message };
    return { operationId: settings.operationId, end, snapshot: undefined, reads: 0, waitedMs: 0 };
  }
  const client = new CppClient({
    baseUrl: settings.baseUrl,
    apiVersion: settings.apiVersion,
    tokens,
    dispatcher: deps.dispatcher,
    now,
    onRetry: (message) => runner.info(`  ↻ ${message}`),
    ...(deps.retryMinDelayMs !== undefined ? { retryMinDelayMs: deps.retryMinDelayMs } : {}),
  });

  const { publisherId, offerId } = settings;
  let operationId = settings.operationId;
  const following = operationId ? `operation ${operationId}` : 'the offer status';
  runner.info(
    `Following ${following} of offer ${publisherId}/${offerId}: wait-until ${settings.waitUntil}, ` +
      `timeout ${formatDuration(settings.timeoutMs)}, polling every ${formatDuration(settings.pollIntervalMs)}.`,
  );
  if (!operationId) operationId = await findRunningOperation(client, settings, runner);

  const started = now();
  const warned = new Set<string>();
  const result = await waitForOffer(
    {
      rules: settings,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxFailedReads: settings.maxFailedReads,
    },
    {
      now,
      sleep: deps.sleep ?? defaultSleep,
      read: (deadline) => {
        const call = { deadline, signal: AbortSignal.timeout(Math.max(1, deadline - now())) };
        return settings.operationId
          ? client.operation(publisherId, offerId, settings.operationId, call)
          : client.offerStatus(publisherId, offerId, call);
      },
      onRead: (previous, current, readNumber) =>
        logRead(
          runner,
          previous,
          current,
          warned,
          `[+${formatDuration(Math.floor((now() - started) / 1000) * 1000)}] read ${readNumber}`,
        ),
      onReadFailed: (error, failedInRow) =>
        runner.warning(
          `${error.message} Read ${failedInRow} of ${settings.maxFailedReads} in a row failed; still waiting.`,
        ),
    },
  );
  return { ...result, operationId };
}

/**
 * The running operation's id, so the `operation-id` output is known when following the offer status.
 * Best-effort: the wait does not depend on it, so a failure is only a debug line.
 */
async function findRunningOperation(
  client: CppClient,
  settings: Settings,
  runner: Runner,
): Promise<string> {
  try {
    const running = await client.runningSubmissions(settings.publisherId, settings.offerId, {
      signal: AbortSignal.timeout(Math.min(settings.timeoutMs, 30_000)),
    });
    const id = running[0]?.id ?? '';
    runner.debug(id ? `Running operation: ${id}` : 'No running operation listed.');
    return id;
  } catch (error) {
    runner.debug(
      `Could not list running operations: ${error instanceof Error ? error.message : String(error)}`,
    );
    return '';
  }
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
  publisherId: string;
  offerId: string;
  operationId: string;
  result: WaitResult;
  failOnTimeout: boolean;
}

async function finish(deps: MainDeps, redactor: Redactor, f: Finish): Promise<void> {
  const { runner } = deps;
  const { end, snapshot } = f.result;
  const failed = failsStep(end, f.failOnTimeout);
  const outputs = toOutputs(snapshot, f.operationId, end.kind === 'timeout');
  for (const [name, value] of Object.entries(outputs))
    runner.setOutput(name, redactor.redact(value));

  try {
    const html = renderSummary({
      publisherId: f.publisherId,
      offerId: f.offerId,
      operationId: f.operationId,
      snapshot,
      end,
      failed,
      waitedMs: f.result.waitedMs,
      reads: f.result.reads,
      runUrl: runner.runUrl(),
    });
    await runner.writeSummary(redactor.redact(html));
  } catch (error) {
    // The summary is a courtesy; its failure must not change the step's result.
    runner.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const message = failureMessage(end, snapshot);
  if (failed) runner.setFailed(redactor.redact(message));
  else if (end.kind === 'timeout') runner.warning(`${message} (fail-on-timeout is false)`);
  else runner.info(message);
}

/** The closing message: why the wait ended, and for a failure every step message of level error. */
export function failureMessage(end: End, snapshot: Snapshot | undefined): string {
  const parts = [describeEnd(end)];
  if (snapshot && end.kind !== 'error') {
    parts.unshift(`Status: ${snapshot.status}.`);
    if (end.kind === 'fail-on') {
      const errors = snapshot.steps.flatMap((s) =>
        s.messages.filter((m) => m.level === 'error').map((m) => `${s.name}: ${oneLine(m.text)}`),
      );
      const offerErrors = snapshot.messages
        .filter((m) => m.level === 'error')
        .map((m) => oneLine(m.text));
      const all = [...offerErrors, ...errors];
      if (all.length > 0) parts.push(`Errors: ${all.join(' | ')}`);
    }
  }
  return parts.join(' ');
}
