/**
 * The Cloud Partner Portal endpoints the action calls, on the shared HTTP layer. Every URL carries
 * `api-version`; ids are path segments, encoded.
 */
import * as v from 'valibot';
import type { Answer, CallOptions, HttpClient } from '../../http/client.js';
import { apiUrl } from '../../http/url.js';
import {
  OffersBodySchema,
  StatusBodySchema,
  SubmissionsBodySchema,
  type StatusBody,
} from './snapshot.js';

export class CppClient {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: URL,
    private readonly apiVersion: string,
  ) {}

  offerStatus(publisherId: string, offerId: string, call?: CallOptions): Promise<StatusBody> {
    return this.http.get(
      this.url(['api', 'publishers', publisherId, 'offers', offerId, 'status']),
      StatusBodySchema,
      call,
    );
  }

  operation(
    publisherId: string,
    offerId: string,
    operationId: string,
    call?: CallOptions,
  ): Promise<StatusBody> {
    return this.operationAt(this.operationUrl(publisherId, offerId, operationId), call);
  }

  operationUrl(publisherId: string, offerId: string, operationId: string): URL {
    return this.url([
      'api',
      'publishers',
      publisherId,
      'offers',
      offerId,
      'operations',
      operationId,
    ]);
  }

  /** The offer's operations (`…/submissions`), every state: a write's look must see failed ones. */
  submissions(publisherId: string, offerId: string, call?: CallOptions) {
    return this.http.get(
      this.url(['api', 'publishers', publisherId, 'offers', offerId, 'submissions']),
      SubmissionsBodySchema,
      call,
    );
  }

  offers(publisherId: string, call?: CallOptions) {
    return this.http.get(
      this.url(['api', 'publishers', publisherId, 'offers']),
      OffersBodySchema,
      call,
    );
  }

  /** The status of an operation at the address the service gave (`Location`). */
  operationAt(url: URL, call?: CallOptions): Promise<StatusBody> {
    return this.http.get(url, StatusBodySchema, call);
  }

  /** `POST …/publish`: 202 with the operation's address in a header. */
  publish(
    publisherId: string,
    offerId: string,
    notificationEmails: string,
    call?: CallOptions,
  ): Promise<Answer<unknown>> {
    const metadata = notificationEmails ? { 'notification-emails': notificationEmails } : {};
    return this.http.post(
      this.url(['api', 'publishers', publisherId, 'offers', offerId, 'publish']),
      { metadata },
      v.unknown(),
      call,
    );
  }

  /** `POST …/golive`: 202 with the operation's address in a header. */
  goLive(publisherId: string, offerId: string, call?: CallOptions): Promise<Answer<unknown>> {
    return this.http.post(
      this.url(['api', 'publishers', publisherId, 'offers', offerId, 'golive']),
      {},
      v.unknown(),
      call,
    );
  }

  /** With `api-version` added when the address lacks it. */
  withVersion(url: URL): URL {
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', this.apiVersion);
    return url;
  }

  /** An address of this API, with its `api-version`. */
  private url(segments: string[]): URL {
    return apiUrl(this.baseUrl, segments, { 'api-version': this.apiVersion });
  }
}
