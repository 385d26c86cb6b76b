/**
 * The third step: wait by the stop rules (`wait.ts`), reading what the Publisher follows, going
 * live at the sign-off by the plan (`go-live.ts`), and recording each read in the offer's
 * deployment. A change without a publish waits for nothing: one read says what preview and live hold.
 */
import type { End, WaitUntil } from '../core/end.js';
import type { Snapshot } from '../core/model.js';
import type { DeploymentTracker } from '../github/deployments.js';
import type { Carried } from './carry-out.js';
import { inUserWords } from './explain.js';
import type { OfferRun } from './follow-run.js';
import { atSignoff, type GoLiveRule } from './go-live.js';
import { goLiveRule } from './plan-log.js';
import type { Planned } from './release.js';
import { waitForOffer, type WaitDeps, type WaitResult } from './wait.js';

/** What the wait goes by, and what it met on the way. */
interface WaitState {
  /** What the wait does at the sign-off, by the plan. */
  rule: GoLiveRule;
  /** The warning said when a go-live was not sent at the sign-off; empty when none was. */
  declined: string;
  /** A change without a publish: the read says what preview and live hold, no verdict. */
  changeOnly: boolean;
  /** The offer's deployment (none in a dry run: it sends nothing anywhere). */
  tracker: DeploymentTracker | undefined;
}

export type Waited = WaitState & { result: WaitResult };

export async function waitStep(
  run: OfferRun,
  planned: Planned,
  carried: Carried | undefined,
): Promise<Waited> {
  const { settings } = run.ctx;
  const changeOnly =
    settings.change !== undefined && !settings.publish && run.release.goLive === 'none';
  // A dry run sends nothing anywhere: no go-live, no deployment record.
  const tracker = settings.dryRun ? undefined : run.ctx.tracker;
  await tracker?.readPrevious();
  const state: WaitState = {
    rule: goLiveRule(planned, carried, settings),
    declined: '',
    changeOnly,
    tracker,
  };
  const result = await waitForOffer(
    {
      rules: { failOn: settings.failOn, waitUntil: waitUntil(run, state) },
      startedAt: run.ctx.stepStart,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxFailedReads: settings.maxFailedReads,
    },
    waitDeps(run, state),
  );
  // The state as the wait left it: `declined` and `rule` may have changed on the way.
  return Object.assign(state, { result });
}

/** What the wait waits for: nothing in a dry run or for a change alone; completion for a go-live it sends. */
function waitUntil(run: OfferRun, { changeOnly, rule }: WaitState): WaitUntil {
  const { settings } = run.ctx;
  if (settings.dryRun || changeOnly) return 'none';
  return settings.waitUntil === 'review' && rule.plan === 'send'
    ? 'completion'
    : settings.waitUntil;
}

function waitDeps(run: OfferRun, waited: WaitState): WaitDeps {
  const { ctx, publisher } = run;
  let unrelated = '';
  return {
    now: ctx.now,
    sleep: ctx.sleep,
    cancelled: () => run.cancelled,
    read: () => read(run, waited.rule),
    accept: (snapshot) => publisher.counts(snapshot),
    onUnrelated: (snapshot, readNumber) => {
      // Said once per status shown: the service catches up in its own time.
      if (snapshot.status === unrelated) return;
      unrelated = snapshot.status;
      ctx.runner.info(
        `${run.heading(readNumber)}: the service still shows an earlier publish ` +
          `(status ${snapshot.status}); waiting for this step's ${publisher.started.at(-1)?.name ?? 'write'} to be listed.`,
      );
    },
    act: actAtEachRead(run, waited),
    onRead: run.onRead,
    onReadFailed: (error, failedInRow) => run.onReadFailed(error.message, failedInRow),
  };
}

/** One read; a write accepted, then refused because another submission runs, joins that one. */
async function read(run: OfferRun, rule: GoLiveRule): Promise<Snapshot> {
  const { publisher } = run;
  let snapshot: Snapshot;
  try {
    snapshot = await publisher.read();
  } catch (error) {
    if (!publisher.joinAfterRefusal(error)) throw error;
    rule.plan = 'none';
    rule.why = 'the publish was refused because another submission holds the product';
    snapshot = await publisher.read();
  }
  // A job's errors name resources by durable id: say which plan, version or file they are.
  return run.change ? inUserWords(snapshot, run.change) : snapshot;
}

/** At each read: the go-live at the sign-off, by the plan, and the deployment's record. */
function actAtEachRead(run: OfferRun, waited: WaitState) {
  const { ctx, publisher } = run;
  const { settings } = ctx;
  // The deployment is the publish's: a go-live this step sends does not make another one.
  const publishOperation = publisher.operationId;
  const startedPublish = () => publisher.started.some((s) => s.name === 'publish');
  return async (snapshot: Snapshot): Promise<End | undefined> => {
    let end: End | undefined;
    if (settings.goLive && !settings.dryRun && snapshot.status === 'waitingForPublisherReview') {
      const at = atSignoff(
        waited.rule,
        snapshot.subject || publisher.operationId,
        publisher.showsOwn(snapshot),
      );
      if (at.send) await publisher.goLive(snapshot);
      else {
        end = at.end;
        if (at.warning && !waited.declined) ctx.runner.warning((waited.declined = at.warning));
      }
    }
    await waited.tracker?.observe(
      snapshot,
      publishOperation || publisher.operationId,
      startedPublish(),
    );
    return end;
  };
}
