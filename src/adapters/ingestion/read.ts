/**
 * One read on product-ingestion: the configure job `operation-id` names, else a job this step
 * started until it has succeeded (a change alone: to its end), else the product's submissions.
 */
import type { Snapshot } from '../../core/model.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions } from '../../http/client.js';
import type { IngestionClient } from './client.js';
import { conflict, conflictErrors } from './errors.js';
import type { IngestionFollowed } from './followed.js';
import { goLiveJobToSnapshot, jobOutcome, jobToSnapshot } from './job.js';
import type { Product } from './product.js';
import type { Submission } from './schemas.js';
import { submissionsToSnapshot } from './snapshot.js';

export interface ReadDeps {
  client: IngestionClient;
  product: Product;
  /** `operation-id`: the one configure job followed, whatever this step sends. */
  asked: string;
}

type MoveOn = (next: IngestionFollowed) => void;

export async function readFollowed(
  deps: ReadDeps,
  call: CallOptions,
  followed: IngestionFollowed,
  moveOn: MoveOn,
): Promise<Snapshot> {
  if (deps.asked) return readAskedJob(deps, call);
  if (followed.job) {
    const shown = await readStartedJob(deps, call, followed, followed.job, moveOn);
    if (shown) return shown;
  }
  const submissions = await readSubmissions(deps, call);
  const { goLiveOf } = followed;
  return submissionsToSnapshot(submissions, {
    offerUrl: deps.product.offerUrl(),
    ...(goLiveOf?.subject ? { goLiveOf: goLiveOf.subject } : {}),
  });
}

export async function readSubmissions(
  deps: Pick<ReadDeps, 'client' | 'product'>,
  call: CallOptions,
): Promise<Submission[]> {
  return deps.client.submissions(await deps.product.guid(call), call);
}

/** The job `operation-id` names; a 404 says what that input is. */
async function readAskedJob({ client, asked }: ReadDeps, call: CallOptions): Promise<Snapshot> {
  try {
    return jobToSnapshot(await client.job(asked, call));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new ApiError(
        `Configure job '${asked}' was not found (${error.details.endpoint} answered HTTP ` +
          "404). Check operation-id: it is the jobId a configure request answered with; or leave it empty to follow the product's submissions.",
        { ...error.details, transient: false },
      );
    }
    throw error;
  }
}

/**
 * A job this step started: its read while it is the news, or undefined once it has succeeded and
 * the submissions are (it is not read again, even when the read of the submissions then fails).
 * Refused because a submission runs: the same answer as a 409 to the request itself.
 */
async function readStartedJob(
  deps: ReadDeps,
  call: CallOptions,
  followed: IngestionFollowed,
  jobId: string,
  moveOn: MoveOn,
): Promise<Snapshot | undefined> {
  const job = await deps.client.job(jobId, call);
  const outcome = jobOutcome(job);
  const context = { offerUrl: deps.product.offerUrl() };
  const refusedBy = outcome === 'failed' ? conflictErrors(job.errors ?? []) : [];
  const refused = () => conflict(`configure job ${jobId} was refused`, refusedBy, 'GET configure');
  // A change alone is its job: its end, whatever it is, is the news; then the submissions are.
  if (followed.changeOnly) {
    if (refusedBy.length > 0) {
      moveOn({ ...followed, job: undefined, changeOnly: undefined });
      throw refused();
    }
    if (outcome !== 'running') moveOn({ ...followed, job: undefined, changeOnly: undefined });
    return { ...jobToSnapshot(job, context), subject: jobId };
  }
  if (refusedBy.length > 0) {
    // Neither the job nor its go-live stands any more.
    moveOn({ ...followed, job: undefined, goLiveOf: undefined });
    throw refused();
  }
  // Its subject is the job asked about, whatever the answer calls it. The go-live's job reads as
  // the submissions' steps, going live.
  if (outcome !== 'succeeded') {
    const { goLiveOf } = followed;
    const shown = goLiveOf
      ? goLiveJobToSnapshot(job, goLiveOf, context)
      : jobToSnapshot(job, context);
    return { ...shown, subject: jobId };
  }
  moveOn({ ...followed, job: undefined });
  return undefined;
}
