/**
 * The plan as one pull request comment: per offer, what the change sets (field by field, as the
 * summary's Changes section says it), what the publish would push, and what would be started.
 * Pure. The comment is made of HTML blocks, inside which GitHub reads no Markdown (a `*` or `_` in
 * a value stays itself). Every value from the user or the service is on one line, bounded, with
 * SAS queries hidden, HTML-escaped, and mostly inside `<code>`, where GitHub makes no @mention or
 * #reference; the few values in prose have their `@` and `#` defused.
 */
import { shown } from './configure/display.js';
import { MAX_ROWS } from './configure/render.js';
import { subjectParts } from './configure/subjects.js';
import type { FieldChange, PlannedChange } from './configure/types.js';
import { describeSource } from './configure/vm-image.js';
import { escapeHtml } from './html.js';
import type { OfferOutcome } from './outcome.js';
import { planWords } from './release-render.js';
import { describeEnd } from './stop-rules.js';

/** GitHub refuses a comment over 65,536 characters; this leaves room for what the caller adds. */
export const MAX_COMMENT_CHARS = 60_000;

/** Offers named one by one in the "No changes" line; the rest are counted. */
const MAX_NAMED = 50;
/** Past this length the marker names the offers by a digest: it stays short, and still theirs. */
const MAX_MARKER_IDS = 400;

const MARK: Record<PlannedChange['status'], string> = {
  add: '+',
  new: '+',
  change: '~',
  'already-there': '=',
};

export interface PlanCommentInput {
  outcomes: readonly OfferOutcome[];
  dryRun: boolean;
  /** The workflow run, linked at the end. */
  runUrl?: string;
  /** `planCommentMarker(…)`: the comment starts with it, so the next run finds it. */
  marker: string;
}

/**
 * `<!-- marketplace-plan: contoso-saas contoso-vm -->`: the offers, sorted and URI-encoded (no
 * `-->` can end the comment early, no blank splits the list), so a step that follows other offers
 * keeps a comment of its own, and the same offers in another order find the same one. A long list
 * becomes its count and a digest.
 */
export function planCommentMarker(offerIds: readonly string[]): string {
  const ids = [...new Set(offerIds)].sort().map(encodeURIComponent).join(' ');
  const named = ids.length <= MAX_MARKER_IDS ? ids : `${offerIds.length} offers ${digest(ids)}`;
  return `<!-- marketplace-plan: ${named} -->`;
}

/** cyrb53: a 53-bit hash, as hex; no secret is in it, it only has to tell lists apart. */
function digest(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/** A value from outside, as code: GitHub links no @mention or #reference inside `<code>`. */
function code(text: string, max = 200): string {
  return `<code>${escapeHtml(shown(text, max))}</code>`;
}

/**
 * A value from outside, in prose: escaped, and an invisible space after each `@` and `#` that
 * starts a word, so the service cannot notify people or link issues through this comment.
 */
function prose(text: string, max = 300): string {
  return escapeHtml(shown(text, max).replace(/[@#](?=[\p{L}\p{N}_-])/gu, '$&\u200b'));
}

/** A change that sends something (`already-there` is told, but changes nothing). */
const changes = (o: OfferOutcome) =>
  (o.plan?.changes ?? []).filter((c) => c.status !== 'already-there');

function sends(o: OfferOutcome): boolean {
  const r = o.release;
  return Boolean(r && (r.configure.length > 0 || r.publish !== 'none' || r.goLive !== 'none'));
}

/** The step could not say its plan (it failed, or ended before planning). */
const troubled = (o: OfferOutcome) => o.failed || (!o.release && !o.plan);
const active = (o: OfferOutcome) => changes(o).length > 0 || sends(o);

/** How much each offer's section tells: every field, each change on a line, or one line. */
type Detail = 'full' | 'changes' | 'line';

function fieldLine(f: FieldChange, isNew: boolean): string {
  const missing = (what: string) => `<em>${what}</em>`;
  const value = (text: string | undefined, what: string) =>
    text === undefined ? missing(what) : code(text);
  return isNew
    ? `${code(f.path, 120)}: ${value(f.after, '(none)')}`
    : `${code(f.path, 120)}: ${value(f.before, '(none)')} → ${value(f.after, '(removed)')}`;
}

/** What a change does, its subject left out: `version <code>1.4.0</code>: <code>x64Gen2 …</code>`. */
function headline(c: PlannedChange): string {
  if (c.kind === 'vm-image-version') {
    const version = `version ${code(c.version, 40)}`;
    if (c.status === 'already-there') return `${version} already there`;
    return `${version}: ${c.images.map((i) => code(`${i.imageType} from ${describeSource(i.source)}`)).join(', ')}`;
  }
  if (c.status === 'new') return `new ${code(c.label)}`;
  if (c.status === 'already-there') return `${code(c.label)} already there`;
  return code(c.label);
}

function changeCell(c: PlannedChange, detail: Detail): string {
  const head = headline(c);
  if (c.kind !== 'resource' || c.status === 'already-there') return head;
  const count = c.fields.length + (c.fieldsLeftOut ?? 0);
  if (detail !== 'full') return `${head} (${count} ${count === 1 ? 'field' : 'fields'})`;
  const fields = c.fields.map((f) => fieldLine(f, c.status === 'new'));
  if (c.fieldsLeftOut) fields.push(`and ${c.fieldsLeftOut} more fields`);
  return [head, ...fields].join('<br>');
}

function subjectCell(c: PlannedChange, all: readonly PlannedChange[]): string {
  const s = subjectParts(c, all);
  return `${s.kind} ${code(s.name)}${s.resource ? ` (resource ${s.resource})` : ''}`;
}

function changesTable(o: OfferOutcome, detail: Detail): string {
  const all = o.plan?.changes ?? [];
  if (all.length === 0) return '';
  const rows = all
    .slice(0, MAX_ROWS)
    .map(
      (c) =>
        `<tr><td><code>${MARK[c.status]}</code></td><td>${subjectCell(c, all)}</td><td>${changeCell(c, detail)}</td></tr>`,
    );
  const more = all.length - MAX_ROWS;
  if (more > 0) rows.push(`<tr><td></td><td colspan="2">and ${more} more</td></tr>`);
  return `<table>\n<tr><th></th><th>Plan or file</th><th>Change</th></tr>\n${rows.join('\n')}\n</table>`;
}

function pushesList(o: OfferOutcome, dryRun: boolean, detail: Detail): string {
  const pushes = o.release?.pushes ?? [];
  if (pushes.length === 0) return '';
  const label = dryRun ? 'The publish would push' : 'The publish pushes';
  if (detail !== 'full') {
    return `<p><strong>${label}</strong> ${pushes.length} ${pushes.length === 1 ? 'difference' : 'differences'} over the latest preview.</p>`;
  }
  const items = pushes.map((p) => `<li>${prose(p, 200)}</li>`).join('\n');
  return `<p><strong>${label}</strong> over the latest preview:</p>\n<ul>\n${items}\n</ul>`;
}

/** `<h3><code>contoso-vm</code>: would send the change (1 resource), then start a publish</h3>`. */
function offerHeading(o: OfferOutcome, dryRun: boolean): string {
  const id = code(o.offerId, 100);
  if (troubled(o) && !o.release) return `<h3>⚠️ ${id}: no plan</h3>`;
  const words = o.release ? planWords(o.release) : 'send nothing';
  const icon = troubled(o) ? '⚠️' : '🔸';
  return `<h3>${icon} ${id}: ${dryRun ? 'would ' : ''}${escapeHtml(words)}</h3>`;
}

function offerSection(o: OfferOutcome, dryRun: boolean, detail: Detail): string {
  const parts = [offerHeading(o, dryRun)];
  if (troubled(o)) parts.push(`<p>${prose(describeEnd(o.end), detail === 'line' ? 200 : 500)}</p>`);
  if (detail !== 'line') parts.push(changesTable(o, detail), pushesList(o, dryRun, detail));
  return parts.filter(Boolean).join('\n\n');
}

function heading(outcomes: readonly OfferOutcome[], dryRun: boolean): string {
  const changing = outcomes.filter(active).length;
  const trouble = outcomes.filter(troubled).length;
  if (changing === 0 && trouble === 0) return '<h2>✅ Marketplace plan: No changes</h2>';
  const of = outcomes.length > 1 ? ` of ${outcomes.length}` : '';
  const offers = (n: number) => `${n}${of} ${outcomes.length === 1 ? 'offer' : 'offers'}`;
  const parts = [
    changing > 0 ? `${offers(changing)} ${dryRun ? 'would change' : 'with changes'}` : '',
    trouble > 0 ? `${changing > 0 ? trouble : offers(trouble)} with a problem` : '',
  ].filter(Boolean);
  return `<h2>${trouble ? '⚠️' : '🔍'} Marketplace plan: ${parts.join(', ')}</h2>`;
}

function intro(input: PlanCommentInput): string {
  const what = input.dryRun
    ? 'Dry run: nothing was sent. This is what the real run would do.'
    : 'What this run decided to send.';
  return `<p>${what} Updated in place on every run.</p>`;
}

/** `No changes in <code>a</code>, <code>b</code> and 3 more.` for the offers with nothing to do. */
function quiet(outcomes: readonly OfferOutcome[]): string {
  const idle = outcomes.filter((o) => !troubled(o) && !active(o));
  if (idle.length === 0) return '';
  const named = idle.slice(0, MAX_NAMED).map((o) => code(o.offerId, 100));
  const more = idle.length - named.length;
  const list = `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  return `<p>No changes in ${list}: nothing to change, publish or go live.</p>`;
}

function footer(runUrl: string | undefined): string {
  return runUrl
    ? `<p><sub>From <a href="${escapeHtml(runUrl)}">this workflow run</a>.</sub></p>`
    : '';
}

const CUT =
  "<p><em>Details were left out: they exceed GitHub's limit on a comment. The job summary and " +
  "the step's log have them all.</em></p>";

/**
 * The comment: the marker, a heading (`No changes` in it when no offer has anything to change,
 * publish or go live), then a section per offer that does. At most `MAX_COMMENT_CHARS`: over it,
 * the fields go first, then each change's line, then whole sections, and a line says so.
 */
export function renderPlanComment(input: PlanCommentInput): string {
  const { outcomes, dryRun } = input;
  const shownOffers = outcomes.filter((o) => troubled(o) || active(o));
  const head = [input.marker, heading(outcomes, dryRun), intro(input)];
  const tail = [quiet(outcomes), footer(input.runUrl)].filter(Boolean);
  const join = (blocks: string[]) => `${blocks.join('\n\n')}\n`;
  for (const detail of ['full', 'changes', 'line'] as const) {
    const sections = shownOffers.map((o) => offerSection(o, dryRun, detail));
    const cut = detail === 'full' ? [] : [CUT];
    const text = join([...head, ...sections, ...cut, ...tail]);
    if (text.length <= MAX_COMMENT_CHARS) return text;
  }
  // Even a line per offer is too long: as many as fit, then the count of the rest.
  const kept: string[] = [];
  const fixed = join([...head, CUT, ...tail]).length + 100;
  let size = fixed;
  for (const o of shownOffers) {
    const section = offerSection(o, dryRun, 'line');
    if (size + section.length + 2 > MAX_COMMENT_CHARS) break;
    kept.push(section);
    size += section.length + 2;
  }
  const rest = shownOffers.length - kept.length;
  const more = `<p>and ${rest} more ${rest === 1 ? 'offer' : 'offers'} with a plan.</p>`;
  return join([...head, ...kept, more, CUT, ...tail]);
}
