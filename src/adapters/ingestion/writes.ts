/**
 * Product-ingestion's writes: each one configure request, whose job the reads then follow. A
 * publish is the preview submission alone (Microsoft's "publish all draft resources", as Partner
 * Center's Publish does); a go-live, the live submission of the preview the read at the sign-off
 * showed; a change, its resources alone, followed to the end of its job.
 */
import type { Resource } from '../../core/configure/types.js';
import type { Snapshot } from '../../core/model.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions } from '../../http/client.js';
import type { Started } from '../adapter.js';
import { SUBMISSION_SCHEMA, type IngestionClient } from './client.js';
import { conflict, conflictErrors, errorCodes, flattenErrors } from './errors.js';
import type { IngestionFollowed } from './followed.js';
import { jobOutcome } from './job.js';
import type { Product } from './product.js';
import type { Job } from './schemas.js';

export interface WriteDeps {
  client: IngestionClient;
  product: Product;
}

type StartedJob = Started<IngestionFollowed>;

export async function startPublish(
  { client, product }: WriteDeps,
  call: CallOptions,
  followed: IngestionFollowed,
): Promise<StartedJob> {
  const guid = await product.guid(call);
  // The change, if any, went in its own request and its job has succeeded.
  const job = await client.configure(
    [{ $schema: SUBMISSION_SCHEMA, product: `product/${guid}`, target: { targetType: 'preview' } }],
    call,
  );
  // A new preview: no go-live of this step's stands for it.
  return followJob({ ...followed, changeOnly: undefined, goLiveOf: undefined }, job);
}

export async function configureChange(
  { client, product }: WriteDeps,
  call: CallOptions,
  followed: IngestionFollowed,
  resources: Resource[],
): Promise<StartedJob> {
  await product.guid(call);
  const started = followJob(followed, await client.configure(resources, call));
  // A change alone ends with its job: there is no publish to follow after it.
  return { ...started, followed: { ...started.followed, changeOnly: true } };
}

export async function goLive(
  { client, product }: WriteDeps,
  call: CallOptions,
  followed: IngestionFollowed,
  signoff: Snapshot,
): Promise<StartedJob> {
  // The preview the read at the sign-off showed, never one looked up again: the listing may
  // have moved on (or lag) since.
  const previewId = signoff.subject ?? '';
  const guid = product.known;
  if (!previewId || !guid) {
    throw new ApiError(
      'The read at the sign-off did not name the preview submission, so no go-live was sent.',
      { kind: 'body', endpoint: 'GET submission', transient: false },
    );
  }
  const live = {
    $schema: SUBMISSION_SCHEMA,
    id: previewId,
    product: `product/${guid}`,
    target: { targetType: 'live' },
  };
  const started = followJob(followed, await client.configure([live], call));
  return {
    ...started,
    // Going live, the live entry carries the preview's id.
    subjects: [...started.subjects, previewId],
    followed: { ...started.followed, goLiveOf: signoff },
  };
}

/** Follows the job a configure request answered with; a job refused at once is an error. */
function followJob(followed: IngestionFollowed, job: Job): StartedJob {
  const errors = flattenErrors(job.errors ?? []);
  if (jobOutcome(job) === 'failed' || (errors.length > 0 && jobOutcome(job) !== 'succeeded')) {
    throw refusedAtOnce(job, errors);
  }
  const id = typeof job.jobId === 'string' ? job.jobId : '';
  return {
    operationId: id,
    label: `configure job ${id}`,
    subjects: id ? [id] : [],
    followed: { ...followed, operationId: id, job: id || undefined },
  };
}

function refusedAtOnce(job: Job, errors: string[]): ApiError {
  if (conflictErrors(job.errors ?? []).length > 0) {
    return conflict('POST configure answered with a failed job', errors, 'POST configure');
  }
  const code = errorCodes(job.errors ?? [])[0];
  return new ApiError(`POST configure answered with a failed job: ${errors.join(' | ')}`, {
    kind: 'http',
    endpoint: 'POST configure',
    status: 422,
    ...(code ? { code } : {}),
    serviceMessage: errors.join(' | '),
    transient: false,
  });
}
