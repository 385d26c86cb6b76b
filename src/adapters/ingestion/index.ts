/**
 * The Partner Center product-ingestion API (a Microsoft Graph workload): follows a product's
 * submissions (`GET submission/{productGuid}`) or one configure job (`configure/{jobId}/status`).
 */
import type { Snapshot } from '../../core/model.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions, HttpClient } from '../../http/client.js';
import type { Adapter, ApiProfile, Target } from '../adapter.js';
import { IngestionClient } from './client.js';
import { unknownProduct } from './not-found.js';
import { jobToSnapshot, submissionsToSnapshot } from './snapshot.js';

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
  readonly following: string;

  constructor(
    http: HttpClient,
    private readonly target: Target,
    base: { baseUrl: URL; version: string },
  ) {
    this.client = new IngestionClient(http, base.baseUrl, base.version);
    this.following = target.operationId
      ? `configure job ${target.operationId} of product ${target.offerId}`
      : `the submissions of product ${target.offerId}`;
  }

  operationId(): string {
    return this.target.operationId;
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
    this.productGuid ??= await this.lookUpProduct(call);
    return submissionsToSnapshot(await this.client.submissions(this.productGuid, call));
  }

  /** `product/<guid>` → `<guid>`, for the offer's external id. */
  private async lookUpProduct(call: CallOptions): Promise<string> {
    const { offerId } = this.target;
    const [product] = await this.client.productsByExternalId(offerId, call);
    if (!product) throw await unknownProduct(this.client, offerId, call);
    return product.id.replace(/^product\//, '');
  }
}
