/**
 * Carrying out the plan in the order the service accepts it: the change alone, once nothing runs
 * and planned on the draft as it is then; its job followed to success; then the publish (the
 * submission alone) or the publish that runs, joined. A change refused publishes nothing.
 */
import type { OfferChanges, Publication } from '../adapters/adapter.js';
import { sentResources } from '../core/configure/render.js';
import type { ChangePlan } from '../core/configure/types.js';
import type { End, FailOn } from '../core/end.js';
import type { Snapshot } from '../core/model.js';
import type { Settings } from '../inputs/index.js';
import { explainJobErrors } from '../core/configure/errors.js';
import { changeLanded, planOnDraft, resourcesToSend, type PlanContext } from './change.js';
import type { Planned } from './release.js';
import { STALE, type Publisher } from './publish.js';
import { waitForOffer } from './wait.js';

export interface CarryDeps {
  settings: Settings;
  publisher: Publisher;
  changes?: OfferChanges;
  planning?: PlanContext;
  now(): number;
  sleep(ms: number): Promise<void>;
  cancelled(): boolean;
  stepStart: number;
  info(message: string): void;
  /** Logs one read of the change's job. */
  onRead(previous: Snapshot | undefined, current: Snapshot, readNumber: number): void;
  onReadFailed(message: string, failedInRow: number): void;
}

export type Carried =
  /** Sent what the plan says; the wait follows what the writes returned. */
  | { kind: 'sent'; change?: ChangePlan }
  /**
   * The change was refused because another submission holds the product: nothing of it landed,
   * nothing was published, and that submission is followed (never pushed live by this step).
   */
  | { kind: 'refused-for-lock'; change?: ChangePlan }
  /** The change's job ended otherwise (refused, timed out, cancelled): nothing was published. */
  | { kind: 'ended'; end: End; snapshot: Snapshot | undefined; reads: number; change?: ChangePlan };

/** A change's job: it ends succeeded, or failed or cancelled. */
const JOB_ENDS: FailOn = {
  entries: ['failed', 'canceled'],
  offer: new Set(['failed', 'canceled']),
  step: new Set(['failed', 'canceled']),
};

export async function carryOut(deps: CarryDeps, planned: Planned): Promise<Carried> {
  const { settings, publisher, release } = { ...deps, release: planned.release };
  let listed: Publication[] | undefined = planned.state?.publications;
  let change = planned.change;
  if (release.configure.length > 0 && deps.changes && deps.planning && change) {
    const quiet = await publisher.awaitQuiet(listed ?? []);
    if (quiet.waited) {
      // Hours may have passed: plan on the draft as it is now, so edits made meanwhile are kept
      // and a version that appeared meanwhile is already there.
      change = await planOnDraft(deps.planning, await deps.changes.readDraft(deps.planning.call()));
      release.configure = sentResources(change);
      deps.info(
        `Read the draft again after the wait: ${
          release.configure.length
            ? `the change sends ${release.configure.length} resource(s).`
            : 'everything asked for is already there; no change is sent.'
        }`,
      );
    }
    const resources = resourcesToSend(change);
    if (resources.length > 0) {
      const planning = deps.planning;
      await publisher.configure(
        deps.changes,
        resources,
        () => changeLanded(planning),
        quiet.listed,
      );
      const job = await awaitChange(deps, change);
      if (job === 'joined') return { kind: 'refused-for-lock', change };
      if (job) return { ...job, change };
    }
    // The listing moved on: the publish lists again.
    listed = undefined;
  }
  switch (release.publish) {
    case 'start':
    case 'wait-then-start':
      await publisher.publish(settings.notificationEmails, listed);
      break;
    case 'join': {
      const running = planned.state?.running;
      if (running) publisher.join(running, joinNote(planned));
      break;
    }
    case 'none':
      break;
  }
  return { kind: 'sent', ...(change ? { change } : {}) };
}

/** What to say of a publish joined: nothing when it holds the draft (it is this release's). */
function joinNote({ facts }: Planned): string {
  if (!facts.known) return STALE;
  if (facts.pushes.length === 0) return '';
  return (
    `It lacks what the draft holds since (${facts.pushes.slice(0, 5).join(', ')}); run this ` +
    'step again once it has ended to publish that.'
  );
}

/**
 * Follows the change's job until it has succeeded (undefined), or says how it ended otherwise:
 * refused (the step's error, in the user's words, nothing published), out of time or cancelled.
 * A job refused because another submission holds the product joins that one instead.
 */
async function awaitChange(
  deps: CarryDeps,
  change: ChangePlan,
): Promise<Extract<Carried, { kind: 'ended' }> | 'joined' | undefined> {
  const { settings, publisher } = deps;
  let joined = false;
  const result = await waitForOffer(
    {
      rules: { failOn: JOB_ENDS, waitUntil: 'completion' },
      startedAt: deps.stepStart,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxFailedReads: settings.maxFailedReads,
    },
    {
      now: deps.now,
      sleep: deps.sleep,
      cancelled: deps.cancelled,
      read: async () => {
        try {
          return await publisher.read();
        } catch (error) {
          // Refused because another submission holds the product: nothing of the change
          // landed; that submission is followed instead.
          if (!publisher.joinAfterRefusal(error)) throw error;
          joined = true;
          return publisher.read();
        }
      },
      act: async () => (joined ? { kind: 'single-read' } : undefined),
      onRead: deps.onRead,
      onReadFailed: (error, failedInRow) => deps.onReadFailed(error.message, failedInRow),
    },
  );
  if (joined) return 'joined';
  const { end, snapshot, reads } = result;
  if (end.kind === 'end-state' && end.status === 'succeeded') {
    publisher.changeApplied();
    return undefined;
  }
  if (end.kind === 'fail-on') {
    const errors = snapshot
      ? snapshot.steps.flatMap((s) => s.messages.filter((m) => m.level === 'error'))
      : [];
    const said = explainJobErrors(
      errors.map((m) => m.text),
      change,
    );
    const message =
      `The change was refused (its configure job ${end.status}); nothing was published.` +
      (said.length
        ? ` ${said.slice(0, 3).join(' | ')}${said.length > 3 ? ` | and ${said.length - 3} more` : ''}`
        : '');
    return { kind: 'ended', end: { kind: 'error', message }, snapshot, reads };
  }
  return { kind: 'ended', end, snapshot, reads };
}
