/**
 * Following one offer: start what was asked (publish), wait by the stop rules, go live at the
 * sign-off if asked, and log what each read changed. Several offers run this side by side.
 */
import type { Adapter } from './adapters/index.js';
import { changeLines, newMessageLine, type OfferMessages } from './core/changes.js';
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
  /** Aborts at the deadline. */
  expiry: AbortSignal;
  /** Waited before the first read, so several offers' reads are spread over the poll interval. */
  offsetMs: number;
  /** With `track: deployment`: the offer's GitHub deployment. */
  tracker?: DeploymentTracker;
  /** This offer's share of the step's memory of messages already shown. */
  seen: OfferMessages;
}

/** Waited after a write got no clear answer, before looking whether it started something. */
const WRITE_SETTLE_MAX_MS = 30_000;
/** New messages printed per read; the rest are counted (the summary has them). */
const MESSAGES_PER_READ = 200;

export async function followOffer(ctx: FollowContext): Promise<OfferOutcome> {
  const { settings, adapter, runner, now, cancel } = ctx;
  // Reads and writes alike stop at cancellation and at the deadline: a cancelled step ends in
  // seconds, and a write cut off in flight is reported as one that may have started.
  const signal = AbortSignal.any([cancel, ctx.expiry]);
  // Backoff between tries never exceeds the poll interval: no read is slower to retry than to poll.
  const call = () => ({
    deadline: ctx.deadline,
    signal,
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
    readCall: call,
    writeCall: () => ({ deadline: ctx.deadline, signal, retries: 0 }),
    deadline: ctx.deadline,
    settleMs: Math.min(Math.max(settings.pollIntervalMs, 1_000), WRITE_SETTLE_MAX_MS),
    pollIntervalMs: settings.pollIntervalMs,
    maxFailedReads: settings.maxFailedReads,
    offer,
    publishAsked: settings.publish,
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

  // A cancelled step that was asked to write says so even when it sent nothing.
  const finished = (o: OfferOutcome): OfferOutcome => {
    if (o.end.kind === 'cancelled' && (settings.publish || settings.goLive) && !o.started.length) {
      runner.info('Cancelled before any publish or go-live was sent: this step started nothing.');
    }
    return o;
  };
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
  if (cancel.aborted) return finished(outcome({ kind: 'cancelled' }));

  if (settings.publish) {
    try {
      await publisher.publish(settings.notificationEmails);
    } catch (error) {
      if (cancel.aborted) return finished(outcome({ kind: 'cancelled' }));
      if (now() >= ctx.deadline) return outcome({ kind: 'timeout', timeoutMs: settings.timeoutMs });
      return outcome({ kind: 'error', message: writeFailure('publish', error) });
    }
  } else {
    await adapter.prepare(
      {
        // One try, bounded: the wait itself must not be held up by a side lookup.
        signal: AbortSignal.any([
          signal,
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
  // A publish started elsewhere is never pushed live by this step: its wait ends at the sign-off.
  const goLiveHere = settings.goLive && !(settings.publish && publisher.joined);
  const waitUntil =
    settings.waitUntil === 'review' && goLiveHere
      ? 'completion'
      : settings.waitUntil === 'completion' && settings.goLive && !goLiveHere
        ? 'review'
        : settings.waitUntil;

  const warned = new Set<string>();
  const { seen } = ctx;
  let unrelated = '';
  const result = await waitForOffer(
    {
      rules: { failOn: settings.failOn, waitUntil },
      startedAt: ctx.stepStart,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxFailedReads: settings.maxFailedReads,
    },
    {
      now,
      sleep: ctx.sleep,
      cancelled: () => cancel.aborted,
      read: async () => {
        try {
          return await adapter.read(call());
        } catch (error) {
          // Accepted, then refused because another submission runs: follow that one instead.
          if (publisher.joinAfterRefusal(error)) return adapter.read(call());
          throw error;
        }
      },
      accept: (snapshot) => publisher.counts(snapshot),
      onUnrelated: (snapshot, readNumber) => {
        // Said once per status shown: the service catches up in its own time.
        if (snapshot.status === unrelated) return;
        unrelated = snapshot.status;
        runner.info(
          `${readHeading(ctx, readNumber)}: the service still shows an earlier publish ` +
            `(status ${snapshot.status}); waiting for this step's ${publisher.started.at(-1)?.name ?? 'write'} to be listed.`,
        );
      },
      act,
      onRead: (previous, current, readNumber) =>
        logRead(runner, previous, current, { warned, seen }, readHeading(ctx, readNumber)),
      onReadFailed: (error, failedInRow) =>
        runner.warning(
          `${error.message} Read ${failedInRow} of ${settings.maxFailedReads} in a row failed; still waiting.`,
        ),
    },
  );
  if (settings.goLive && !goLiveHere && result.end.kind === 'review') {
    runner.warning(
      `The go-live was not sent: the preview waiting for the sign-off was started elsewhere ` +
        `(${publisher.joined === 'unnamed' ? 'another publish' : publisher.joined?.label}) and may ` +
        "not hold this run's changes. To push it live, run this action with go-live: true and " +
        'without publish, or go live in Partner Center.',
    );
  }
  return finished(outcome(result.end, { snapshot: result.snapshot, reads: result.reads }));
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
  memory: { warned: Set<string>; seen: OfferMessages },
  heading: string,
): void {
  for (const notice of current.notices ?? []) {
    if (memory.warned.has(notice)) continue;
    memory.warned.add(notice);
    runner.warning(notice);
  }
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
