/**
 * The job summary of one offer, rendered as one HTML/Markdown string. Pure. Everything that came
 * from the service or the user is escaped, and service HTML passes the allow-list sanitizer
 * (`summary-cells.ts`): `core.summary` escapes nothing itself. Several offers: `summary-offers.ts`.
 */
import { marker } from './changes.js';
import { formatDuration } from './duration.js';
import { renderChanges } from './configure/render.js';
import type { ChangePlan } from './configure/types.js';
import { planWords, renderRelease } from './release-render.js';
import type { ReleasePlan } from './release.js';
import { escapeHtml } from './html.js';
import type { Snapshot } from './model.js';
import type { Tracking } from './deployment.js';
import { describeStarted, type StartedWrite } from './started.js';
import type { End } from './end.js';
import { describeEnd, failureReasons, stepVerb } from './stop-rules.js';
import {
  SUMMARY_LIMIT_BYTES,
  code,
  inlineMessage,
  links,
  messagesDetails,
  sendsSomething,
  stepsTable,
  table,
  trackingRows,
} from './summary-cells.js';

export interface SummaryInput {
  /** The API followed, e.g. `product-ingestion API`. */
  api: string;
  /** Empty where the API does not use it. */
  publisherId: string;
  offerId: string;
  operationId: string;
  /** What this step asked the API to start. */
  started?: readonly StartedWrite[];
  snapshot: Snapshot | undefined;
  end: End;
  failed: boolean;
  waitedMs: number;
  reads: number;
  /** A link to the workflow run, when the runner's context names one. */
  runUrl?: string;
  /** With `track: deployment`: what the last run recorded. */
  tracking?: Tracking;
  /** Now (ms since the epoch), to say how long ago the last run recorded its status. */
  now?: number;
  /** The change this step put (or would put) into the offer. */
  plan?: ChangePlan;
  /** What the step decided to send (a dry run: what the real run would send). */
  release?: ReleasePlan;
  /** `dry-run: true`: the title says so and holds the prediction. */
  dryRun?: boolean;
}

function heading(input: SummaryInput): string {
  const icon =
    input.end.kind === 'timeout'
      ? '⌛'
      : input.end.kind === 'exported'
        ? '📦'
        : input.failed
          ? '❌'
          : input.snapshot
            ? marker(input.snapshot.status)
            : '❔';
  const offer = [input.publisherId, input.offerId].filter(Boolean).map(escapeHtml).join(' / ');
  if (input.dryRun) {
    // What a reviewer of a pull request reads first: that nothing was sent, and what would be.
    const would = input.release
      ? ` — the real run would ${escapeHtml(planWords(input.release))}`
      : '';
    return `## 🔍 Dry run, nothing sent: ${offer}${would}`;
  }
  return `## ${icon} Marketplace publish: ${offer}`;
}

function overview(input: SummaryInput): string {
  const status = input.snapshot ? code(input.snapshot.status) : '<em>not read</em>';
  const rows: [string, string][] = [
    ['Status', status],
    ['Why the wait ended', escapeHtml(describeEnd(input.end))],
  ];
  if (input.api) rows.push(['API', escapeHtml(input.api)]);
  if (input.publisherId) rows.push(['Publisher', code(input.publisherId)]);
  rows.push(['Offer', code(input.offerId)]);
  if (input.operationId) rows.push(['Operation', code(input.operationId)]);
  if (input.started?.length) {
    rows.push([
      'Started by this step',
      input.started.map((s) => escapeHtml(describeStarted(s))).join('<br>'),
    ]);
  }
  if (input.tracking) rows.push(...trackingRows(input.tracking, input.now ?? Date.now()));
  rows.push([
    'Waited',
    `${escapeHtml(formatDuration(input.waitedMs))} (${input.reads} ${input.reads === 1 ? 'read' : 'reads'})`,
  ]);
  if (input.runUrl)
    rows.push(['Run', `<a href="${escapeHtml(input.runUrl)}">${escapeHtml(input.runUrl)}</a>`]);
  return table(
    [],
    rows.map(([k, v]) => [`<strong>${k}</strong>`, v]),
  );
}

/** Statuses of a step that stopped the publish. */
const STOPPED = new Set(['failed', 'blocked', 'rejected', 'canceled']);

/** Messages named in the summary's first lines; the rest are in "All messages". */
const FIRST_REASONS = 3;
const REASON_CHARS = 500;

/**
 * The outcome and its reason in one or two sentences, right under the heading: the step that
 * failed or is blocked and its first errors (links kept); else why the wait ended.
 */
function outcomeLines(input: SummaryInput): string {
  const { end, snapshot } = input;
  const failedPublish =
    end.kind === 'fail-on' || (end.kind === 'end-state' && end.status !== 'succeeded');
  if (!snapshot || !failedPublish) return `<p>${escapeHtml(describeEnd(end))}</p>`;
  const step =
    (end.kind === 'fail-on' && end.stepId
      ? snapshot.steps.find((s) => s.id === end.stepId)
      : undefined) ?? snapshot.steps.find((s) => STOPPED.has(s.status));
  const first = step
    ? `The step ${escapeHtml(step.name)} ${escapeHtml(stepVerb(step.status))}.`
    : escapeHtml(describeEnd(end));
  const reasons = failureReasons(snapshot);
  const shown = reasons.slice(0, FIRST_REASONS).map(({ stepName, message }) => {
    const html = inlineMessage(message, REASON_CHARS);
    const ended = /[.!?]$/.test(message.text) ? html : `${html}.`;
    return stepName && stepName !== step?.name ? `${escapeHtml(stepName)}: ${ended}` : ended;
  });
  const more = reasons.length - shown.length;
  const rest = more > 0 ? ` (${more} more in the messages below.)` : '';
  const because = shown.length ? ` ${shown.join(' ')}${rest}` : '';
  return `<p><strong>${first}</strong>${because}</p>`;
}

export function renderSummary(input: SummaryInput): string {
  // What the step changes comes before the steps: it is what a reviewer checks first.
  const head = [heading(input), outcomeLines(input), overview(input)];
  if (input.release && (input.dryRun || sendsSomething(input.release) || input.plan)) {
    head.push(renderRelease(input.release, Boolean(input.dryRun)));
  }
  if (input.plan) head.push(renderChanges(input.plan));
  const parts = [...head];
  if (input.snapshot) {
    parts.push('### Steps', stepsTable(input.snapshot));
    parts.push(links('Preview links', input.snapshot.previewLinks));
    parts.push(links('Live links', input.snapshot.liveLinks));
    // product-ingestion gives no preview links: its previews are in Partner Center.
    parts.push(links('Partner Center', input.snapshot.offerUrl ? [input.snapshot.offerUrl] : []));
    parts.push(messagesDetails(input.snapshot));
  }
  let summary = parts.filter(Boolean).join('\n\n') + '\n';
  if (Buffer.byteLength(summary) > SUMMARY_LIMIT_BYTES) {
    // Only the messages can grow without bound; drop them before anything else.
    const withoutDetails = parts.slice(0, -1).filter(Boolean).join('\n\n');
    summary = `${withoutDetails}\n\n<p><em>The full messages were left out: they exceed the job summary's 1 MiB limit. The step's log and its steps output have the latest.</em></p>\n`;
    if (Buffer.byteLength(summary) > SUMMARY_LIMIT_BYTES) {
      summary = `${head.join('\n\n')}\n\n<p><em>The steps were left out: they exceed the job summary's 1 MiB limit.</em></p>\n`;
    }
  }
  return summary;
}
