/**
 * The Cloud Partner Portal (CPP) API: follows an offer's status (`…/offers/{o}/status`) or one
 * publish operation (`…/operations/{id}`). Microsoft keeps it in maintenance mode for offers that
 * were integrated before Partner Center.
 */
import type { Snapshot } from '../../core/model.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions, HttpClient } from '../../http/client.js';
import type { Adapter, ApiProfile, Target } from '../adapter.js';
import { CppClient } from './client.js';
import { explainNotFound } from './not-found.js';
import { toSnapshot } from './snapshot.js';

const RESOURCE = 'https://cloudpartner.azure.com';

export const cloudPartnerPortal: ApiProfile = {
  name: 'cloud-partner-portal',
  title: 'Cloud Partner Portal API',
  resource: RESOURCE,
  defaultBaseUrl: 'https://cloudpartner.azure.com',
  defaultVersion: '2017-10-31',
  needsPublisher: true,
  guidance: {
    401:
      'The access token is missing, invalid or expired. Check the token is for the resource ' +
      `${RESOURCE} and not expired.`,
    403:
      'The identity is authenticated but has no access to this publisher. Add the service principal in ' +
      'the Cloud Partner Portal (Settings > Users) as Owner or Contributor using the Object ID of its ' +
      'enterprise application ("managed application in local directory"), not the app registration.',
    404: 'The publisher or the offer was not found. Check publisher-id and offer-id (and operation-id, if set).',
  },
  create: (http, target, base) => new CppAdapter(http, target, base),
};

class CppAdapter implements Adapter {
  private readonly client: CppClient;
  private operation: string;
  readonly following: string;

  constructor(
    http: HttpClient,
    private readonly target: Target,
    base: { baseUrl: URL; version: string },
  ) {
    this.client = new CppClient(http, base.baseUrl, base.version);
    this.operation = target.operationId;
    const offer = `offer ${target.publisherId}/${target.offerId}`;
    this.following = target.operationId
      ? `operation ${target.operationId} of ${offer}`
      : `the status of ${offer}`;
  }

  operationId(): string {
    return this.operation;
  }

  /** The running operation's id, so the `operation-id` output is known when following the offer. */
  async prepare(call: CallOptions, debug: (message: string) => void): Promise<void> {
    if (this.operation) return;
    const { publisherId, offerId } = this.target;
    try {
      const running = await this.client.runningSubmissions(publisherId, offerId, call);
      this.operation = running[0]?.id ?? '';
      debug(
        this.operation ? `Running operation: ${this.operation}` : 'No running operation listed.',
      );
    } catch (error) {
      debug(
        `Could not list running operations: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async read(call: CallOptions): Promise<Snapshot> {
    const { publisherId, offerId, operationId } = this.target;
    try {
      return toSnapshot(
        await (operationId
          ? this.client.operation(publisherId, offerId, operationId, call)
          : this.client.offerStatus(publisherId, offerId, call)),
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw await explainNotFound(this.client, this.target, error, call);
      }
      throw error;
    }
  }
}
