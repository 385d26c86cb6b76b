/**
 * The job summary of several offers: a rollup heading, one overview table a person takes in at a
 * glance, then a collapsed section per offer. Pure; escaped like the one offer's (`summary-cells.ts`).
 */
import { marker, progressText } from './changes.js';
import { formatDuration } from './duration.js';
import { planWords } from './release-render.js';
import { escapeHtml, oneLine } from './html.js';
import { currentStep } from './model.js';
import type { OfferOutcome } from './outcome.js';
import { rollupStatus } from './rollup.js';
import { describeStarted } from './started.js';
import { describeEnd } from './stop-rules.js';
import {
  CELL_LIMIT_CHARS,
  SUMMARY_LIMIT_BYTES,
  code,
  links,
  messagesDetails,
  sendsSomething,
  stepsTable,
  table,
  trackingRows,
  truncate,
} from './summary-cells.js';

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
