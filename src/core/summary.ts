/**
 * The job summary, rendered as one HTML/Markdown string. Pure. Everything that came from the service
 * or the user is escaped, and `messageHtml` passes the allow-list sanitizer: `core.summary` escapes
 * nothing itself.
 */
import { marker, progressText } from './changes.js';
import { formatDuration } from './duration.js';
import { escapeHtml, oneLine, sanitizeServiceHtml } from './html.js';
import type { Message, Snapshot } from './model.js';
import { describeStarted, type StartedWrite } from './started.js';
import { describeEnd, type End } from './stop-rules.js';

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
      : input.failed
        ? '❌'
        : input.snapshot
          ? marker(input.snapshot.status)
          : '❔';
  const offer = [input.publisherId, input.offerId].filter(Boolean).map(escapeHtml).join(' / ');
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

function latest(messages: Message[]): string {
  const last = messages.filter((m) => m.text).at(-1);
  return last ? escapeHtml(truncate(oneLine(last.text), CELL_LIMIT_CHARS)) : '';
}

function stepsTable(snapshot: Snapshot): string {
  if (snapshot.steps.length === 0) return '<p><em>The service listed no steps.</em></p>';
  return table(
    ['', 'Step', 'Status', 'Progress', 'Estimated time', 'Latest message'],
    snapshot.steps.map((s) => [
      marker(s.status),
      escapeHtml(s.name),
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
  const parts = [heading(input), overview(input)];
  if (input.snapshot) {
    parts.push('### Steps', stepsTable(input.snapshot));
    parts.push(links('Preview links', input.snapshot.previewLinks));
    parts.push(links('Live links', input.snapshot.liveLinks));
    parts.push(messagesDetails(input.snapshot));
  }
  let summary = parts.filter(Boolean).join('\n\n') + '\n';
  if (Buffer.byteLength(summary) > SUMMARY_LIMIT_BYTES) {
    // Only the messages can grow without bound; drop them before anything else.
    const withoutDetails = parts.slice(0, -1).filter(Boolean).join('\n\n');
    summary = `${withoutDetails}\n\n<p><em>The full messages were left out: they exceed the job summary's 1 MiB limit. The step's log has them.</em></p>\n`;
    if (Buffer.byteLength(summary) > SUMMARY_LIMIT_BYTES) {
      summary = `${parts.slice(0, 2).join('\n\n')}\n\n<p><em>The steps were left out: they exceed the job summary's 1 MiB limit.</em></p>\n`;
    }
  }
  return summary;
}
