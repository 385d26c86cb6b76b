/**
 * What one read of the service says, in the action's own terms: a `Snapshot` of the offer's status
 * and steps, built from either the offer-status body or an operation body (they share a shape).
 *
 * The schemas are strict only about what the action relies on (a `status` string, `steps` as an
 * array of objects, messages as strings or objects) and tolerant of everything else: unknown
 * fields pass, unknown status values are kept as text, odd types in cosmetic fields are dropped.
 */
import * as v from 'valibot';
import { escapeHtml, htmlToText, tidy } from './html.js';
import {
  OFFER_END_STATES,
  normalizeOfferStatus,
  normalizeStepStatus,
  statusKey,
  type Normalized,
} from './status.js';

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

export const SubmissionsBodySchema = v.array(
  v.looseObject({
    id: v.string(),
    submissionState: v.nullish(v.unknown()),
    status: v.nullish(v.unknown()),
  }),
);

export const OffersBodySchema = v.array(
  v.looseObject({
    id: v.string(),
    status: v.nullish(v.unknown()),
    definition: v.nullish(v.looseObject({ displayText: v.nullish(v.unknown()) })),
  }),
);

export interface Message {
  /** `information`, `warning`, `error`, or the service's own word. */
  level: string;
  /** Plain text, safe for logs and annotations. */
  text: string;
  /** The service's HTML as sent; sanitize before rendering. */
  html: string;
  timestamp: string;
}

export interface Step {
  id: string;
  name: string;
  /** Canonical step status when known, otherwise the service's text. */
  status: string;
  statusKnown: boolean;
  /** 0–100, or null when the service sent none. */
  progress: number | null;
  estimatedTimeFrame: string;
  messages: Message[];
}

export interface Snapshot {
  /** The offer's (or operation's) own status, in the offer vocabulary. */
  reported: Normalized<string>;
  /**
   * The status the action acts on: `reported`, except that a publisher sign-off step waiting for
   * review means the offer waits for review even while the offer itself still says `running`.
   */
  status: string;
  steps: Step[];
  messages: Message[];
  previewLinks: string[];
  liveLinks: string[];
}

const REVIEW = 'waitingForPublisherReview';

function text(value: unknown): string {
  return typeof value === 'string' ? tidy(value) : '';
}

function toMessage(raw: v.InferOutput<typeof MessageSchema>): Message {
  if (typeof raw === 'string') {
    return bounded({ level: 'information', text: htmlToText(raw), html: raw, timestamp: '' });
  }
  const html =
    typeof raw.messageHtml === 'string'
      ? raw.messageHtml
      : typeof raw.message === 'string'
        ? raw.message
        : '';
  const level = typeof raw.level === 'string' && raw.level.trim() ? raw.level.trim() : '';
  return bounded({
    level: level ? level.toLowerCase() : 'information',
    text: htmlToText(html),
    html,
    timestamp: text(raw.timestamp),
  });
}

/** The longest message text kept; the service's messages are sentences, not megabytes. */
export const MESSAGE_LIMIT_CHARS = 4000;

/**
 * Clips an oversized message here, once, so that the log, annotations, outputs and summary all
 * stay bounded whatever the service sends.
 */
function bounded(m: Message): Message {
  if (m.html.length <= MESSAGE_LIMIT_CHARS * 2 && m.text.length <= MESSAGE_LIMIT_CHARS) return m;
  const text = `${m.text.slice(0, MESSAGE_LIMIT_CHARS)}… (truncated from ${m.text.length} characters)`;
  return { ...m, text, html: escapeHtml(text) };
}

function toProgress(...candidates: unknown[]): number | null {
  for (const value of candidates) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && Number.isFinite(n)) return Math.min(100, Math.max(0, n));
  }
  return null;
}

/** http(s) URLs from a links array, whether it holds strings or `{uri|url|href|link}` objects. */
function toLinks(raw: readonly unknown[] | null | undefined): string[] {
  const links: string[] = [];
  for (const item of raw ?? []) {
    const candidate =
      typeof item === 'string'
        ? item
        : item && typeof item === 'object'
          ? ['uri', 'url', 'href', 'link']
              .map((k) => (item as Record<string, unknown>)[k])
              .find((x) => typeof x === 'string')
          : undefined;
    if (typeof candidate === 'string' && /^https?:\/\/[^\s]+$/i.test(candidate.trim())) {
      links.push(candidate.trim());
    }
  }
  return links;
}

/** The publisher sign-off step, matched by id or by name. */
export function isSignoffStep(step: Pick<Step, 'id' | 'name'>): boolean {
  return statusKey(step.id) === 'publishersignoff' || statusKey(step.name) === 'publishersignoff';
}

export function toSnapshot(body: StatusBody): Snapshot {
  const steps: Step[] = (body.steps ?? []).map((raw, index) => {
    const status = normalizeStepStatus(raw.status);
    const name = text(raw.stepName);
    return {
      id: text(raw.id) || name || `step-${index + 1}`,
      name: name || text(raw.id) || `Step ${index + 1}`,
      status: status.value,
      statusKnown: status.known,
      progress: toProgress(raw.progressPercentage, raw.processPercentage),
      estimatedTimeFrame: text(raw.estimatedTimeFrame),
      messages: (raw.messages ?? []).map(toMessage),
    };
  });
  const reported = normalizeOfferStatus(body.status);
  const inReview = steps.some((s) => isSignoffStep(s) && s.status === REVIEW);
  const status = inReview && !OFFER_END_STATES.has(reported.value) ? REVIEW : reported.value;
  return {
    reported,
    status,
    steps,
    messages: (body.messages ?? []).map(toMessage),
    previewLinks: toLinks(body.previewLinks),
    liveLinks: toLinks(body.liveLinks),
  };
}

/** The statuses in a snapshot that no vocabulary knows, with where they were seen. */
export function unknownStatuses(snapshot: Snapshot): { where: string; value: string }[] {
  const found: { where: string; value: string }[] = [];
  if (!snapshot.reported.known) found.push({ where: 'offer', value: snapshot.reported.value });
  for (const step of snapshot.steps) {
    if (!step.statusKnown) found.push({ where: `step ${step.id}`, value: step.status });
  }
  return found;
}

/** The first step that is not complete: where the publish stands now. */
export function currentStep(snapshot: Snapshot): Step | undefined {
  return snapshot.steps.find((s) => s.status !== 'complete');
}
