/**
 * The Partner Center product-ingestion API (a Microsoft Graph workload): follows a product's
 * submissions (`GET submission/{productGuid}`) or one configure job (`configure/{jobId}/status`).
 */
import { textMessage, type Message, type Snapshot } from '../../core/model.js';
import { docsUrl } from '../../core/docs.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions, HttpClient } from '../../http/client.js';
import type { Resource } from '../../core/configure/types.js';
import type {
  Adapter,
  ApiProfile,
  Followed,
  OfferChanges,
  Publication,
  PublishState,
  Started,
  Target,
} from '../adapter.js';
import { IngestionClient, SUBMISSION_SCHEMA } from './client.js';
import { unknownProduct } from './not-found.js';
import type { Job, Submission } from './schemas.js';
import {
  CONFLICT_CODES,
  errorCodes,
  flattenErrors,
  goLiveJobToSnapshot,
  jobOutcome,
  jobToSnapshot,
  offerOverviewUrl,
  previewStateOf,
  submissionsToSnapshot,
  toPublications,
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
      `${RESOURCE} (scope ${RESOURCE}/.default) and not expired. See ${docsUrl('authentication')}.`,
    403:
      'The identity is authenticated but has no access to this Partner Center account. Add the ' +
      'Entra app in Partner Center (Account settings > User management > Microsoft Entra ' +
      'applications) with the Manager role; no Microsoft Graph API permission is needed. See ' +
      `${docsUrl('authentication')}.`,
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

/**
 * A job's errors that say another submission holds the product: by their code (`productLocked`,
 * `conflict`, at any depth), never their text — "Image version 1.4.0 already exists" is a
 * validation error, not a lock.
 */
function conflictErrors(job: Job): string[] {
  return errorCodes(job.errors ?? []).some((code) => CONFLICT_CODES.has(code))
    ? flattenErrors(job.errors ?? [])
    : [];
}

/** A refusal because a submission runs, worded and coded as the 409 it amounts to. */
function conflict(what: string, errors: string[], endpoint: string): ApiError {
  return new ApiError(`${what}: ${errors.join(' | ')}`, {
    kind: 'http',
    endpoint,
    status: 409,
    code: 'conflict',
    serviceMessage: errors.join(' | '),
    transient: false,
  });
}

class IngestionAdapter implements Adapter {
  private readonly client: IngestionClient;
  /**
   * The product's GUID, looked up once by its external id on the first read: a fact about the
   * account, not about what is followed, kept so each read is one request.
   */
  private productGuid: string | undefined;
  readonly following: string;
  readonly start: Followed;

  constructor(
    http: HttpClient,
    private readonly target: Target,
    base: { baseUrl: URL; version: string },
  ) {
    this.client = new IngestionClient(http, base.baseUrl, base.version);
    this.start = { operationId: target.operationId };
    this.following = target.operationId
      ? `configure job ${target.operationId} of product ${target.offerId}`
      : `the submissions of product ${target.offerId}`;
  }

  async prepare(_call: CallOptions, followed: Followed): Promise<Followed> {
    return followed;
  }

  async read(
    call: CallOptions,
    followed: Followed,
    moveOn: (next: Followed) => void,
  ): Promise<Snapshot> {
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
    const { job: jobId, goLiveOf } = followed;
    if (jobId) {
      const job = await this.client.job(jobId, call);
      const outcome = jobOutcome(job);
      const context = { offerUrl: this.offerUrl() };
      // A change alone is its job: its end, whatever it is, is the news; then the submissions are.
      if (followed.changeOnly) {
        if (outcome === 'failed' && conflictErrors(job).length > 0) {
          moveOn({ ...followed, job: undefined, changeOnly: undefined });
          throw conflict(
            `configure job ${jobId} was refused`,
            conflictErrors(job),
            'GET configure',
          );
        }
        if (outcome !== 'running') moveOn({ ...followed, job: undefined, changeOnly: undefined });
        return { ...jobToSnapshot(job, context), subject: jobId };
      }
      if (outcome === 'failed' && conflictErrors(job).length > 0) {
        // Refused because a submission runs: the same answer as a 409 to the request itself.
        // Neither the job nor its go-live stands any more.
        moveOn({ ...followed, job: undefined, goLiveOf: undefined });
        throw conflict(`configure job ${jobId} was refused`, conflictErrors(job), 'GET configure');
      }
      // A job that has not succeeded is the news; once it has, the submissions are. Its subject
      // is the job asked about, whatever the answer calls it. The go-live's job reads as the
      // submissions' steps, going live.
      if (outcome !== 'succeeded') {
        const shown = goLiveOf
          ? goLiveJobToSnapshot(job, goLiveOf, context)
          : jobToSnapshot(job, context);
        return { ...shown, subject: jobId };
      }
      // Not read again, even when the read of the submissions below fails.
      moveOn({ ...followed, job: undefined });
    }
    const submissions = await this.readSubmissions(call);
    return submissionsToSnapshot(submissions, {
      offerUrl: this.offerUrl(),
      ...(goLiveOf?.subject ? { goLiveOf: goLiveOf.subject } : {}),
    });
  }

  /** Partner Center's overview of the product, once it was looked up. */
  private offerUrl(): string | undefined {
    return this.productGuid ? offerOverviewUrl(this.productGuid) : undefined;
  }

  async reasons(call: CallOptions, operationId: string): Promise<Message[]> {
    const job = await this.client.job(operationId, call);
    return flattenErrors(job.errors ?? []).map((e) => textMessage('error', e));
  }

  offerPage(): string | undefined {
    return this.offerUrl();
  }

  async publications(call: CallOptions): Promise<Publication[]> {
    return toPublications(await this.readSubmissions(call));
  }

  async publishState(call: CallOptions): Promise<PublishState> {
    const submissions = await this.readSubmissions(call);
    const publications = toPublications(submissions);
    const running = publications.find((p) => p.running);
    return {
      publications,
      ...(running ? { running } : {}),
      known: true,
      ...previewStateOf(submissions),
    };
  }

  follow(followed: Followed): Followed {
    // The product's submissions show the publication, whoever started it.
    return { ...followed, job: undefined };
  }

  async startPublish(call: CallOptions, followed: Followed): Promise<Started> {
    this.productGuid ??= await this.lookUpProduct(call);
    // The submission alone: Microsoft's "publish all draft resources", as Partner Center's
    // Publish does. The change, if any, went in its own request and its job has succeeded.
    const job = await this.client.configure(
      [
        {
          $schema: SUBMISSION_SCHEMA,
          product: `product/${this.productGuid}`,
          target: { targetType: 'preview' },
        },
      ],
      call,
    );
    // A new preview: no go-live of this step's stands for it.
    return this.followJob({ ...followed, changeOnly: undefined, goLiveOf: undefined }, job);
  }

  readonly changes: OfferChanges = {
    readDraft: async (call, target = 'draft') => {
      this.productGuid ??= await this.lookUpProduct(call);
      const tree = await this.client.resourceTree(this.productGuid, target, call);
      return {
        product: { id: `product/${this.productGuid}`, externalId: this.target.offerId },
        resources: tree.resources as Resource[],
      };
    },
    configure: async (call, followed, resources) => {
      this.productGuid ??= await this.lookUpProduct(call);
      const started = this.followJob(followed, await this.client.configure(resources, call));
      // A change alone ends with its job: there is no publish to follow after it.
      return { ...started, followed: { ...started.followed, changeOnly: true } };
    },
  };

  async goLive(call: CallOptions, followed: Followed, signoff: Snapshot): Promise<Started> {
    // The preview the read at the sign-off showed, never one looked up again: the listing may
    // have moved on (or lag) since.
    const previewId = signoff.subject ?? '';
    if (!previewId || !this.productGuid) {
      throw new ApiError(
        'The read at the sign-off did not name the preview submission, so no go-live was sent.',
        { kind: 'body', endpoint: 'GET submission', transient: false },
      );
    }
    const started = this.followJob(
      followed,
      await this.client.configure(
        [
          {
            $schema: SUBMISSION_SCHEMA,
            id: previewId,
            product: `product/${this.productGuid}`,
            target: { targetType: 'live' },
          },
        ],
        call,
      ),
    );
    return {
      ...started,
      // Going live, the live entry carries the preview's id.
      subjects: [...started.subjects, previewId],
      followed: { ...started.followed, goLiveOf: signoff },
    };
  }

  /** Follows the job a configure request answered with; a job refused at once is an error. */
  private followJob(followed: Followed, job: Job): Started {
    const errors = flattenErrors(job.errors ?? []);
    if (jobOutcome(job) === 'failed' || (errors.length > 0 && jobOutcome(job) !== 'succeeded')) {
      if (conflictErrors(job).length > 0) {
        throw conflict('POST configure answered with a failed job', errors, 'POST configure');
      }
      throw new ApiError(`POST configure answered with a failed job: ${errors.join(' | ')}`, {
        kind: 'http',
        endpoint: 'POST configure',
        status: 422,
        ...(errorCodes(job.errors ?? [])[0] ? { code: errorCodes(job.errors ?? [])[0] } : {}),
        serviceMessage: errors.join(' | '),
        transient: false,
      });
    }
    const id = typeof job.jobId === 'string' ? job.jobId : '';
    return {
      operationId: id,
      label: `configure job ${id}`,
      subjects: id ? [id] : [],
      followed: { ...followed, operationId: id, job: id || undefined },
    };
  }

  private async readSubmissions(call: CallOptions): Promise<Submission[]> {
    this.productGuid ??= await this.lookUpProduct(call);
    return this.client.submissions(this.productGuid, call);
  }

  /**
   * `product/<guid>` → `<guid>`, for the offer's external id. Only the product whose
   * `identity.externalId` is exactly the offer id: any other product in the answer (a filter the
   * service ignored, a near match) is never followed.
   */
  private async lookUpProduct(call: CallOptions): Promise<string> {
    const { offerId } = this.target;
    const products = await this.client.productsByExternalId(offerId, call);
    const product = products.find((p) => p.identity?.externalId === offerId);
    if (!product) throw await unknownProduct(this.client, offerId, call);
    return product.id.replace(/^product\//, '');
  }
}
