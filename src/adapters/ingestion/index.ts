/**
 * The Partner Center product-ingestion API (a Microsoft Graph workload): follows a product's
 * submissions (`GET submission/{productGuid}`) or one configure job (`configure/{jobId}/status`).
 */
import type { Snapshot } from '../../core/model.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions, HttpClient } from '../../http/client.js';
import type { Adapter, ApiProfile, Started, Target } from '../adapter.js';
import { IngestionClient, SUBMISSION_SCHEMA } from './client.js';
import { unknownProduct } from './not-found.js';
import type { Job, Submission } from './schemas.js';
import {
  flattenErrors,
  jobOutcome,
  jobToSnapshot,
  latestPreview,
  runningEntry,
  submissionsToSnapshot,
} from './snapshot.js';

const RESOURCE = 'https://graph.microsoft.com';

export const productIngestion: ApiProfile = {
  name: 'product-ingestion',
  title: 'product-ingestion API',
  resource: RESOURCE,
  defaultBaseUrl: 'https://graph.microsoft.com/rp/product-ingestion',
  defaultVersion: '2022-07-01',
  needsPublisher: false,
  guidance: {
    401:
      'The access token is missing, invalid or expired. Check the token is for the resource ' +
      `${RESOURCE} (scope ${RESOURCE}/.default) and not expired.`,
    403:
      'The identity is authenticated but has no access to this Partner Center account. Add the ' +
      'Entra app in Partner Center (Account settings > User management > Microsoft Entra ' +
      'applications) with the Manager role; no Microsoft Graph API permission is needed.',
    404:
      "Not found. Check offer-id (the product's external id) and operation-id (a configure job " +
      'id), if set.',
  },
  politeness: {
    minPollIntervalMs: 60_000,
    advice:
      'The product-ingestion API asks clients to poll a job at most once per minute; ' +
      'a poll-interval of 1m or more is kinder to it.',
  },
  create: (http, target, base) => new IngestionAdapter(http, target, base),
};

class IngestionAdapter implements Adapter {
  private readonly client: IngestionClient;
  /** The product's GUID, looked up once by its external id on the first read. */
  private productGuid: string | undefined;
  /** A configure job this step started: followed to its end, then the product's submissions. */
  private startedJob: string | undefined;
  private operation: string;
  /** The product's submissions as last read (a go-live needs the preview's id). */
  private submissions: Submission[] | undefined;
  readonly following: string;

  constructor(
    http: HttpClient,
    private readonly target: Target,
    base: { baseUrl: URL; version: string },
  ) {
    this.client = new IngestionClient(http, base.baseUrl, base.version);
    this.operation = target.operationId;
    this.following = target.operationId
      ? `configure job ${target.operationId} of product ${target.offerId}`
      : `the submissions of product ${target.offerId}`;
  }

  operationId(): string {
    return this.operation;
  }

  async prepare(): Promise<void> {}

  async read(call: CallOptions): Promise<Snapshot> {
    const { operationId } = this.target;
    if (operationId) {
      try {
        return jobToSnapshot(await this.client.job(operationId, call));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          throw new ApiError(
            `Configure job '${operationId}' was not found (${error.details.endpoint} answered HTTP ` +
              "404). Check operation-id: it is the jobId a configure request answered with; or leave it empty to follow the product's submissions.",
            { ...error.details, transient: false },
          );
        }
        throw error;
      }
    }
    if (this.startedJob) {
      const job = await this.client.job(this.startedJob, call);
      // A job that has not succeeded is the news; once it has, the submissions are.
      if (jobOutcome(job) !== 'succeeded') return jobToSnapshot(job);
      this.startedJob = undefined;
    }
    return submissionsToSnapshot(await this.readSubmissions(call));
  }

  async runningPublish(call: CallOptions): Promise<Started | undefined> {
    const running = runningEntry(await this.readSubmissions(call));
    return running ? { operationId: '', label: `submission ${running.id}` } : undefined;
  }

  join(): void {
    // The product's submissions show the running publish, whoever started it.
    this.startedJob = undefined;
  }

  async startPublish(call: CallOptions): Promise<Started> {
    this.productGuid ??= await this.lookUpProduct(call);
    return this.follow(
      await this.client.configure(
        {
          $schema: SUBMISSION_SCHEMA,
          product: `product/${this.productGuid}`,
          target: { targetType: 'preview' },
        },
        call,
      ),
    );
  }

  async goLive(call: CallOptions): Promise<Started> {
    const preview = latestPreview(this.submissions ?? (await this.readSubmissions(call)));
    if (!preview) {
      throw new ApiError('There is no preview submission to push live.', {
        kind: 'body',
        endpoint: 'GET submission',
        transient: false,
      });
    }
    return this.follow(
      await this.client.configure(
        {
          $schema: SUBMISSION_SCHEMA,
          id: preview.id,
          product: `product/${this.productGuid}`,
          target: { targetType: 'live' },
        },
        call,
      ),
    );
  }

  /** Follows the job a configure request answered with; a job refused at once is an error. */
  private follow(job: Job): Started {
    const errors = flattenErrors(job.errors ?? []);
    if (jobOutcome(job) === 'failed' || (errors.length > 0 && jobOutcome(job) !== 'succeeded')) {
      // "An In Progress submission already exists" comes back as a failed job: a conflict.
      const conflict = errors.some((e) => /already exists|in progress/i.test(e));
      throw new ApiError(`POST configure answered with a failed job: ${errors.join(' | ')}`, {
        kind: 'http',
        endpoint: 'POST configure',
        status: conflict ? 409 : 422,
        serviceMessage: errors.join(' | '),
        transient: false,
      });
    }
    const id = typeof job.jobId === 'string' ? job.jobId : '';
    this.startedJob = id || undefined;
    this.operation = id;
    return { operationId: id, label: `configure job ${id}` };
  }

  private async readSubmissions(call: CallOptions): Promise<Submission[]> {
    this.productGuid ??= await this.lookUpProduct(call);
    this.submissions = await this.client.submissions(this.productGuid, call);
    return this.submissions;
  }

  /** `product/<guid>` → `<guid>`, for the offer's external id. */
  private async lookUpProduct(call: CallOptions): Promise<string> {
    const { offerId } = this.target;
    const [product] = await this.client.productsByExternalId(offerId, call);
    if (!product) throw await unknownProduct(this.client, offerId, call);
    return product.id.replace(/^product\//, '');
  }
}
