/**
 * The Cloud Partner Portal endpoints the action calls, on the shared HTTP layer. Every URL carries
 * `api-version`; ids are path segments, encoded.
 */
import type { CallOptions, HttpClient } from '../../http/client.js';
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
    return this.http.get(
      this.url(['api', 'publishers', publisherId, 'offers', offerId, 'operations', operationId]),
      StatusBodySchema,
      call,
    );
  }

  /** The offer's running operations (`…/submissions?status=running`). */
  runningSubmissions(publisherId: string, offerId: string, call?: CallOptions) {
    return this.http.get(
      this.url(['api', 'publishers', publisherId, 'offers', offerId, 'submissions'], {
        status: 'running',
      }),
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

  private url(segments: string[], query: Record<string, string> = {}): URL {
    const url = new URL(this.baseUrl.href);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/${segments.map(encodeURIComponent).join('/')}`;
    url.searchParams.set('api-version', this.apiVersion);
    for (const [k, value] of Object.entries(query)) url.searchParams.set(k, value);
    return url;
  }
}
