/**
 * Following one offer: start what was asked (publish), wait by the stop rules, go live at the
 * sign-off if asked, and log what each read changed. Several offers run this side by side.
 */
import type { Adapter } from './adapters/index.js';
import { SeenMessages, changeLines, newMessageLine } from './core/changes.js';
import { formatDuration } from './core/duration.js';
import { oneLine } from './core/html.js';
import { unknownStatuses, type Snapshot } from './core/model.js';
import type { OfferOutcome } from './core/outcome.js';
import { failsStep, type End } from './core/stop-rules.js';
import type { DeploymentTracker } from './github/deployments.js';
import type { Runner } from './github/runner.js';
import { ApiError } from './http/api-error.js';
import type { Settings } from './inputs.js';
import { Publisher } from './publish.js';
import { waitForOffer } from './wait.js';

export interface FollowContext {
  settings: Settings;
  adapter: Adapter;
  /** `product-ingestion API`, for the log. */
  apiTitle: string;
  offerId: string;
  /** This offer's log: lines name the offer when there are several. */
  runner: Runner;
  now(): number;
  /** Sleeps, or less when the workflow is cancelled. */
  sleep(ms: number): Promise<void>;
  cancel: AbortSignal;
  /** When the step started, and the shared deadline of every offer. */
  stepStart: number;
  deadline: number;
  /** Aborts at the deadline (writes are not cut off by cancellation once sent). */
  expiry: AbortSignal;
  /** Waited before the first read, so several offers' reads are spread over the poll interval. */
  offsetMs: number;
  /** With `track: deployment`: the offer's GitHub deployment. */
  tracker?: DeploymentTracker;
}

/** Waited after a write got no clear answer, before looking whether it started something. */
const WRITE_SETTLE_MAX_MS = 30_000;
/** New messages printed per read; the rest are counted (the summary has them). */
const MESSAGES_PER_READ = 200;

export async function followOffer(ctx: FollowContext): Promise<OfferOutcome> {
  const { settings, adapter, runner, now, cancel } = ctx;
  const waitSignal = AbortSignal.any([cancel, ctx.expiry]);
  // Backoff between tries never exceeds the poll interval: no read is slower to retry than to poll.
  const call = () => ({
    deadline: ctx.deadline,
    signal: waitSignal,
    maxRetryDelayMs: settings.pollIntervalMs,
  });
  const offer = settings.publisherId
    ? `offer ${settings.publisherId}/${ctx.offerId}`
    : `offer ${ctx.offerId}`;
  const publisher = new Publisher({
    adapter,
    now,
    sleep: ctx.sleep,
    info: (message) => runner.info(message),
    warning: (message) => runner.warning(message),
    cancelled: () => cancel.aborted,
    call: () => ({ deadline: ctx.deadline, signal: ctx.expiry, retries: 0 }),
    deadline: ctx.deadline,
    settleMs: Math.min(Math.max(settings.pollIntervalMs, 1_000), WRITE_SETTLE_MAX_MS),
    offer,
  });
  const outcome = (end: End, rest: Partial<OfferOutcome> = {}): OfferOutcome => ({
    offerId: ctx.offerId,
    end,
    snapshot: undefined,
    reads: 0,
    ...rest,
    operationId: adapter.operationId(),
    started: publisher.started,
    failed: failsStep(end, settings.failOnTimeout),
    ...(ctx.tracker ? { tracking: ctx.tracker.tracking } : {}),
  });

  const asked = [settings.publish && 'publish', settings.goLive && 'go-live at the sign-off']
    .filter(Boolean)
    .join(', then ');
  runner.info(
    `${asked ? `Will ${asked}; f` : 'F'}ollowing ${adapter.following} on the ${ctx.apiTitle}: ` +
      `wait-until ${settings.waitUntil}, timeout ${formatDuration(settings.timeoutMs)}, ` +
      `polling every ${formatDuration(settings.pollIntervalMs)}.`,
  );
  const offset = Math.min(ctx.offsetMs, ctx.deadline - now());
  if (offset > 0) await ctx.sleep(offset);
  if (cancel.aborted) return outcome({ kind: 'cancelled' });

  if (settings.publish) {
    try {
      await publisher.publish(settings.notificationEmails);
    } catch (error) {
      if (cancel.aborted) return outcome({ kind: 'cancelled' });
      return outcome({ kind: 'error', message: writeFailure('publish', error) });
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

  const { tracker } = ctx;
  await tracker?.readPrevious();
  // The deployment is the publish's: a go-live this step sends does not make another one.
  const publishOperation = adapter.operationId();
  const startedPublish = () => publisher.started.some((s) => s.name === 'publish');
  const act = async (snapshot: Snapshot) => {
    if (settings.goLive) await publisher.goLiveIfReady(snapshot);
    await tracker?.observe(snapshot, publishOperation || adapter.operationId(), startedPublish());
  };

  const warned = new Set<string>();
  const seen = new SeenMessages();
  const result = await waitForOffer(
    {
      // A go-live is sent at the sign-off, so the sign-off no longer ends the wait.
      rules: {
        failOn: settings.failOn,
        waitUntil:
          settings.goLive && settings.waitUntil === 'review' ? 'completion' : settings.waitUntil,
      },
      startedAt: ctx.stepStart,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxFailedReads: settings.maxFailedReads,
    },
    {
      now,
      sleep: ctx.sleep,
      cancelled: () => cancel.aborted,
      read: () => adapter.read(call()),
      act,
      onRead: (previous, current, readNumber) =>
        logRead(runner, previous, current, { warned, seen }, readHeading(ctx, readNumber)),
      onReadFailed: (error, failedInRow) =>
        runner.warning(
          `${error.message} Read ${failedInRow} of ${settings.maxFailedReads} in a row failed; still waiting.`,
        ),
    },
  );
  return outcome(result.end, { snapshot: result.snapshot, reads: result.reads });
}

function readHeading(ctx: FollowContext, readNumber: number): string {
  const elapsed = Math.floor((ctx.now() - ctx.stepStart) / 1000) * 1000;
  return `[+${formatDuration(elapsed)}] read ${readNumber}`;
}

function writeFailure(name: string, error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return `Unexpected error while sending the ${name}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * One read in the log: what changed, then each message never shown before, once. Warnings and
 * errors become annotations (the runner caps them), the rest plain lines.
 */
function logRead(
  runner: Runner,
  previous: Snapshot | undefined,
  current: Snapshot,
  memory: { warned: Set<string>; seen: SeenMessages },
  heading: string,
): void {
  const fresh = memory.seen.fresh(current);
  const printed = fresh.slice(0, MESSAGES_PER_READ);
  const lines = [
    ...changeLines(previous, current),
    ...printed.filter((m) => !annotated(m.message.level)).map(newMessageLine),
  ];
  if (fresh.length > printed.length) {
    // The summary has them while they fit its 1 MiB; the `steps` output has each step's latest.
    lines.push(
      `  … and ${fresh.length - printed.length} more new messages, not printed to keep the log readable.`,
    );
  }
  if (lines.length > 0) runner.info([heading, ...lines].join('\n'));
  for (const { value, where } of unknownStatuses(current)) {
    if (memory.warned.has(value)) continue;
    memory.warned.add(value);
    runner.warning(
      `The service reported a status this action does not know: '${value}' (${where}). ` +
        'It is treated as still in progress.',
    );
  }
  for (const { stepName, message } of printed) {
    if (!annotated(message.level)) continue;
    const title = stepName ? `Marketplace: ${stepName}` : 'Marketplace offer';
    if (message.level === 'error') runner.error(oneLine(message.text), title);
    else runner.warning(oneLine(message.text), title);
  }
}

const annotated = (level: string) => level === 'error' || level === 'warning';
