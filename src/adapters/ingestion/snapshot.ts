/**
 * Product-ingestion answers as the core's `Snapshot`. A product's submissions (one entry per
 * target: draft, preview, live) become three steps, `preview` (certification and preview publish),
 * `publisher-signoff` and `live`, and an offer status in the model's vocabulary; a configure job
 * becomes one step whose errors are the messages (the go-live's job: the three steps, going live).
 * Which submission or job a step is goes in its `detail`: the service sends no messages about
 * them, and none is made up here. Words are compared case-insensitively: the
 * docs' tables capitalize them (`Running`, `Succeeded`), the samples do not. Every text the
 * service sends (statuses, ids, timestamps, job errors) reaches the snapshot as one line.
 */
import { lineOf } from '../../core/html.js';
import { textMessage, type Snapshot, type Step } from '../../core/model.js';
import { statusKey, type Normalized } from '../../core/status.js';
import type { PreviewState } from '../../core/release.js';
import type { Publication } from '../adapter.js';
import type { Job, JobError, Submission } from './schemas.js';

type Phase = 'notStarted' | 'running' | 'completed';
type Result = 'pending' | 'succeeded' | 'failed' | 'canceled';

// Maps, not object literals: a service word such as `constructor` must not find a prototype member.
const PHASES = new Map<string, Phase>([
  ['notstarted', 'notStarted'],
  ['running', 'running'],
  ['inprogress', 'running'],
  ['completed', 'completed'],
  ['complete', 'completed'],
]);
const RESULTS = new Map<string, Result>([
  ['pending', 'pending'],
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['cancelled', 'canceled'],
  ['canceled', 'canceled'],
]);

/** A service's word or text, on one line; anything but a string is no text. */
const word = lineOf;
const phaseOf = (raw: unknown): Phase | undefined => PHASES.get(statusKey(word(raw)));
const resultOf = (raw: unknown): Result | undefined => RESULTS.get(statusKey(word(raw)));
const targetOf = (s: Submission): string => statusKey(word(s.target?.targetType));
const isTarget = (target: string) => (s: Submission) => targetOf(s) === target;

/**
 * The entries that say where a publish stands: the preview and live ones with a `status`. A draft
 * never has one; a preview or live entry without one says nothing (other clients skip it too), so
 * it neither makes a publish "in progress" nor is the preview a go-live pushes.
 */
export function listedEntries(entries: readonly Submission[]): Submission[] {
  return entries.filter(
    (s) => (targetOf(s) === 'preview' || targetOf(s) === 'live') && word(s.status) !== '',
  );
}

const known = (value: string): Normalized<string> => ({ value, known: true });
/** A word no vocabulary knows: kept as sent, treated as still in progress. */
const unknown = (raw: unknown): Normalized<string> => ({
  value: word(raw) || 'unknown',
  known: false,
});

/** The steps' names: each said once, so the log prints no id beside it. */
export const STEP_NAMES = {
  preview: 'Preview',
  'publisher-signoff': 'Publisher sign-off',
  live: 'Live',
} as const;
type StepId = keyof typeof STEP_NAMES;

/** Which submission an entry is, and when it was created: `submission/<guid>/<n>, created …`. */
function submissionDetail(entry: Submission): string {
  const created = word(entry.created);
  return `${entry.id ?? 'submission (no id)'}${created ? `, created ${created}` : ''}`;
}

function step(
  id: StepId,
  status: Normalized<string>,
  entry?: Submission | string,
  messages: Step['messages'] = [],
): Step {
  const detail = typeof entry === 'string' ? word(entry) : entry && submissionDetail(entry);
  return {
    id,
    name: STEP_NAMES[id],
    status: status.value,
    statusKnown: status.known,
    progress: status.value === 'complete' ? 100 : null,
    estimatedTimeFrame: '',
    messages,
    ...(detail ? { detail } : {}),
  };
}

/** The offer's page for people: Partner Center's overview of the product. */
export function offerOverviewUrl(productGuid: string): string {
  return `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${encodeURIComponent(productGuid)}/overview`;
}

/** What the adapter knows beside the answer it maps. */
export interface ReadContext {
  /**
   * The preview submission this step asked to go live (its go-live request was accepted): a read
   * that still shows that preview at its sign-off is going live, not waiting for the publisher.
   */
  goLiveOf?: string;
  /** The offer's page for people (`offerOverviewUrl`), once the product is known. */
  offerUrl?: string;
}

/** The newest entry of a target: by `created` when given, else the last listed. */
function latest(entries: Submission[]): Submission | undefined {
  return entries.reduce<Submission | undefined>((best, s) => {
    if (!best) return s;
    const a = Date.parse(word(best.created));
    const b = Date.parse(word(s.created));
    return Number.isNaN(a) || Number.isNaN(b) || b >= a ? s : best;
  }, undefined);
}

const STEP_OF_PHASE: Record<Phase, string> = {
  notStarted: 'notStarted',
  running: 'inProgress',
  completed: 'complete',
};
const STEP_OF_RESULT: Record<Exclude<Result, 'pending'>, string> = {
  succeeded: 'complete',
  failed: 'failed',
  canceled: 'canceled',
};

function snapshotOf(
  reported: Normalized<string>,
  steps: Step[],
  subject = '',
  notices: string[] = [],
  offerUrl = '',
): Snapshot {
  return {
    reported,
    status: reported.value,
    steps,
    messages: [],
    previewLinks: [],
    liveLinks: [],
    ...(offerUrl ? { offerUrl } : {}),
    subject: word(subject),
    ...(notices.length > 0 ? { notices } : {}),
  };
}

/** One notice per target whose listed entries lack an id: read, but neither named nor pushed live. */
function missingIds(entries: readonly Submission[]): string[] {
  const targets = new Set(entries.filter((s) => !s.id).map(targetOf));
  return [...targets].map(
    (target) =>
      `A ${target} submission entry has no id: where it stands is read, but it cannot be ` +
      `named${target === 'preview' ? ' or pushed live' : ''}.`,
  );
}

/**
 * Whether a live entry is the preview's submission gone live: equal ids; when one has none, a
 * live entry created no earlier than the preview (undecided without both dates: not live).
 */
function goneLive(live: Submission, preview: Submission): boolean {
  if (live.id && preview.id) return live.id === preview.id;
  const created = (s: Submission) => Date.parse(word(s.created));
  return created(live) >= created(preview);
}

/** Where a product's publish stands, from `GET submission/{productGuid}`. */
export function submissionsToSnapshot(all: Submission[], context: ReadContext = {}): Snapshot {
  const snapshot = (
    reported: Normalized<string>,
    steps: Step[],
    subject?: string,
    notices?: string[],
  ): Snapshot => snapshotOf(reported, steps, subject, notices, context.offerUrl);
  const entries = listedEntries(all);
  const notices = missingIds(entries);
  const preview = latest(entries.filter(isTarget('preview')));
  const lives = entries.filter(isTarget('live'));
  const done = (s: Submission) => phaseOf(s.status) === 'completed';
  // While going live, the old live entry may still be listed as completed beside the new one.
  const goingLive = lives.find((s) => !done(s));
  const live = goingLive ?? latest(lives);
  const notStarted = () => known('notStarted');

  if (goingLive) {
    const phase = phaseOf(goingLive.status);
    const status = phase ? known(STEP_OF_PHASE[phase]) : unknown(goingLive.status);
    return snapshot(
      phase ? known('running') : unknown(goingLive.status),
      [
        step('preview', known('complete'), preview),
        step('publisher-signoff', known('complete')),
        step('live', status, goingLive),
      ],
      goingLive.id,
      notices,
    );
  }
  if (preview && !done(preview)) {
    const phase = phaseOf(preview.status);
    return snapshot(
      phase ? known(phase) : unknown(preview.status),
      [
        step('preview', phase ? known(STEP_OF_PHASE[phase]) : unknown(preview.status), preview),
        step('publisher-signoff', notStarted()),
        step('live', notStarted()),
      ],
      preview.id,
      notices,
    );
  }
  // Once a preview goes live, one submission stands for both: equal ids mean live.
  if (live && (!preview || goneLive(live, preview))) {
    const result = resultOf(live.result);
    const ended = result && result !== 'pending' ? result : undefined;
    return snapshot(
      ended ? known(ended) : unknown(live.result),
      [
        step('preview', known('complete'), preview),
        step('publisher-signoff', known('complete')),
        step('live', ended ? known(STEP_OF_RESULT[ended]) : unknown(live.result), live),
      ],
      live.id,
      notices,
    );
  }
  if (preview) {
    const result = resultOf(preview.result);
    const ended = result && result !== 'pending' ? result : undefined;
    const ready = ended === 'succeeded';
    if (ready && preview.id && preview.id === context.goLiveOf) {
      // This step asked it to go live; the live entry is not listed yet. Going live, not back at
      // the sign-off: the go-live request was accepted.
      return snapshot(
        known('running'),
        [
          step('preview', known('complete'), preview),
          step('publisher-signoff', known('complete')),
          step('live', known('inProgress')),
        ],
        preview.id,
        notices,
      );
    }
    return snapshot(
      ready ? known('waitingForPublisherReview') : ended ? known(ended) : unknown(preview.result),
      [
        step('preview', ended ? known(STEP_OF_RESULT[ended]) : unknown(preview.result), preview),
        step('publisher-signoff', ready ? known('waitingForPublisherReview') : notStarted()),
        step('live', notStarted()),
      ],
      preview.id,
      notices,
    );
  }
  // Only a draft (and entries without a status): the product was never published.
  return snapshot(
    known('neverPublished'),
    [
      step('preview', notStarted()),
      step('publisher-signoff', notStarted()),
      step('live', notStarted()),
    ],
    '',
    notices,
  );
}

/** Whether a job has ended, and how. */
export function jobOutcome(job: Job): 'running' | Result | 'unknown' {
  if (phaseOf(job.jobStatus) !== 'completed') return 'running';
  return resultOf(job.jobResult) ?? 'unknown';
}

const MAX_ERROR_DEPTH = 8;
const MAX_ERRORS = 500;

/** Every `errors[]` entry, nested `details` included, as `resourceId: code: message`. */
export function flattenErrors(errors: readonly unknown[]): string[] {
  const lines: string[] = [];
  const visit = (items: readonly unknown[], depth: number) => {
    for (const item of items) {
      if (lines.length >= MAX_ERRORS || depth > MAX_ERROR_DEPTH) return;
      if (!item || typeof item !== 'object') continue;
      const e = item as JobError;
      const parts = [word(e.resourceId), word(e.code), word(e.message)].filter(Boolean);
      if (parts.length > 0) {
        const line = parts.join(': ');
        lines.push(isCertificationFailure(e) ? `Certification failed: ${line}` : line);
      }
      if (Array.isArray(e.details)) visit(e.details, depth + 1);
    }
  };
  visit(errors, 0);
  return lines;
}

/** Error codes that mean another submission holds the product (`statusKey` spelling). */
export const CONFLICT_CODES: ReadonlySet<string> = new Set(['productlocked', 'conflict']);

/** Every error's `code` at any depth, in `statusKey` spelling (bounded like `flattenErrors`). */
export function errorCodes(errors: readonly unknown[]): string[] {
  const codes: string[] = [];
  const visit = (items: readonly unknown[], depth: number) => {
    for (const item of items) {
      if (codes.length >= MAX_ERRORS || depth > MAX_ERROR_DEPTH) return;
      if (!item || typeof item !== 'object') continue;
      const e = item as JobError;
      const code = statusKey(word(e.code));
      if (code) codes.push(code);
      if (Array.isArray(e.details)) visit(e.details, depth + 1);
    }
  };
  visit(errors, 0);
  return codes;
}

/** A certification failure comes back as an `invalidState` error that mentions certification. */
function isCertificationFailure(e: JobError): boolean {
  return statusKey(word(e.code)) === 'invalidstate' && /certif/i.test(word(e.message));
}

const JOB_STEP_NAME = 'Configure job';

/** When a job started: absent while the service still says `0001-01-01…` (not yet). */
function jobStarted(job: Job): string {
  const started = word(job.jobStart);
  return started && !started.startsWith('0001-') ? started : '';
}

/** A configure job, from `GET configure/{jobId}/status`. */
export function jobToSnapshot(job: Job, context: Pick<ReadContext, 'offerUrl'> = {}): Snapshot {
  const phase = phaseOf(job.jobStatus);
  const result = resultOf(job.jobResult);
  let reported: Normalized<string>;
  let stepStatus: Normalized<string>;
  if (phase === 'completed') {
    const ended = result && result !== 'pending' ? result : undefined;
    reported = ended ? known(ended) : unknown(job.jobResult);
    stepStatus = ended ? known(STEP_OF_RESULT[ended]) : unknown(job.jobResult);
  } else if (phase) {
    reported = known(phase);
    stepStatus = known(STEP_OF_PHASE[phase]);
  } else {
    reported = unknown(job.jobStatus);
    stepStatus = unknown(job.jobStatus);
  }
  const started = jobStarted(job);
  const messages = flattenErrors(job.errors ?? []).map((line) => textMessage('error', line));
  return snapshotOf(
    reported,
    [
      {
        id: 'configure-job',
        name: JOB_STEP_NAME,
        status: stepStatus.value,
        statusKnown: stepStatus.known,
        progress: stepStatus.value === 'complete' ? 100 : null,
        estimatedTimeFrame: started ? `started ${started}` : '',
        messages,
      },
    ],
    word(job.jobId),
    [],
    context.offerUrl,
  );
}

/**
 * The configure job of this step's go-live of the preview the read at the sign-off (`signoff`)
 * showed, until it has succeeded: that read's three steps, going live. The sign-off is past (the request was accepted), so
 * the read never goes back to it, nor to `notStarted` while the job waits to start; a failed or
 * cancelled job fails the live step, with its errors as the step's messages. A job that has
 * succeeded is still going live: the live submission publishes after it.
 */
export function goLiveJobToSnapshot(
  job: Job,
  signoff: Snapshot,
  context: Pick<ReadContext, 'offerUrl'> = {},
): Snapshot {
  const preview = signoff.steps.find((s) => s.id === 'preview');
  const phase = phaseOf(job.jobStatus);
  const result = resultOf(job.jobResult);
  const ended = phase === 'completed' && result && result !== 'pending' ? result : undefined;
  let reported: Normalized<string>;
  let live: Normalized<string>;
  if (!phase) {
    reported = live = unknown(job.jobStatus);
  } else if (phase !== 'completed' || ended === 'succeeded') {
    reported = known('running');
    live = known('inProgress');
  } else if (ended) {
    reported = known(ended);
    live = known(STEP_OF_RESULT[ended]);
  } else {
    reported = live = unknown(job.jobResult);
  }
  const jobId = word(job.jobId);
  const started = jobStarted(job);
  const messages = flattenErrors(job.errors ?? []).map((line) => textMessage('error', line));
  return snapshotOf(
    reported,
    [
      step('preview', known('complete'), preview?.detail ?? signoff.subject),
      step('publisher-signoff', known('complete')),
      step(
        'live',
        live,
        `configure job ${jobId || '(no id)'}${started ? `, started ${started}` : ''}`,
        messages,
      ),
    ],
    jobId,
    [],
    context.offerUrl,
  );
}

/**
 * The listed preview and live submissions as the write rules see them: what runs, and what is new
 * since a write. Once live, the preview's id stands for the live entry too, so the key is the
 * target and the id. An entry without id still counts as running (a publish would be refused);
 * it cannot be followed or pushed live.
 */
export function toPublications(entries: readonly Submission[]): Publication[] {
  return listedEntries(entries).map((entry) => {
    const target = isTarget('live')(entry) ? 'live' : 'preview';
    const id = entry.id ?? '';
    return {
      key: `${target}:${id || `(no id, created ${word(entry.created)})`}`,
      id,
      kind: target === 'live' ? 'go-live' : 'publish',
      running: phaseOf(entry.status) !== 'completed',
      label: `${target} submission ${id || '(no id)'}`,
    };
  });
}

/**
 * Where the latest preview stands, from the same entries: running, at its sign-off (completed and
 * succeeded, not the live one), live (its id is live's, completed), or failed (any other end, a
 * result no one documents included: a new publish is then allowed, as nothing runs).
 */
export function previewStateOf(entries: readonly Submission[]): {
  preview?: { id: string; state: PreviewState };
  live?: string;
} {
  const listed = listedEntries(entries);
  const preview = latest(listed.filter(isTarget('preview')));
  const lives = listed.filter(isTarget('live'));
  const done = (s: Submission) => phaseOf(s.status) === 'completed';
  const liveNow = latest(lives.filter((s) => done(s) && resultOf(s.result) === 'succeeded'));
  const live = liveNow?.id ? { live: liveNow.id } : {};
  if (!preview) return live;
  const id = preview.id ?? '';
  let state: PreviewState;
  if (!done(preview)) state = 'running';
  else if (resultOf(preview.result) !== 'succeeded') state = 'failed';
  else state = liveNow && goneLive(liveNow, preview) ? 'live' : 'signoff';
  return { preview: { id, state }, ...live };
}
