/**
 * The Cloud Partner Portal (CPP) API: follows an offer's status (`…/offers/{o}/status`) or one
 * publish operation (`…/operations/{id}`). Microsoft keeps it in maintenance mode for offers that
 * were integrated before Partner Center.
 */
import type { Snapshot } from '../../core/model.js';
import { ApiError } from '../../http/api-error.js';
import { header, type Answer, type CallOptions, type HttpClient } from '../../http/client.js';
import { statusKey } from '../../core/status.js';
import { docsUrl } from '../../core/docs.js';
import {
  sealed,
  type Adapter,
  type ApiProfile,
  type Publication,
  type PublishState,
  type Started,
  type Target,
} from '../adapter.js';
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
      `${RESOURCE} and not expired. See ${docsUrl('authentication')}.`,
    403:
      'The identity is authenticated but has no access to this publisher. Add the service principal in ' +
      'the Cloud Partner Portal (Settings > Users) as Owner or Contributor using the Object ID of its ' +
      'enterprise application ("managed application in local directory"), not the app ' +
      `registration. See ${docsUrl('authentication')}.`,
    404: 'The publisher or the offer was not found. Check publisher-id and offer-id (and operation-id, if set).',
  },
  create: (http, target, base) => sealed(new CppAdapter(http, target, base)),
};

/** What CPP's reads follow: an operation, by the address the service gave for it, if any. */
interface CppFollowed {
  readonly operationId: string;
  /** The operation's address, as the service gave it: read instead of the offer's status. */
  readonly address?: URL;
}

class CppAdapter implements Adapter<CppFollowed> {
  private readonly client: CppClient;
  private readonly baseUrl: URL;
  readonly following: string;
  readonly start: CppFollowed;

  constructor(
    http: HttpClient,
    private readonly target: Target,
    base: { baseUrl: URL; version: string },
  ) {
    this.baseUrl = base.baseUrl;
    this.client = new CppClient(http, base.baseUrl, base.version);
    this.start = { operationId: target.operationId };
    const offer = `offer ${target.publisherId}/${target.offerId}`;
    this.following = target.operationId
      ? `operation ${target.operationId} of ${offer}`
      : `the status of ${offer}`;
  }

  /** The running operation's id, so the `operation-id` output is known when following the offer. */
  async prepare(
    call: CallOptions,
    followed: CppFollowed,
    debug: (message: string) => void,
  ): Promise<CppFollowed> {
    if (followed.operationId) return followed;
    try {
      const running = (await this.publications(call)).find((p) => p.running)?.id ?? '';
      debug(running ? `Running operation: ${running}` : 'No running operation listed.');
      return { ...followed, operationId: running };
    } catch (error) {
      debug(
        `Could not list running operations: ${error instanceof Error ? error.message : String(error)}`,
      );
      return followed;
    }
  }

  async read(call: CallOptions, followed: CppFollowed): Promise<Snapshot> {
    const { publisherId, offerId, operationId } = this.target;
    try {
      if (followed.address || operationId) {
        const body = await (followed.address
          ? this.client.operationAt(followed.address, call)
          : this.client.operation(publisherId, offerId, operationId, call));
        // An operation's answer is that operation's state: its id is the read's subject.
        return { ...toSnapshot(body), subject: followed.operationId || operationId };
      }
      // The offer's status does not say which operation it shows.
      return toSnapshot(await this.client.offerStatus(publisherId, offerId, call));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        const ids = { ...this.target, operationId: followed.operationId };
        throw await explainNotFound(this.client, ids, error, call);
      }
      throw error;
    }
  }

  async publications(call: CallOptions): Promise<Publication[]> {
    const { publisherId, offerId } = this.target;
    const listed = await this.client.submissions(publisherId, offerId, call);
    return listed.map((s) => {
      const state = typeof s.submissionState === 'string' ? statusKey(s.submissionState) : '';
      const type = typeof s.submissionType === 'string' ? statusKey(s.submissionType) : '';
      return {
        key: s.id,
        id: s.id,
        kind: type === 'golive' ? 'go-live' : 'publish',
        // The operations page: `not started | running | failed | completed`. A state no one
        // documents counts as running: joining is safe, a second publish is not.
        running: state !== '' && !ENDED_OPERATION_STATES.has(state),
        label: `operation ${s.id}`,
      };
    });
  }

  /** The operations listed; CPP does not say what the preview holds, so the rest is unknown. */
  async publishState(call: CallOptions): Promise<PublishState> {
    const publications = await this.publications(call);
    const running = publications.find((p) => p.running);
    return { publications, ...(running ? { running } : {}), known: false };
  }

  follow(followed: CppFollowed, publication: Publication): CppFollowed {
    // Its operation, not the offer's status: right after a write the status may still show the
    // publish before it.
    return {
      ...followed,
      operationId: publication.id,
      address: this.client.operationUrl(
        this.target.publisherId,
        this.target.offerId,
        publication.id,
      ),
    };
  }

  async startPublish(
    call: CallOptions,
    followed: CppFollowed,
    options: { notificationEmails: string },
  ): Promise<Started<CppFollowed>> {
    const { publisherId, offerId } = this.target;
    return this.followAnswer(
      followed,
      await this.client.publish(publisherId, offerId, options.notificationEmails, call),
    );
  }

  async goLive(call: CallOptions, followed: CppFollowed): Promise<Started<CppFollowed>> {
    const { publisherId, offerId } = this.target;
    return this.followAnswer(followed, await this.client.goLive(publisherId, offerId, call));
  }

  /**
   * Follows the operation whose address the service gave in `Location` (current docs, a relative
   * path) or `Operation-Location` (older docs). Migrated offers get
   * `/api/publishers/{p}/offers/{o}/operations/{guid}`, others `/api/operations/{p}${o}$2$preview`:
   * the address is followed as given, never rebuilt from a guessed id. Without one, the offer's
   * status is read, and the operation followed before stays the one named.
   */
  private followAnswer(followed: CppFollowed, answer: Answer<unknown>): Started<CppFollowed> {
    const address =
      header(answer.headers, 'location') ?? header(answer.headers, 'operation-location');
    const fallback = (notice?: string): Started<CppFollowed> => ({
      operationId: '',
      label: 'an operation the service did not name',
      notice,
      subjects: [],
      followed: { ...followed, address: undefined },
    });
    if (!address) {
      return fallback(
        `The service answered HTTP ${answer.status} without the operation's address (Location); ` +
          "following the offer's status instead.",
      );
    }
    let url: URL;
    try {
      url = new URL(address, `${this.baseUrl.href.replace(/\/+$/, '')}/`);
    } catch {
      return fallback(
        `The operation's address '${address}' is not a URL; following the offer's status instead.`,
      );
    }
    if (url.origin !== this.baseUrl.origin) {
      return fallback(
        `The operation's address is on another origin (${url.origin}), so it is not followed and ` +
          "the token is not sent there; following the offer's status instead.",
      );
    }
    const segments = url.pathname.split('/').filter(Boolean);
    const operationId = decodeURIComponent(segments.at(-1) ?? '');
    return {
      operationId,
      label: `operation ${operationId}`,
      subjects: [operationId],
      followed: { ...followed, operationId, address: this.client.withVersion(url) },
    };
  }
}

/** Operation states after which it no longer runs (`statusKey` spelling). */
const ENDED_OPERATION_STATES: ReadonlySet<string> = new Set([
  'completed',
  'complete',
  'succeeded',
  'failed',
  'canceled',
  'cancelled',
]);
