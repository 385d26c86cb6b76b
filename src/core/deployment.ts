/**
 * An offer's publish as a GitHub deployment: which deployment state an offer status is, the
 * status's description (which starts with the offer status, so the next run can read it back),
 * and how long ago something was recorded. Pure.
 */
import type { FailOn } from './end.js';
import { normalizeOfferStatus } from './status.js';

export type DeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'inactive';

/** GitHub keeps a deployment status's description to 140 characters. */
const DESCRIPTION_LIMIT = 140;

const REVIEW_WORDS = 'preview ready, waiting for the publisher sign-off';

/**
 * `notStarted` → queued; `running` (and any status the action does not know) → in_progress;
 * `waitingForPublisherReview` → in_progress, saying the preview is ready; `succeeded` → success;
 * a status in `fail-on`, or `failed`, → failure; `canceled` or `neverPublished` left out of
 * `fail-on` → inactive.
 */
export function deploymentState(status: string, failOn: FailOn): DeploymentState {
  if (failOn.offer.has(status) || status === 'failed') return 'failure';
  switch (status) {
    case 'notStarted':
      return 'queued';
    case 'succeeded':
      return 'success';
    case 'canceled':
    case 'neverPublished':
      return 'inactive';
    default:
      return 'in_progress';
  }
}

/** `waitingForPublisherReview: preview ready, …`: the offer status first, then words for people. */
export function describeStatus(status: string, detail = ''): string {
  const words = status === 'waitingForPublisherReview' ? REVIEW_WORDS : detail;
  const text = words ? `${status}: ${words}` : status;
  return text.length > DESCRIPTION_LIMIT ? `${text.slice(0, DESCRIPTION_LIMIT - 1)}…` : text;
}

/** The offer status a description starts with; undefined when it names none. */
export function statusOfDescription(description: unknown): string | undefined {
  if (typeof description !== 'string') return undefined;
  const first = /^\s*([A-Za-z]+)/.exec(description)?.[1];
  if (!first) return undefined;
  const status = normalizeOfferStatus(first);
  return status.known ? status.value : undefined;
}

/** `2 days ago`, `3 hours ago`, `5 minutes ago`, `just now`. */
export function ago(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** `marketplace-{offer}` with `{offer}` and `{publisher}` filled in. */
export function environmentName(template: string, ids: { offerId: string; publisherId: string }) {
  return template.replaceAll('{offer}', ids.offerId).replaceAll('{publisher}', ids.publisherId);
}

/** What the last run recorded for an offer, and what this run did about it. */
export interface Tracking {
  environment: string;
  /** A link to the environment's deployments, when the run's context names the repository. */
  environmentUrl?: string;
  /** GitHub could be read: `previousStatus` and `changed` mean something. */
  read: boolean;
  previousStatus?: string;
  /** When the previous status was recorded (ms since the epoch). */
  previousAt?: number;
}
