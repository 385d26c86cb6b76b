/**
 * Following one offer: start what was asked (publish), wait by the stop rules, go live at the
 * sign-off if asked, and log what each read changed. Several offers run this side by side.
 */
import type { Adapter } from '../adapters/adapter.js';
import { changeLines, newMessageLine, type OfferMessages } from '../core/changes.js';
import { formatDuration } from '../core/duration.js';
import { changeLines as planLines } from '../core/configure/render.js';
import { explainJobErrors } from '../core/configure/errors.js';
import { ConfigureError } from '../core/configure/plan.js';
import type { ChangePlan, FileResource, Resource } from '../core/configure/types.js';
import { escapeHtml, oneLine } from '../core/html.js';
import {
  textMessage,
  toMessage,
  unknownStatuses,
  type Message,
  type Snapshot,
} from '../core/model.js';
import type { OfferOutcome } from '../core/outcome.js';
import type { End } from '../core/end.js';
import { failsStep } from '../core/stop-rules.js';
import type { DeploymentTracker } from '../github/deployments.js';
import type { Runner } from '../github/runner.js';
import { ApiError } from '../http/api-error.js';
import type { CallOptions } from '../http/client.js';
import { InputError, type Settings } from '../inputs/index.js';
import { changeLanded, planChange, previewCarries, resourcesToSend } from './change.js';
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
  /** `resources`: the resources its files hold, read and checked before any request. */
  files: FileResource[];
  /** The tenant a gallery image belongs to: `tenant-id`, else the token's `tid`. */
  tenantId(): Promise<string>;
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
    ctx,
    result.end,
    result.snapshot,
    call(),
    publisher.operationId || tracker?.recordedOperation() || '',
  );
  return finished(outcome(result.end, { snapshot, reads: result.reads }));
}

/**
 * A failed publish whose reads name no error (ingestion's submissions say only `failed`): the
 * errors of the configure job `jobId` that started it (this step's, the one followed, or the one
 * the last tracked run recorded), added to the offer's messages and logged. Without a job, or when
 * it names no error, a note says so and links the offer's page, where the certification report is.
 */
async function explainFailure(
  ctx: FollowContext,
  end: End,
  snapshot: Snapshot | undefined,
  call: CallOptions,
  jobId: string,
): Promise<Snapshot | undefined> {
  const { adapter, runner } = ctx;
  if (!adapter.reasons || !snapshot) return snapshot;
  if (end.kind !== 'fail-on' && end.kind !== 'end-state') return snapshot;
  const failed = snapshot.status === 'failed' || snapshot.steps.some((s) => s.status === 'failed');
  const said = [snapshot.messages, ...snapshot.steps.map((s) => s.messages)].some((ms) =>
    ms.some((m) => m.level === 'error'),
  );
  if (!failed || said) return snapshot;
  const page = snapshot.offerUrl || adapter.offerPage?.();
  const where = page
    ? ` Partner Center shows why, with the certification report: <a href="${escapeHtml(page)}">the offer in Partner Center</a>.`
    : " Partner Center shows why, with the certification report, on the offer's page.";
  let reasons: Message[] = [];
  let note = '';
  if (jobId) {
    try {
      reasons = await adapter.reasons(call, jobId);
      if (reasons.length === 0) {
        note = `Configure job ${escapeHtml(jobId)} lists no errors.${where}`;
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      note = `Could not read configure job ${escapeHtml(jobId)} for its errors (${escapeHtml(why)}).${where}`;
    }
  } else {
    note =
      'No configure job is known for this publish, so its errors cannot be read here (with ' +
      'track: deployment, a run that starts the publish records its job for later runs).' +
      where;
  }
  const title = jobId ? `Marketplace: configure job ${jobId}` : 'Marketplace offer';
  for (const m of reasons) runner.error(m.text, title);
  const added = note ? [...reasons, toMessage('warning', note)] : reasons;
  if (note) runner.warning(added.at(-1)!.text, title);
  return { ...snapshot, messages: [...snapshot.messages, ...added] };
}

function readHeading(ctx: FollowContext, readNumber: number): string {
  const elapsed = Math.floor((ctx.now() - ctx.stepStart) / 1000) * 1000;
  return `[+${formatDuration(elapsed)}] read ${readNumber}`;
}

function writeFailure(name: string, error: unknown, plan?: ChangePlan): string {
  if (error instanceof ApiError || error instanceof InputError || error instanceof ConfigureError) {
    return plan ? explainJobErrors([error.message], plan)[0]! : error.message;
  }
  return `Unexpected error while sending the ${name}: ${error instanceof Error ? error.message : String(error)}`;
}

/** The snapshot with each message that names a planned resource said in the user's words. */
function inUserWords(snapshot: Snapshot, plan: ChangePlan): Snapshot {
  const relabel = (m: Message): Message => {
    const [text] = explainJobErrors([m.text], plan);
    return text === m.text ? m : textMessage(m.level, text!, m.timestamp);
  };
  return {
    ...snapshot,
    messages: snapshot.messages.map(relabel),
    steps: snapshot.steps.map((step) => ({ ...step, messages: step.messages.map(relabel) })),
  };
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
