/**
 * Following one offer: start what was asked (publish), wait by the stop rules, go live at the
 * sign-off if asked, and log what each read changed. Several offers run this side by side.
 */
import type { Adapter } from '../adapters/adapter.js';
import type { OfferMessages } from '../core/changes.js';
import { formatDuration } from '../core/duration.js';
import { changeLines as planLines } from '../core/configure/render.js';
import type { ChangePlan, FileResource, Resource } from '../core/configure/types.js';
import type { End } from '../core/end.js';
import type { Snapshot } from '../core/model.js';
import type { OfferOutcome } from '../core/outcome.js';
import { failsStep } from '../core/stop-rules.js';
import type { DeploymentTracker } from '../github/deployments.js';
import type { Runner } from '../github/runner.js';
import type { Settings } from '../inputs/index.js';
import { changeLanded, planChange, previewCarries, resourcesToSend } from './change.js';
import { explainFailure, inUserWords, writeFailure } from './explain.js';
import { Publisher } from './publish.js';
import { logRead } from './read-log.js';
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
  /** `resources`: the resources its files hold, read and checked before any request. */
  files: FileResource[];
  /** The tenant a gallery image belongs to: `tenant-id`, else the token's `tid`. */
  tenantId(): Promise<string>;
}

/** Waited after a write got no clear answer, before looking whether it started something. */
const WRITE_SETTLE_MAX_MS = 30_000;

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
  let plan: ChangePlan | undefined;
  const outcome = (end: End, rest: Partial<OfferOutcome> = {}): OfferOutcome => ({
    offerId: ctx.offerId,
    end,
    snapshot: undefined,
    reads: 0,
    ...rest,
    operationId: publisher.operationId,
    started: publisher.started,
    failed: failsStep(end, settings.failOnTimeout),
    ...(ctx.tracker ? { tracking: ctx.tracker.tracking } : {}),
    ...(plan ? { plan } : {}),
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

  let resources: Resource[] = [];
  let landed: () => Promise<boolean> = async () => false;
  let publishNow = settings.publish;
  // The change first: read the draft once and plan, before anything is sent.
  if (settings.change && adapter.changes) {
    const planning = {
      changes: adapter.changes,
      inputs: settings.change,
      files: ctx.files,
      dryRun: settings.dryRun,
      tenantId: ctx.tenantId,
      call,
    };
    try {
      plan = await planChange(planning);
    } catch (error) {
      if (cancel.aborted) return finished(outcome({ kind: 'cancelled' }));
      return outcome({ kind: 'error', message: writeFailure('change', error) });
    }
    runner.info(
      [`Changes${settings.dryRun ? ' (dry run: nothing is sent)' : ''}:`, ...planLines(plan)].join(
        '\n',
      ),
    );
    resources = resourcesToSend(plan);
    landed = () => changeLanded(planning);
    // Nothing to change: a re-run publishes again only if no preview carries the change yet.
    if (settings.publish && resources.length === 0 && !settings.dryRun) {
      try {
        if (await previewCarries(planning)) {
          publishNow = false;
          runner.info(
            'Nothing to change, and the latest preview already carries it: not publishing again; ' +
              'following the offer.',
          );
        }
      } catch {
        // Unreadable: publish as asked (a running publish is joined, never doubled).
      }
    }
  }

  if (settings.dryRun) {
    await sayWhatWouldBeSent(ctx, publisher, resources, publishNow);
  } else if (publishNow || resources.length > 0) {
    const write = publishNow ? 'publish' : 'change';
    try {
      if (publishNow) await publisher.publish(settings.notificationEmails, resources);
      else await publisher.configure(adapter.changes!, resources, landed);
    } catch (error) {
      if (cancel.aborted) return finished(outcome({ kind: 'cancelled' }));
      if (now() >= ctx.deadline) return outcome({ kind: 'timeout', timeoutMs: settings.timeoutMs });
      return outcome({ kind: 'error', message: writeFailure(write, error, plan) });
    }
  } else {
    await publisher.prepare(
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

  // A dry run sends nothing anywhere: no go-live, no deployment record.
  const tracker = settings.dryRun ? undefined : ctx.tracker;
  await tracker?.readPrevious();
  // The deployment is the publish's: a go-live this step sends does not make another one.
  const publishOperation = publisher.operationId;
  const startedPublish = () => publisher.started.some((s) => s.name === 'publish');
  const act = async (snapshot: Snapshot) => {
    if (settings.goLive && !settings.dryRun) await publisher.goLiveIfReady(snapshot);
    await tracker?.observe(snapshot, publishOperation || publisher.operationId, startedPublish());
  };
  // A publish started elsewhere is never pushed live by this step: its wait ends at the sign-off.
  const goLiveHere = settings.goLive && !(settings.publish && publisher.joined);
  const waitUntil = settings.dryRun
    ? 'none'
    : settings.waitUntil === 'review' && goLiveHere
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
        let snapshot: Snapshot;
        try {
          snapshot = await publisher.read();
        } catch (error) {
          // Accepted, then refused because another submission runs: follow that one instead.
          if (!publisher.joinAfterRefusal(error)) throw error;
          snapshot = await publisher.read();
        }
        // A job's errors name resources by durable id: say which plan, version or file they are.
        return plan ? inUserWords(snapshot, plan) : snapshot;
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
  const snapshot = await explainFailure(
    ctx.adapter,
    runner,
    result.end,
    result.snapshot,
    call(),
    publisher.operationId || tracker?.recordedOperation() || '',
  );
  return finished(outcome(result.end, { snapshot, reads: result.reads }));
}

function readHeading(ctx: FollowContext, readNumber: number): string {
  const elapsed = Math.floor((ctx.now() - ctx.stepStart) / 1000) * 1000;
  return `[+${formatDuration(elapsed)}] read ${readNumber}`;
}

/** A dry run's report of what would be sent, from reads only. */
async function sayWhatWouldBeSent(
  ctx: FollowContext,
  publisher: Publisher,
  resources: Resource[],
  publish: boolean,
): Promise<void> {
  const { settings, runner } = ctx;
  const would: string[] = [];
  if (publish) {
    const running = await publisher.runningNow().catch(() => undefined);
    if (running) would.push(`join the publish that runs (${running.label}) and send nothing`);
    else
      would.push(
        resources.length > 0
          ? `send the change and a preview submission in one configure request`
          : 'start a publish',
      );
  } else if (resources.length > 0) {
    would.push('send the change in one configure request, once no publish runs');
  }
  if (settings.goLive) would.push('go live at the sign-off of that preview');
  runner.info(
    `Dry run: nothing was sent.${would.length ? ` Without dry-run, this step would ${would.join(', then ')}.` : ' Without dry-run, this step would send nothing either.'}`,
  );
}
