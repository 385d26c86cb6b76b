/**
 * The Cloud Partner Portal's answers, as schemas, and its status body as a `Snapshot`. The offer
 * status and an operation share one shape.
 *
 * The schemas are strict only about what the action relies on (a `status` string, `steps` as an
 * array of objects, messages as strings or objects) and tolerant of everything else: unknown
 * fields pass, unknown status values are kept as text, odd types in cosmetic fields are dropped.
 * Every text the service sends (statuses, ids, names, messages, timestamps) reaches the snapshot as
 * one line: a step name with a line break in it must not become a line of the log of its own.
 */
import * as v from 'valibot';
import { lineOf } from '../../core/html.js';
import { toMessage, type Message, type Snapshot, type Step } from '../../core/model.js';
import { OFFER_END_STATES } from '../../core/status.js';
import { isSignoffStep, readOfferStatus, readStepStatus, toLinks } from './vocabulary.js';

const MessageSchema = v.union([
  v.string(),
  v.looseObject({
    messageHtml: v.nullish(v.unknown()),
    message: v.nullish(v.unknown()),
    level: v.nullish(v.unknown()),
    timestamp: v.nullish(v.unknown()),
  }),
]);

const StepSchema = v.looseObject({
  id: v.nullish(v.unknown()),
  stepName: v.nullish(v.unknown()),
  status: v.nullish(v.unknown()),
  estimatedTimeFrame: v.nullish(v.unknown()),
  // The property table calls it `processPercentage`; the samples say `progressPercentage`.
  progressPercentage: v.nullish(v.unknown()),
  processPercentage: v.nullish(v.unknown()),
  messages: v.nullish(v.array(MessageSchema)),
});

export const StatusBodySchema = v.looseObject({
  status: v.string(),
  messages: v.nullish(v.array(MessageSchema)),
  steps: v.nullish(v.array(StepSchema)),
  previewLinks: v.nullish(v.array(v.unknown())),
  liveLinks: v.nullish(v.array(v.unknown())),
});
export type StatusBody = v.InferOutput<typeof StatusBodySchema>;

/** An id the log and the outputs name: one line, as sent otherwise. */
const IdSchema = v.pipe(
  v.string(),
  v.transform((id: string) => lineOf(id)),
);

export const SubmissionsBodySchema = v.array(
  v.looseObject({
    id: IdSchema,
    submissionState: v.nullish(v.unknown()),
    status: v.nullish(v.unknown()),
  }),
);

export const OffersBodySchema = v.array(
  v.looseObject({
    id: IdSchema,
    status: v.nullish(v.unknown()),
    definition: v.nullish(
      v.looseObject({
        displayText: v.pipe(
          v.nullish(v.unknown()),
          v.transform((x) => (typeof x === 'string' ? lineOf(x) : x)),
        ),
      }),
    ),
  }),
);

const REVIEW = 'waitingForPublisherReview';

/** A service's text, on one line; anything but a string is no text. */
const text = lineOf;

function message(raw: v.InferOutput<typeof MessageSchema>): Message {
  if (typeof raw === 'string') return toMessage('information', raw);
  const html =
    typeof raw.messageHtml === 'string'
      ? raw.messageHtml
      : typeof raw.message === 'string'
        ? raw.message
        : '';
  return toMessage(text(raw.level), html, text(raw.timestamp));
}

function toProgress(...candidates: unknown[]): number | null {
  for (const value of candidates) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n)) return Math.min(100, Math.max(0, n));
  }
  return null;
}

export function toSnapshot(body: StatusBody): Snapshot {
  const steps: Step[] = (body.steps ?? []).map((raw, index) => {
    const status = readStepStatus(raw.status);
    const name = text(raw.stepName);
    return {
      id: text(raw.id) || name || `step-${index + 1}`,
      name: name || text(raw.id) || `Step ${index + 1}`,
      status: status.value,
      statusKnown: status.known,
      progress: toProgress(raw.progressPercentage, raw.processPercentage),
      estimatedTimeFrame: text(raw.estimatedTimeFrame),
      messages: (raw.messages ?? []).map(message),
    };
  });
  const reported = readOfferStatus(body.status);
  const inReview = steps.some((s) => isSignoffStep(s) && s.status === REVIEW);
  const status = inReview && !OFFER_END_STATES.has(reported.value) ? REVIEW : reported.value;
  return {
    reported,
    status,
    steps,
    messages: (body.messages ?? []).map(message),
    previewLinks: toLinks(body.previewLinks),
    liveLinks: toLinks(body.liveLinks),
  };
}
