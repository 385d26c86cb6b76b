/**
 * The plan (`release.ts`) for people: one line of what the step sends (a dry run: would send), and
 * the summary's "Plan" section. Pure; every value escaped.
 */
import { shown } from './configure/display.js';
import { escapeHtml } from './html.js';
import type { ReleasePlan } from './release.js';

const PUBLISH_WORDS: Record<ReleasePlan['publish'], string> = {
  start: 'start a publish',
  'wait-then-start': 'wait for the publish that runs to end, then start one',
  join: 'join the publish that runs',
  none: '',
};

/** `send the change (1 resource), start a publish, go live at the sign-off`, or `send nothing`. */
export function planWords(plan: ReleasePlan): string {
  const n = plan.configure.length;
  const parts = [
    n > 0 ? `send the change (${n} resource${n === 1 ? '' : 's'})` : '',
    PUBLISH_WORDS[plan.publish],
    plan.goLive === 'send' ? 'go live at the sign-off' : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', then ') : 'send nothing';
}

/** The summary's "Plan" section: what was decided (a dry run: what the real run would do). */
export function renderRelease(plan: ReleasePlan, dryRun: boolean): string {
  const heading = dryRun ? '<h3>Plan: what the real run would do</h3>' : '<h3>Plan</h3>';
  const rows: [string, string][] = [
    [
      'Change',
      plan.configure.length
        ? plan.configure.map((id) => `<code>${escapeHtml(shown(id, 200))}</code>`).join('<br>')
        : '<em>none to send</em>',
    ],
    [
      'Publish',
      `<code>${plan.publish}</code>${PUBLISH_WORDS[plan.publish] ? `: ${PUBLISH_WORDS[plan.publish]}` : ''}`,
    ],
    ['Go-live', `<code>${plan.goLive}</code>`],
  ];
  if (plan.pushes.length) {
    rows.push([
      'The publish pushes',
      plan.pushes.map((p) => escapeHtml(shown(p, 200))).join('<br>'),
    ]);
  }
  const table = rows
    .map(([k, v]) => `<tr><td><strong>${k}</strong></td><td>${v}</td></tr>`)
    .join('\n');
  return `${heading}\n<table>\n${table}\n</table>`;
}
