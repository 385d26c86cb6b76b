/**
 * The plan in words: the log's lines about what the step decided, the dry run's report of what the
 * real run would send, the go-live rule the wait applies at the sign-off, and the end of a change
 * that was not published. All from the one plan (`release.ts`), so they cannot disagree with it.
 */
import { subjectOf } from '../core/configure/subjects.js';
import type { ChangePlan } from '../core/configure/types.js';
import type { End } from '../core/end.js';
import { whyNoGoLive, type PreviewState } from '../core/release.js';
import type { Runner } from '../github/runner.js';
import type { Settings } from '../inputs/index.js';
import type { Carried } from './carry-out.js';
import type { GoLiveRule } from './go-live.js';
import type { Planned } from './release.js';

const STATE_WORDS: Record<PreviewState, string> = {
  running: 'in certification',
  signoff: 'waiting for the sign-off',
  failed: 'failed',
  live: 'live',
};

function previewWords(planned: Planned): string {
  const { preview } = planned.facts;
  return preview ? `${preview.id || 'an unnamed submission'} (${STATE_WORDS[preview.state]})` : '';
}

function publishWords(planned: Planned): string {
  const { release, state } = planned;
  const running = state?.running?.label ?? 'the publish that runs';
  switch (release.publish) {
    case 'start':
      return release.configure.length > 0
        ? "start a publish once the change's job has succeeded (the preview submission alone)"
        : 'start a publish (the preview submission alone)';
    case 'wait-then-start':
      return `wait for ${running} to end, then start a publish`;
    case 'join':
      return `follow ${running} (it holds the draft: no second publish)`;
    case 'none':
      return planned.ask.publish
        ? `none: the latest preview, ${previewWords(planned) || 'unnamed'}, holds the draft`
        : '';
  }
}

/** `Plan: …` and what the publish pushes, for the log. */
export function logPlan(runner: Runner, planned: Planned, dryRun: boolean): void {
  const { release, ask } = planned;
  if (!ask.publish && !ask.goLive && !ask.changeAsked) return;
  const parts: string[] = [];
  if (ask.changeAsked) {
    parts.push(
      release.configure.length > 0
        ? `send the change (${release.configure.length} resource${release.configure.length === 1 ? '' : 's'}) in its own configure request${planned.state?.running ? ', once no publish runs' : ''}`
        : 'no change to send (the draft holds it)',
    );
  }
  const publish = publishWords(planned);
  if (publish) parts.push(`publish: ${publish}`);
  if (ask.goLive) {
    parts.push(
      release.goLive === 'send'
        ? 'go-live: at the sign-off of that preview'
        : `go-live: none (${whyNoGoLive(ask, planned.facts, release)})`,
    );
  }
  runner.info(`Plan${dryRun ? ' (dry run)' : ''}: ${parts.join('; ')}.`);
  if (release.pushes.length > 0) {
    const also = new Set(planned.alsoPushes);
    const own = release.pushes.filter((p) => !also.has(p));
    const elsewhere = release.pushes.filter((p) => also.has(p));
    runner.info(
      `This publish pushes: ${own.length ? own.join(', ') : 'nothing of this step'}` +
        `${elsewhere.length ? `; it also pushes, from the draft: ${elsewhere.join(', ')}` : ''}.`,
    );
  }
}

/** The dry run's closing report: what the real run would send, from the plan. */
export function sayWhatWouldBeSent(runner: Runner, planned: Planned): void {
  const { release } = planned;
  const would: string[] = [];
  if (release.configure.length > 0) {
    would.push(
      `send the change in its own configure request${planned.state?.running ? ' once no publish runs' : ''}`,
    );
  }
  if (release.publish === 'start') would.push('start a publish');
  if (release.publish === 'wait-then-start')
    would.push('start a publish once the one that runs has ended');
  if (release.publish === 'join') would.push('join the publish that runs, sending no publish');
  if (release.goLive === 'send') would.push('go live at the sign-off of that preview');
  runner.info(
    `Dry run: nothing was sent.${would.length ? ` Without dry-run, this step would ${would.join(', then ')}.` : ' Without dry-run, this step would send nothing either.'}`,
  );
}

/** With `preview-id`, the step ends before anything is sent when another preview is the latest. */
export function pinnedMismatch(planned: Planned): string | undefined {
  const { ask, facts } = planned;
  if (!ask.previewId || !facts.known) return undefined;
  const { preview } = facts;
  if (preview && preview.id === ask.previewId) return undefined;
  return (
    `${preview ? `The latest preview is ${previewWords(planned)}` : 'The offer has no preview'}, ` +
    `not ${ask.previewId} (preview-id), the one reviewed: no go-live was sent. Review the latest ` +
    'preview and pass its id (the preview-id output of the job that reached the sign-off), or ' +
    'go live in Partner Center.'
  );
}

/** What the wait does at the sign-off, from the plan and what carrying it out met. */
export function goLiveRule(
  planned: Planned,
  carried: Carried | undefined,
  settings: Settings,
): GoLiveRule {
  const { release, facts, ask } = planned;
  const starts = release.publish === 'start' || release.publish === 'wait-then-start';
  const refused = carried?.kind === 'refused-for-lock';
  const preview: GoLiveRule['preview'] = starts
    ? 'own'
    : facts.known
      ? (facts.preview?.id ?? '')
      : 'any';
  return {
    plan: refused ? 'none' : release.goLive,
    preview,
    pinned: settings.previewId,
    why: refused
      ? 'the change was refused because another submission holds the product, so nothing of this step was published'
      : whyNoGoLive(ask, facts, release),
    next: nextStep(planned, refused),
  };
}

function nextStep(planned: Planned, refused: boolean): string {
  const { ask, facts, release } = planned;
  if (refused)
    return 'Run this step again once that submission has ended: the change is sent then.';
  if (!facts.known && release.publish === 'join') {
    return 'To push it live, run this action with go-live: true and without publish once it is at its sign-off, or go live in Partner Center.';
  }
  if (ask.changeAsked) {
    return 'To release this change, run this step with publish: true and go-live: true (it publishes the draft, then goes live at the sign-off), or go live in Partner Center.';
  }
  return 'Run this action with go-live: true (and the preview-id of the preview a person reviewed) once that preview waits at its sign-off, or go live in Partner Center.';
}

/** The end of a change that was not published: what the draft, the preview and live hold. */
export function draftChanged(planned: Planned, sent: boolean): End {
  const live = planned.state?.live;
  return {
    kind: 'draft-changed',
    sent,
    preview: previewWords(planned) || 'nothing',
    live: live || 'nothing (never published)',
  };
}

/** The file resources that differ from the draft (what applying the files would change). */
export function driftedResources(change: ChangePlan): string[] {
  return change.changes
    .filter((c) => c.kind === 'resource' && c.status !== 'already-there')
    .map((c) => `${subjectOf(c, change.changes)} (${c.kind === 'resource' ? c.label : ''})`);
}

/** The step's failure with `fail-on-drift`: which resources differ, and what to do. */
export function driftMessage(drifted: readonly string[]): string {
  const named = drifted.slice(0, 10).join(', ');
  const more = drifted.length > 10 ? `, and ${drifted.length - 10} more` : '';
  return (
    `The offer's draft differs from the resources files (drift, fail-on-drift): ${named}${more}. ` +
    'Nothing was sent. The summary shows each field; apply the files (a step without dry-run), ' +
    'or export the offer to take in the edits made in Partner Center.'
  );
}
