/**
 * A configure job (`GET configure/{jobId}/status`) as the core's `Snapshot`: one step whose errors
 * are the messages; the go-live's job reads as the three steps, going live.
 */
import { textMessage, type Snapshot } from '../../core/model.js';
import type { Normalized } from '../../core/status.js';
import { flattenErrors } from './errors.js';
import type { Job } from './schemas.js';
import { snapshotOf, step } from './steps.js';
import {
  STEP_OF_PHASE,
  STEP_OF_RESULT,
  endedResult,
  known,
  phaseOf,
  resultOf,
  unknown,
  word,
  type Result,
} from './words.js';

/** Whether a job has ended, and how. */
export function jobOutcome(job: Job): 'running' | Result | 'unknown' {
  if (phaseOf(job.jobStatus) !== 'completed') return 'running';
  return resultOf(job.jobResult) ?? 'unknown';
}

const JOB_STEP_NAME = 'Configure job';

/** When a job started: absent while the service still says `0001-01-01…` (not yet). */
function jobStarted(job: Job): string {
  const started = word(job.jobStart);
  return started && !started.startsWith('0001-') ? started : '';
}

const jobMessages = (job: Job) =>
  flattenErrors(job.errors ?? []).map((line) => textMessage('error', line));

/** The job's status as the offer's and as its step's. */
function jobStatus(job: Job): { reported: Normalized<string>; step: Normalized<string> } {
  const phase = phaseOf(job.jobStatus);
  if (phase === 'completed') {
    const ended = endedResult(job.jobResult);
    return ended
      ? { reported: known(ended), step: known(STEP_OF_RESULT[ended]) }
      : { reported: unknown(job.jobResult), step: unknown(job.jobResult) };
  }
  if (phase) return { reported: known(phase), step: known(STEP_OF_PHASE[phase]) };
  return { reported: unknown(job.jobStatus), step: unknown(job.jobStatus) };
}

/** A configure job, from `GET configure/{jobId}/status`. */
export function jobToSnapshot(job: Job, context: { offerUrl?: string } = {}): Snapshot {
  const status = jobStatus(job);
  const started = jobStarted(job);
  return snapshotOf(
    status.reported,
    [
      {
        id: 'configure-job',
        name: JOB_STEP_NAME,
        status: status.step.value,
        statusKnown: status.step.known,
        progress: status.step.value === 'complete' ? 100 : null,
        estimatedTimeFrame: started ? `started ${started}` : '',
        messages: jobMessages(job),
      },
    ],
    word(job.jobId),
    [],
    context.offerUrl,
  );
}

/** The go-live job's status as the offer's and as the live step's: a job that succeeded still goes live. */
function goingLiveStatus(job: Job): { reported: Normalized<string>; live: Normalized<string> } {
  const phase = phaseOf(job.jobStatus);
  const ended = phase === 'completed' ? endedResult(job.jobResult) : undefined;
  if (!phase) return { reported: unknown(job.jobStatus), live: unknown(job.jobStatus) };
  if (phase !== 'completed' || ended === 'succeeded') {
    return { reported: known('running'), live: known('inProgress') };
  }
  if (ended) return { reported: known(ended), live: known(STEP_OF_RESULT[ended]) };
  return { reported: unknown(job.jobResult), live: unknown(job.jobResult) };
}

/**
 * The configure job of this step's go-live of the preview the read at the sign-off (`signoff`)
 * showed, until it has succeeded: that read's three steps, going live. The sign-off is past (the
 * request was accepted), so the read never goes back to it, nor to `notStarted` while the job
 * waits to start; a failed or cancelled job fails the live step, with its errors as the step's
 * messages. A job that has succeeded is still going live: the live submission publishes after it.
 */
export function goLiveJobToSnapshot(
  job: Job,
  signoff: Snapshot,
  context: { offerUrl?: string } = {},
): Snapshot {
  const preview = signoff.steps.find((s) => s.id === 'preview');
  const { reported, live } = goingLiveStatus(job);
  const jobId = word(job.jobId);
  const started = jobStarted(job);
  return snapshotOf(
    reported,
    [
      step('preview', known('complete'), preview?.detail ?? signoff.subject),
      step('publisher-signoff', known('complete')),
      step(
        'live',
        live,
        `configure job ${jobId || '(no id)'}${started ? `, started ${started}` : ''}`,
        jobMessages(job),
      ),
    ],
    jobId,
    [],
    context.offerUrl,
  );
}
