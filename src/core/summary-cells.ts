/**
 * What both job summaries (one offer, several) are made of: tables, the steps table, the
 * messages, links, what the last run recorded, and the size limit. Everything that came from the
 * service or the user is escaped here, and service HTML passes the allow-list sanitizer.
 */
import { marker, progressText } from './changes.js';
import { ago, type Tracking } from './deployment.js';
import { escapeHtml, inlineServiceHtml, oneLine, sanitizeServiceHtml } from './html.js';
import type { Message, Snapshot } from './model.js';
import type { ReleasePlan } from './release.js';

/** GitHub rejects a step summary over 1 MiB; stay well under it whatever the service sends. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;
export const CELL_LIMIT_CHARS = 200;

export function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`;
}

/** `running, since 2 days ago` (what the last run recorded), and the environment's link. */
export function trackingRows(tracking: Tracking, now: number): [string, string][] {
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

export function table(head: string[], rows: string[][]): string {
  const th = head.length ? `<tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>` : '';
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${th}${th ? '\n' : ''}${tr}\n</table>`;
}

/** A message in a table cell or a sentence: its own HTML (links kept), or its text cut short. */
export function inlineMessage(m: Message, limit = CELL_LIMIT_CHARS): string {
  return m.text.length <= limit
    ? inlineServiceHtml(m.html)
    : escapeHtml(truncate(oneLine(m.text), limit));
}

function latest(messages: Message[]): string {
  const last = messages.filter((m) => m.text).at(-1);
  return last ? inlineMessage(last) : '';
}

export function stepsTable(snapshot: Snapshot): string {
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

export function messagesDetails(snapshot: Snapshot): string {
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

export function links(title: string, urls: string[]): string {
  if (urls.length === 0) return '';
  const items = urls
    .map((u) => `<li><a href="${escapeHtml(u)}">${escapeHtml(u)}</a></li>`)
    .join('\n');
  return `<p><strong>${title}</strong></p>\n<ul>\n${items}\n</ul>`;
}

/** Whether a plan sends anything: only then is it shown. */
export function sendsSomething(plan: ReleasePlan): boolean {
  return plan.configure.length > 0 || plan.publish !== 'none' || plan.goLive !== 'none';
}
