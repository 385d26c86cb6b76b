/**
 * When the wait ends, and whether the step fails. Pure: a snapshot and the settings in, a decision out.
 */
import { formatDuration } from './duration.js';
import type { End, FailOn, WaitUntil } from './end.js';
import type { Message, Snapshot } from './model.js';
import { oneLine } from './html.js';
import type { OfferOutcome } from './outcome.js';
import { rollupStatus } from './rollup.js';
import { describeStarted, type StartedWrite } from './started.js';
import { OFFER_END_STATES } from './status.js';

export interface StopRules {
  failOn: FailOn;
  waitUntil: WaitUntil;
}

/** Whether a read ends the wait; `undefined` means keep waiting. */
export function decide(snapshot: Snapshot, rules: StopRules): End | undefined {
  if (rules.failOn.offer.has(snapshot.status)) {
    return { kind: 'fail-on', status: snapshot.status };
  }
  // A blocked or rejected step fails fast instead of waiting out the timeout.
  const failedStep = snapshot.steps.find((s) => rules.failOn.step.has(s.status));
  if (failedStep) {
    return {
      kind: 'fail-on',
      status: failedStep.status,
      stepId: failedStep.id,
      stepName: failedStep.name,
    };
  }
  if (OFFER_END_STATES.has(snapshot.status)) return { kind: 'end-state', status: snapshot.status };
  if (snapshot.status === 'waitingForPublisherReview' && rules.waitUntil === 'review') {
    return { kind: 'review' };
  }
  if (rules.waitUntil === 'none') return { kind: 'single-read' };
  return undefined;
}

/** Whether this end fails the step. */
export function failsStep(end: End, failOnTimeout: boolean): boolean {
  return (
    end.kind === 'fail-on' ||
    end.kind === 'error' ||
    end.kind === 'cancelled' ||
    (end.kind === 'timeout' && failOnTimeout)
  );
}

/** An offer that ended before any read: an input or sign-in error, an export, a bug met on it. */
export function endedBeforeReading(
  offerId: string,
  end: End,
  failOnTimeout: boolean,
): OfferOutcome {
  const failed = failsStep(end, failOnTimeout);
  return { offerId, operationId: '', end, snapshot: undefined, reads: 0, started: [], failed };
}

/** What an offer status means, as the subject and verb of a sentence. */
function offerIs(status: string): string {
  switch (status) {
    case 'failed':
      return 'The publish failed';
    case 'canceled':
      return 'The publish was canceled';
    case 'neverPublished':
      return 'The offer has never been published';
    case 'succeeded':
      return 'The offer is live: the publish succeeded';
    case 'notStarted':
      return 'The publish has not started';
    case 'running':
      return 'The publish is running';
    case 'waitingForPublisherReview':
      return 'The preview is ready and waits for the publisher sign-off';
    default:
      return `The offer's status is ${status}`;
  }
}

/** A step's status as the verb of a sentence: `failed`, `is blocked`, `was rejected`. */
export function stepVerb(status: string): string {
  switch (status) {
    case 'failed':
      return 'failed';
    case 'rejected':
      return 'was rejected';
    case 'canceled':
      return 'was canceled';
    default:
      return `is ${status}`;
  }
}

/** One plain sentence (two at most) on why the wait ended, for the log and the summary. */
export function describeEnd(end: End): string {
  switch (end.kind) {
    case 'fail-on':
      return end.stepId
        ? `The step ${end.stepName || end.stepId} ${stepVerb(end.status)} (fail-on lists ${end.status}).`
        : `${offerIs(end.status)} (fail-on lists ${end.status}).`;
    case 'end-state':
      return end.status === 'succeeded'
        ? `${offerIs(end.status)}.`
        : `${offerIs(end.status)}; fail-on does not list ${end.status}, so the step passes.`;
    case 'review':
      return `${offerIs('waitingForPublisherReview')}; the wait stops there (wait-until: review).`;
    case 'single-read':
      return 'The offer was read once, as wait-until: none asks.';
    case 'timeout':
      return `The wait ran out of time after ${formatDuration(end.timeoutMs)} (timeout) while the publish was still under way.`;
    case 'cancelled':
      return 'The workflow was cancelled; this is what was seen until then. The publish itself goes on.';
    case 'error':
      return end.message;
    case 'exported':
      return (
        `Exported the offer's ${end.target} to ${end.folder}: ${end.files} ` +
        `${end.files === 1 ? 'file' : 'files'}, ${end.written} written, ` +
        `${end.files - end.written} unchanged. Nothing was sent.`
      );
    case 'draft-changed':
      return (
        `${end.sent ? 'The draft holds the change' : 'The draft already held the change'}; nothing ` +
        `was published (publish is not true). In preview: ${end.preview}; live: ${end.live}.`
      );
  }
}

/** A message that says why a publish failed, and the step it belongs to (none: the offer's). */
export interface Reason {
  stepName?: string;
  message: Message;
}

/**
 * The messages that say why: every error (the offer's first, then each step's); when there is
 * none, the offer's warnings (a note on where to look).
 */
export function failureReasons(snapshot: Snapshot): Reason[] {
  const errors: Reason[] = [
    ...snapshot.messages.filter((m) => m.level === 'error').map((message) => ({ message })),
    ...snapshot.steps.flatMap((s) =>
      s.messages
        .filter((m) => m.level === 'error')
        .map((message) => ({ stepName: s.name, message })),
    ),
  ];
  if (errors.length > 0) return errors;
  return snapshot.messages.filter((m) => m.level === 'warning').map((message) => ({ message }));
}

/** Error messages named in the closing message, and the characters kept of each. */
const CLOSING_ERRORS = 3;
const CLOSING_ERROR_CHARS = 500;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The closing message: why the wait ended, and for a failure every step message of level error. */
export function closingMessage(
  end: End,
  snapshot: Snapshot | undefined,
  started: readonly StartedWrite[] = [],
): string {
  const parts = [describeEnd(end)];
  const sure = started.filter((s) => !s.uncertain);
  const unsure = started.filter((s) => s.uncertain);
  if (sure.length > 0) {
    // Whatever ended the wait, what the step started goes on: nothing is ever cancelled.
    const ended =
      end.kind === 'end-state' || end.kind === 'draft-changed' || end.kind === 'exported';
    const goesOn = ended ? '' : '; it goes on, nothing was cancelled';
    parts.push(`This step started: ${sure.map(describeStarted).join('; ')}${goesOn}.`);
  }
  if (unsure.length > 0) {
    parts.push(
      `This step sent ${unsure.map((s) => `a ${s.name} request at ${new Date(s.at).toISOString()}`).join(' and ')} ` +
        'that got no clear answer: it may have started. Look in Partner Center before running ' +
        'this step again.',
    );
  }
  if (snapshot && end.kind !== 'error') {
    parts.unshift(`Status: ${snapshot.status}.`);
    if (end.kind === 'fail-on') {
      const reasons = failureReasons(snapshot);
      const label = reasons.some((r) => r.message.level === 'error') ? 'Errors' : 'Note';
      const all = reasons.map(({ stepName, message }) =>
        stepName ? `${stepName}: ${oneLine(message.text)}` : oneLine(message.text),
      );
      if (all.length > 0) {
        // The first few, each cut short: a flood of messages must not make a line of megabytes.
        const shown = all.slice(0, CLOSING_ERRORS).map((e) => clip(e, CLOSING_ERROR_CHARS));
        const more = all.length - shown.length;
        parts.push(
          `${label}: ${shown.join(' | ')}${more > 0 ? ` | and ${more} more (in the log and the summary)` : ''}`,
        );
      }
    }
  }
  return parts.join(' ');
}

/** Offers named in the closing message of several, and the characters kept of each one's reason. */
const CLOSING_OFFERS = 10;
const CLOSING_OFFER_CHARS = 400;

/**
 * The closing message for several offers: the rollup, then every offer that did not end well
 * (failed, timed out, cancelled, or refused) and why, bounded.
 */
export function closingMessageOffers(outcomes: readonly OfferOutcome[]): string {
  const rollup = rollupStatus(outcomes.map((o) => o.snapshot?.status));
  const head = `${outcomes.length} offers${rollup ? `, status ${rollup}` : ''}.`;
  const unwell = outcomes.filter((o) => o.failed || END_NOT_WELL.has(o.end.kind));
  if (unwell.length === 0) {
    const each = outcomes.map((o) => `${o.offerId}: ${o.snapshot?.status ?? 'not read'}`);
    return `${head} Every offer's wait ended well (${each.slice(0, CLOSING_OFFERS).join(', ')}${
      each.length > CLOSING_OFFERS ? `, and ${each.length - CLOSING_OFFERS} more` : ''
    }).`;
  }
  const named = unwell
    .slice(0, CLOSING_OFFERS)
    .map(
      (o) =>
        `${o.offerId}: ${clip(closingMessage(o.end, o.snapshot, o.started), CLOSING_OFFER_CHARS)}`,
    );
  const more = unwell.length - named.length;
  return (
    `${head} ${unwell.length} of ${outcomes.length} did not end well — ${named.join(' || ')}` +
    `${more > 0 ? ` || and ${more} more (in the summary)` : ''}`
  );
}

const END_NOT_WELL: ReadonlySet<End['kind']> = new Set([
  'timeout',
  'cancelled',
  'error',
  'fail-on',
]);
