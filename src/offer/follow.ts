/**
 * Following one offer: read what the step decides from and plan (`release.ts`, one planner for the
 * dry run and the real run), carry the plan out (`carry-out.ts`), wait by the stop rules, go live
 * at the sign-off by the plan (`go-live.ts`), and log what each read changed. Several offers run
 * this side by side.
 */
import type { Adapter } from '../adapters/adapter.js';
import type { OfferMessages } from '../core/changes.js';
import { formatDuration } from '../core/duration.js';
import { changeLines as planLines } from '../core/configure/render.js';
import type { ChangePlan, FileResource } from '../core/configure/types.js';
import type { End, WaitUntil } from '../core/end.js';
import type { Snapshot } from '../core/model.js';
import type { OfferOutcome } from '../core/outcome.js';
import { nothingPlanned, type ReleasePlan } from '../core/release.js';
import { failsStep } from '../core/stop-rules.js';
import type { DeploymentTracker } from '../github/deployments.js';
import type { Runner } from '../github/runner.js';
import type { Settings } from '../inputs/index.js';
import type { PlanContext } from './change.js';
import { carryOut, type Carried } from './carry-out.js';
import { explainFailure, inUserWords, writeFailure } from './explain.js';
import { atSignoff, type GoLiveRule } from './go-live.js';
import { Publisher } from './publish.js';
import { logRead } from './read-log.js';
import {
  draftChanged,
  driftedResources,
  driftMessage,
  goLiveRule,
  logPlan,
  pinnedMismatch,
  sayWhatWouldBeSent,
} from './plan-log.js';
import { planOffer, type Planned } from './release.js';
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
  });
  let change: ChangePlan | undefined;
  let release: ReleasePlan = nothingPlanned();
  let drift: boolean | undefined;
  const outcome = (end: End, rest: Partial<OfferOutcome> = {}): OfferOutcome => {
    const snapshot = rest.snapshot;
    return {
      offerId: ctx.offerId,
      end,
      snapshot: undefined,
      reads: 0,
      ...rest,
      operationId: publisher.operationId,
      started: publisher.started,
      failed: failsStep(end, settings.failOnTimeout),
      release,
      // The preview waiting for a person: the one to review, and to pin the go-live to.
      previewId:
        snapshot?.status === 'waitingForPublisherReview'
          ? snapshot.subject || publisher.operationId
          : '',
      ...(ctx.tracker ? { tracking: ctx.tracker.tracking } : {}),
      ...(change ? { plan: change } : {}),
      ...(drift === undefined ? {} : { drift }),
    };
  };

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

  // The facts and the plan, from reads only: the dry run stops after saying it.
  const planning: PlanContext | undefined =
    settings.change && adapter.changes
      ? {
          changes: adapter.changes,
          inputs: settings.change,
          files: ctx.files,
          dryRun: settings.dryRun,
          tenantId: ctx.tenantId,
          call,
        }
      : undefined;
  let planned: Planned;
  try {
    planned = await planOffer(settings, publisher, adapter.changes, planning, call);
  } catch (error) {
    if (cancel.aborted) return finished(outcome({ kind: 'cancelled' }));
    return outcome({ kind: 'error', message: writeFailure('change', error) });
  }
  change = planned.change;
  release = planned.release;
  if (change) {
    runner.info(
      [
        `Changes${settings.dryRun ? ' (dry run: nothing is sent)' : ''}:`,
        ...planLines(change),
      ].join('\n'),
    );
    for (const c of change.changes) {
      for (const note of c.kind === 'resource' ? (c.notes ?? []) : []) runner.warning(note);
    }
  }
  logPlan(runner, planned, settings.dryRun);
  const warned = new Set<string>();
  const mismatch = pinnedMismatch(planned);
  if (mismatch) return outcome({ kind: 'error', message: mismatch });
  // Drift: what applying the files would change in the draft (nothing is sent for a drifted
  // offer with fail-on-drift: the check reports, it does not repair).
  if (settings.change?.resourcePatterns.length && change) {
    const drifted = driftedResources(change);
    drift = drifted.length > 0;
    if (drift && settings.failOnDrift) {
      return outcome({ kind: 'error', message: driftMessage(drifted) });
    }
  }

  let carried: Carried | undefined;
  if (settings.dryRun) {
    sayWhatWouldBeSent(runner, planned);
  } else if (planned.release.publish !== 'none' || planned.release.configure.length > 0) {
    try {
      carried = await carryOut(
        {
          settings,
          publisher,
          changes: adapter.changes,
          planning,
          now,
          sleep: ctx.sleep,
          cancelled: () => cancel.aborted,
          stepStart: ctx.stepStart,
          info: (message) => runner.info(message),
          onRead: (previous, current, n) =>
            logRead(runner, previous, current, { warned, seen: ctx.seen }, readHeading(ctx, n)),
          onReadFailed: (message, failedInRow) =>
            runner.warning(
              `${message} Read ${failedInRow} of ${settings.maxFailedReads} in a row failed; still waiting.`,
            ),
        },
        planned,
      );
    } catch (error) {
      if (cancel.aborted) return finished(outcome({ kind: 'cancelled' }));
      if (now() >= ctx.deadline) return outcome({ kind: 'timeout', timeoutMs: settings.timeoutMs });
      const write =
        release.configure.length > 0 && !publisher.started.length ? 'change' : 'publish';
      return outcome({ kind: 'error', message: writeFailure(write, error, change) });
    }
    change = carried.change ?? change;
    if (carried.kind === 'ended') {
      const snapshot =
        carried.snapshot && change ? inUserWords(carried.snapshot, change) : carried.snapshot;
      return finished(outcome(carried.end, { snapshot, reads: carried.reads }));
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

  // A change without a publish ends once it is in the draft: one read says what preview and live hold.
  const changeOnly =
    settings.change !== undefined && !settings.publish && release.goLive === 'none';
  // A dry run sends nothing anywhere: no go-live, no deployment record.
  const tracker = settings.dryRun ? undefined : ctx.tracker;
  await tracker?.readPrevious();
  // The deployment is the publish's: a go-live this step sends does not make another one.
  const publishOperation = publisher.operationId;
  const startedPublish = () => publisher.started.some((s) => s.name === 'publish');
  const rule: GoLiveRule = goLiveRule(planned, carried, settings);
  let declined = '';
  const act = async (snapshot: Snapshot): Promise<End | undefined> => {
    let end: End | undefined;
    if (settings.goLive && !settings.dryRun && snapshot.status === 'waitingForPublisherReview') {
      const at = atSignoff(
        rule,
        snapshot.subject || publisher.operationId,
        publisher.showsOwn(snapshot),
      );
      if (at.send) await publisher.goLive(snapshot);
      else {
        end = at.end;
        if (at.warning && !declined) runner.warning((declined = at.warning));
      }
    }
    await tracker?.observe(snapshot, publishOperation || publisher.operationId, startedPublish());
    return end;
  };
  const waitUntil: WaitUntil =
    settings.dryRun || changeOnly
      ? 'none'
      : settings.waitUntil === 'review' && rule.plan === 'send'
        ? 'completion'
        : settings.waitUntil;

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
          rule.plan = 'none';
          rule.why = 'the publish was refused because another submission holds the product';
          snapshot = await publisher.read();
        }
        // A job's errors name resources by durable id: say which plan, version or file they are.
        return change ? inUserWords(snapshot, change) : snapshot;
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
  let end = result.end;
  // The read says what preview and live hold; the offer's state is no verdict on the change.
  if (changeOnly && !settings.dryRun && !['error', 'timeout', 'cancelled'].includes(end.kind)) {
    end = draftChanged(
      planned,
      publisher.started.some((s) => s.name === 'configure'),
    );
    if (settings.goLive && !declined)
      runner.warning(`The go-live was not sent: ${rule.why}. ${rule.next}`);
  }
  const snapshot = await explainFailure(
    ctx.adapter,
    runner,
    end,
    result.snapshot,
    call(),
    publisher.operationId || tracker?.recordedOperation() || '',
  );
  return finished(outcome(end, { snapshot, reads: result.reads }));
}

function readHeading(ctx: FollowContext, readNumber: number): string {
  const elapsed = Math.floor((ctx.now() - ctx.stepStart) / 1000) * 1000;
  return `[+${formatDuration(elapsed)}] read ${readNumber}`;
}
