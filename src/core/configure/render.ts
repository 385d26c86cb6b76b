/**
 * The planned changes for people: lines for the log and the summary's "Changes" section, both in
 * the user's terms (plan id, version, file), and the durable ids changed, for the `configured`
 * output. Pure; every value escaped in HTML and flattened to one line in the log.
 */
import { escapeHtml } from '../html.js';
import { shown } from './display.js';
import { subjectOf, subjectParts } from './subjects.js';
import type { ChangePlan, FieldChange, PlannedChange, VmImageSpec } from './types.js';
import { describeSource } from './vm-image.js';

/** The summary lists at most this many changes; the log lists them all. */
export const MAX_ROWS = 50;

const MARK: Record<PlannedChange['status'], string> = {
  add: '+',
  new: '+',
  change: '~',
  'already-there': '=',
};

/** `x64Gen2 from gallery contoso/contoso-vm 1.4.0, x64Gen1 from VHD acct/vhds/a.vhd`. */
function describeImages(images: readonly VmImageSpec[]): string {
  return images.map((i) => `${i.imageType} from ${describeSource(i.source)}`).join(', ');
}

// Field values come shortened from the diff; flattened again here in case a change was built
// elsewhere, so no line break or URI query gets through.
function json(text: string | undefined): string | undefined {
  return text === undefined ? undefined : shown(text, 200);
}

/** `title "old" → "new"`; a field the draft lacks or the change clears says so. */
function fieldText(f: FieldChange): string {
  return `${shown(f.path, 120)} ${json(f.before) ?? '(none)'} → ${json(f.after) ?? '(removed)'}`;
}

function moreFields(n: number): string {
  return `and ${n} more ${n === 1 ? 'field' : 'fields'}`;
}

/** What a change does, without its subject: `version 1.4.0: x64Gen2 from …`. */
function headline(change: PlannedChange): string {
  if (change.kind === 'vm-image-version') {
    const parts: string[] = [];
    if (change.version) {
      const version = `version ${shown(change.version, 40)}`;
      parts.push(
        (change.versionStatus ?? change.status) === 'add'
          ? `${version}: ${describeImages(change.images)}`
          : `${version} already there`,
      );
    }
    for (const l of change.lifecycle ?? []) {
      const v = `version ${shown(l.version, 40)}`;
      parts.push(l.status === 'set' ? `${v} ${l.state}` : `${v} already ${l.state}`);
    }
    return parts.join('; ');
  }
  const label = shown(change.label, 200);
  if (change.status === 'new') return `new ${label}`;
  if (change.status === 'already-there') return `${label} already there`;
  return label;
}

/** One line per change, and one per field for a resource that changes. */
export function changeLines(plan: ChangePlan): string[] {
  return plan.changes.flatMap((change) => {
    const head = `${MARK[change.status]} ${subjectOf(change, plan.changes)}: ${headline(change)}`;
    if (change.kind !== 'resource' || change.status !== 'change') return [head];
    const details = change.fields.map(fieldText);
    if (change.fieldsLeftOut) details.push(moreFields(change.fieldsLeftOut));
    return details.length ? details.map((d) => `${head}: ${d}`) : [head];
  });
}

/** A change's cell: what it does, then its fields (a new resource's too), one per line. */
function changeCell(change: PlannedChange): string {
  const head = escapeHtml(headline(change));
  if (change.kind !== 'resource' || change.status === 'already-there') return head;
  const fields = change.fields.map(
    (f) =>
      `<code>${escapeHtml(shown(f.path, 120))}</code>: ` +
      (change.status === 'new'
        ? `<code>${escapeHtml(json(f.after) ?? '')}</code>`
        : `${value(f.before, '(none)')} → ${value(f.after, '(removed)')}`),
  );
  if (change.fieldsLeftOut) fields.push(escapeHtml(moreFields(change.fieldsLeftOut)));
  return [head, ...fields].join('<br>');
}

function value(text: string | undefined, missing: string): string {
  const shownText = json(text);
  return shownText === undefined ? `<em>${missing}</em>` : `<code>${escapeHtml(shownText)}</code>`;
}

/** `plan <code>gen2</code>`: the kind in words, the name as code. */
function subjectCell(change: PlannedChange, changes: readonly PlannedChange[]): string {
  const s = subjectParts(change, changes);
  const part = s.resource ? ` (resource ${s.resource})` : '';
  return `${s.kind} <code>${escapeHtml(s.name)}</code>${part}`;
}

/** The summary's "Changes" section: a row per plan and file resource, at most `MAX_ROWS`. */
export function renderChanges(plan: ChangePlan): string {
  const heading = `<h3>Changes${plan.dryRun ? ' (dry run: nothing was sent)' : ''}</h3>`;
  if (plan.changes.length === 0) return `${heading}\n<p><em>No changes were asked for.</em></p>`;
  const rows = plan.changes
    .slice(0, MAX_ROWS)
    .map(
      (c) =>
        `<tr><td><code>${MARK[c.status]}</code></td><td>${subjectCell(c, plan.changes)}</td><td>${changeCell(c)}</td></tr>`,
    );
  const parts = [
    heading,
    `<table>\n<tr><th></th><th>Plan or file</th><th>Change</th></tr>\n${rows.join('\n')}\n</table>`,
  ];
  const more = plan.changes.length - MAX_ROWS;
  if (more > 0) parts.push(`<p><em>and ${more} more (the step's log lists them all)</em></p>`);
  if (plan.changes.every((c) => c.status === 'already-there')) {
    parts.push('<p>Everything asked for is already in the draft: there was nothing to change.</p>');
  }
  return parts.join('\n');
}

/**
 * What the change request carries, each once, in plan order: a resource's durable id, or, for a
 * new one the service has not named yet, `new <what it is> (<file>)` — the `plan` output's
 * `configure`.
 */
export function sentResources(plan: ChangePlan): string[] {
  const sent = plan.changes
    .filter((c) => c.status !== 'already-there')
    .map(
      (c) =>
        c.resourceId ||
        `new ${c.kind === 'resource' ? `${c.label} from ` : ''}${subjectOf(c, plan.changes)}`,
    );
  return [...new Set(sent)];
}

/** The durable ids changed (or, in a dry run, that would be), each once, in plan order. */
export function configuredIds(plan: ChangePlan): string[] {
  const ids = plan.changes
    .filter((c) => c.status !== 'already-there' && c.resourceId)
    .map((c) => c.resourceId);
  return [...new Set(ids)];
}
