/**
 * One offer's step while it is followed: what each step of `followOffer` shares (the Publisher,
 * the options of every call, the plan so far) and the `OfferOutcome` it ends with.
 */
import type { Adapter } from '../adapters/adapter.js';
import type { OfferMessages } from '../core/changes.js';
import type { ChangePlan, FileResource } from '../core/configure/types.js';
import { formatDuration } from '../core/duration.js';
import type { End } from '../core/end.js';
import type { Snapshot } from '../core/model.js';
import type { OfferOutcome } from '../core/outcome.js';
import { nothingPlanned, type ReleasePlan } from '../core/release.js';
import { failsStep } from '../core/stop-rules.js';
import type { DeploymentTracker } from '../github/deployments.js';
import type { Runner } from '../github/runner.js';
import type { CallOptions } from '../http/client.js';
import type { Settings } from '../inputs/index.js';
import type { PlanContext } from './change.js';
import { Publisher } from './publish.js';
import { logRead } from './read-log.js';

/** What `followOffer` is given: the offer, its settings and adapter, its log, the clock, the deadline. */
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

export class OfferRun {
  readonly publisher: Publisher;
  /** Reads and writes alike stop at cancellation and at the deadline. */
  readonly signal: AbortSignal;
  /** Annotations already raised for this offer: each said once. */
  readonly warned = new Set<string>();
  /** The change planned (then as carried out), the release plan, and whether the files drifted. */
  change: ChangePlan | undefined;
  release: ReleasePlan = nothingPlanned();
  drift: boolean | undefined;
  /** The change's context, when change inputs were given on an API that changes offers. */
  planning: PlanContext | undefined;

  constructor(readonly ctx: FollowContext) {
    const { settings, runner } = ctx;
    // A cancelled step ends in seconds, and a write cut off in flight is reported as one that
    // may have started.
    this.signal = AbortSignal.any([ctx.cancel, ctx.expiry]);
    this.publisher = new Publisher({
      adapter: ctx.adapter,
      now: ctx.now,
      sleep: ctx.sleep,
      info: (message) => runner.info(message),
      warning: (message) => runner.warning(message),
      cancelled: () => this.cancelled,
      readCall: this.call,
      writeCall: () => ({ deadline: ctx.deadline, signal: this.signal, retries: 0 }),
      deadline: ctx.deadline,
      settleMs: Math.min(Math.max(settings.pollIntervalMs, 1_000), WRITE_SETTLE_MAX_MS),
      pollIntervalMs: settings.pollIntervalMs,
      maxFailedReads: settings.maxFailedReads,
      offer: settings.publisherId
        ? `offer ${settings.publisherId}/${ctx.offerId}`
        : `offer ${ctx.offerId}`,
    });
  }

  /** A read's options. Backoff between tries never exceeds the poll interval. */
  readonly call = (): CallOptions => ({
    deadline: this.ctx.deadline,
    signal: this.signal,
    maxRetryDelayMs: this.ctx.settings.pollIntervalMs,
  });

  get cancelled(): boolean {
    return this.ctx.cancel.aborted;
  }

  outcome(end: End, rest: Partial<OfferOutcome> = {}): OfferOutcome {
    const { ctx, publisher, change, drift } = this;
    const snapshot = rest.snapshot;
    return {
      offerId: ctx.offerId,
      end,
      snapshot: undefined,
      reads: 0,
      ...rest,
      operationId: publisher.operationId,
      started: publisher.started,
      failed: failsStep(end, ctx.settings.failOnTimeout),
      release: this.release,
      // The preview waiting for a person: the one to review, and to pin the go-live to.
      previewId:
        snapshot?.status === 'waitingForPublisherReview'
          ? snapshot.subject || publisher.operationId
          : '',
      ...(ctx.tracker ? { tracking: ctx.tracker.tracking } : {}),
      ...(change ? { plan: change } : {}),
      ...(drift === undefined ? {} : { drift }),
    };
  }

  /** The outcome, once said: a cancelled step that was asked to write says so even when it sent nothing. */
  finished(o: OfferOutcome): OfferOutcome {
    const { settings, runner } = this.ctx;
    if (o.end.kind === 'cancelled' && (settings.publish || settings.goLive) && !o.started.length) {
      runner.info('Cancelled before any publish or go-live was sent: this step started nothing.');
    }
    return o;
  }

  /** `[+2m] read 3`: when a read came, for the log. */
  heading(readNumber: number): string {
    const elapsed = Math.floor((this.ctx.now() - this.ctx.stepStart) / 1000) * 1000;
    return `[+${formatDuration(elapsed)}] read ${readNumber}`;
  }

  /** Logs one read against the one before. */
  readonly onRead = (previous: Snapshot | undefined, current: Snapshot, readNumber: number) =>
    logRead(
      this.ctx.runner,
      previous,
      current,
      { warned: this.warned, seen: this.ctx.seen },
      this.heading(readNumber),
    );

  /** A read failed and the wait goes on. */
  readonly onReadFailed = (message: string, failedInRow: number) =>
    this.ctx.runner.warning(
      `${message} Read ${failedInRow} of ${this.ctx.settings.maxFailedReads} in a row failed; still waiting.`,
    );
}
