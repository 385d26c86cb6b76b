/**
 * The job summary, rendered as one HTML/Markdown string. Pure. Everything that came from the service
 * or the user is escaped, and `messageHtml` passes the allow-list sanitizer: `core.summary` escapes
 * nothing itself.
 */
import { marker, progressText } from './changes.js';
import { formatDuration } from './duration.js';
import { renderChanges } from './configure/render.js';
import type { ChangePlan } from './configure/types.js';
import { planWords, renderRelease } from './release-render.js';
import type { ReleasePlan } from './release.js';
import { escapeHtml, inlineServiceHtml, oneLine, sanitizeServiceHtml } from './html.js';
import type { Message, Snapshot } from './model.js';
import { ago, type Tracking } from './deployment.js';
import { currentStep } from './model.js';
import type { OfferOutcome } from './outcome.js';
import { rollupStatus } from './rollup.js';
import { describeStarted, type StartedWrite } from './started.js';
import type { End } from './end.js';
import { describeEnd, failureReasons, stepVerb } from './stop-rules.js';

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

/** `running, since 2 days ago` (what the last run recorded), and the environment's link. */
function trackingRows(tracking: Tracking, now: number): [string, string][] {
  const recorded = !tracking.read
    ? '<em>GitHub could not be read</em>'
    : tracking.previousStatus
      ? `${code(tracking.previousStatus)}${tracking.previousAt !== undefined ? `, since ${escapeHtml(ago(now - tracking.previousAt))}` : ''}`
      : '<em>nothing yet: the first run for this environment</em>';
  const env = tracking.environmentUrl
    ? `<a href="${escapeHtml(tracking.environmentUrl)}">${escapeHtml(tracking.environment)}</a>`
    : code(tracking.environment);
  return [
    ['Last run recorded', recorded],
    ['Environment', env],
  ];
}

/** GitHub rejects a step summary over 1 MiB; stay well under it whatever the service sends. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;
const CELL_LIMIT_CHARS = 200;

function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
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

function table(head: string[], rows: string[][]): string {
  const th = head.length ? `<tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>` : '';
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${th}${th ? '\n' : ''}${tr}\n</table>`;
}

/** A message in a table cell or a sentence: its own HTML (links kept), or its text cut short. */
function inlineMessage(m: Message, limit = CELL_LIMIT_CHARS): string {
  return m.text.length <= limit
    ? inlineServiceHtml(m.html)
    : escapeHtml(truncate(oneLine(m.text), limit));
}

function latest(messages: Message[]): string {
  const last = messages.filter((m) => m.text).at(-1);
  return last ? inlineMessage(last) : '';
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

function stepsTable(snapshot: Snapshot): string {
  if (snapshot.steps.length === 0) return '<p><em>The service listed no steps.</em></p>';
  return table(
    ['', 'Step', 'Status', 'Progress', 'Estimated time', 'Latest message'],
    snapshot.steps.map((s) => [
      marker(s.status),
      escapeHtml(s.name) + (s.detail ? `<br><sub>${escapeHtml(s.detail)}</sub>` : ''),
      code(s.status),
      escapeHtml(progressText(s.progress)),
      escapeHtml(s.estimatedTimeFrame),
      latest(s.messages),
    ]),
  );
}

function messageItem(m: Message): string {
  const when = m.timestamp ? ` <sub>${escapeHtml(m.timestamp)}</sub>` : '';
  return `<li><strong>${escapeHtml(m.level)}</strong>: ${sanitizeServiceHtml(m.html)}${when}</li>`;
}

function messagesDetails(snapshot: Snapshot): string {
  const groups = [
    { name: 'Offer', messages: snapshot.messages },
    ...snapshot.steps.map((s) => ({ name: s.name, messages: s.messages })),
  ].filter((g) => g.messages.length > 0);
  const count = groups.reduce((n, g) => n + g.messages.length, 0);
  if (count === 0) return '';
  const body = groups
    .map(
      (g) =>
        `<p><strong>${escapeHtml(g.name)}</strong></p>\n<ul>\n${g.messages.map(messageItem).join('\n')}\n</ul>`,
    )
    .join('\n');
  return `<details><summary>All messages (${count})</summary>\n\n${body}\n\n</details>`;
}

function links(title: string, urls: string[]): string {
  if (urls.length === 0) return '';
  const items = urls
    .map((u) => `<li><a href="${escapeHtml(u)}">${escapeHtml(u)}</a></li>`)
    .join('\n');
  return `<p><strong>${title}</strong></p>\n<ul>\n${items}\n</ul>`;
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

function sendsSomething(plan: ReleasePlan): boolean {
  return plan.configure.length > 0 || plan.publish !== 'none' || plan.goLive !== 'none';
}

export interface OffersSummaryInput {
  api: string;
  publisherId: string;
  offers: readonly OfferOutcome[];
  failed: boolean;
  waitedMs: number;
  runUrl?: string;
  now?: number;
  dryRun?: boolean;
}

function why(o: OfferOutcome): string {
  return escapeHtml(truncate(oneLine(describeEnd(o.end)), CELL_LIMIT_CHARS));
}

function currentStepCell(o: OfferOutcome): string {
  // A live offer has no step to wait on, whatever a step the service left `notStarted` says.
  if (o.snapshot?.status === 'succeeded') return '';
  const step = o.snapshot && currentStep(o.snapshot);
  if (!step) return '';
  const progress = progressText(step.progress);
  return `${escapeHtml(truncate(step.name, CELL_LIMIT_CHARS))}${progress ? ` (${escapeHtml(progress)})` : ''}`;
}

function offerDetails(o: OfferOutcome, withMessages: boolean, now: number): string {
  const status = o.snapshot?.status ?? 'not read';
  const parts = [`<p>${why(o)}</p>`];
  if (o.tracking) {
    parts.push(
      trackingRows(o.tracking, now)
        .map(([k, v]) => `<p><strong>${k}</strong>: ${v}</p>`)
        .join('\n'),
    );
  }
  if (o.operationId) parts.push(`<p>Operation: ${code(o.operationId)}</p>`);
  if (o.release && sendsSomething(o.release)) {
    parts.push(`<p>Plan: ${escapeHtml(planWords(o.release))}</p>`);
  }
  if (o.started.length) {
    parts.push(
      `<p>Started by this step: ${o.started.map((s) => escapeHtml(describeStarted(s))).join('; ')}</p>`,
    );
  }
  if (o.snapshot) {
    parts.push(stepsTable(o.snapshot));
    parts.push(links('Preview links', o.snapshot.previewLinks));
    parts.push(links('Live links', o.snapshot.liveLinks));
    parts.push(links('Partner Center', o.snapshot.offerUrl ? [o.snapshot.offerUrl] : []));
    if (withMessages) parts.push(messagesDetails(o.snapshot));
  }
  const icon = o.failed ? '❌' : marker(status);
  return `<details><summary>${icon} ${escapeHtml(o.offerId)}: ${escapeHtml(status)}</summary>\n\n${parts.filter(Boolean).join('\n\n')}\n\n</details>`;
}

/**
 * The job summary for several offers: a rollup heading, one overview table a person takes in at a
 * glance, then a collapsed section per offer. Over the 1 MiB cap it drops, in this order, the
 * offers' messages, then the sections; the overview stays.
 */
export function renderOffersSummary(input: OffersSummaryInput): string {
  const now = input.now ?? Date.now();
  const rollup = rollupStatus(input.offers.map((o) => o.snapshot?.status));
  const icon = input.failed ? '❌' : rollup ? marker(rollup) : '❔';
  const head = input.dryRun
    ? `## 🔍 Dry run, nothing sent: ${input.offers.length} offers`
    : `## ${icon} Marketplace publish: ${input.offers.length} offers${rollup ? ` — ${escapeHtml(rollup)}` : ''}`;
  const facts: [string, string][] = [];
  if (input.api) facts.push(['API', escapeHtml(input.api)]);
  if (input.publisherId) facts.push(['Publisher', code(input.publisherId)]);
  facts.push(['Waited', escapeHtml(formatDuration(input.waitedMs))]);
  if (input.runUrl) {
    facts.push(['Run', `<a href="${escapeHtml(input.runUrl)}">${escapeHtml(input.runUrl)}</a>`]);
  }
  const overviewTable = table(
    ['', 'Offer', 'Status', 'Current step', 'Why its wait ended'],
    input.offers.map((o) => [
      o.failed ? '❌' : o.end.kind === 'timeout' ? '⌛' : marker(o.snapshot?.status ?? ''),
      code(o.offerId),
      o.snapshot ? code(o.snapshot.status) : '<em>not read</em>',
      currentStepCell(o),
      why(o),
    ]),
  );
  const top = [
    head,
    table(
      [],
      facts.map(([k, v]) => [`<strong>${k}</strong>`, v]),
    ),
    '### Offers',
    overviewTable,
  ].join('\n\n');
  const fits = (text: string) => Buffer.byteLength(text) <= SUMMARY_LIMIT_BYTES;
  const full = `${top}\n\n${input.offers.map((o) => offerDetails(o, true, now)).join('\n\n')}\n`;
  if (fits(full)) return full;
  const noMessages =
    `${top}\n\n${input.offers.map((o) => offerDetails(o, false, now)).join('\n\n')}\n\n` +
    "<p><em>The offers' messages were left out: they exceed the job summary's 1 MiB limit.</em></p>\n";
  if (fits(noMessages)) return noMessages;
  return `${top}\n\n<p><em>The offers' steps were left out: they exceed the job summary's 1 MiB limit.</em></p>\n`;
}
