/**
 * The one seam between the action and a publishing API. An adapter follows one offer's publish on
 * one API: it reads where the publish stands and returns the core's `Snapshot`. The wait, the stop
 * rules, the log, the summary and the outputs never learn which API answered. What it follows
 * (`Followed`) is the caller's to hold and the adapter's to read: every call takes it, the adapter
 * remembers none of it, and the caller cannot look into it.
 */
import type { Draft, Resource } from '../core/configure/types.js';
import type { Message, Snapshot } from '../core/model.js';
import type { PreviewState } from '../core/release.js';
import type { WriteName } from '../core/started.js';
import type { CallOptions, HttpClient } from '../http/client.js';

export const API_NAMES = ['cloud-partner-portal', 'product-ingestion'] as const;
export type ApiName = (typeof API_NAMES)[number];

/** What the action follows on one API: one offer, and maybe one operation (or configure job). */
export interface Target {
  publisherId: string;
  offerId: string;
  /** Empty: follow the offer's publish as a whole. */
  operationId: string;
}

/**
 * A publish or go-live the service lists for the offer, in any state. The write rules compare two
 * listings by `key`: an entry listed now and not before was started in between.
 */
export interface Publication {
  /** Unique within the offer's listing (ingestion: target and id, as one id serves both). */
  key: string;
  /** What to follow: the operation id (CPP) or the submission id (ingestion). */
  id: string;
  kind: WriteName;
  /** Still in progress: a second publish now would be refused, so it is joined instead. */
  running: boolean;
  /** For the log: `operation 5a63…`, `submission …/1152…`. */
  label: string;
}

/**
 * Where an offer's publishes stand before anything is sent: what the planner (`core/release.ts`)
 * decides from, and the listing the write rules compare later listings with.
 */
export interface PublishState {
  /** Every publish and go-live listed now (see `Adapter.publications`). */
  publications: Publication[];
  /** One that runs now, if any. */
  running?: Publication;
  /** Whether the API tells where the latest preview stands (product-ingestion) or not (CPP). */
  known: boolean;
  /** The latest preview and where it stands; absent when there is none (or `known` is false). */
  preview?: { id: string; state: PreviewState };
  /** The submission that is live, when one is. */
  live?: string;
}

declare const opaque: unique symbol;

/**
 * What one offer's reads follow, as an adapter records it: its own record (which address, which
 * job), opaque to the caller. The caller (`offer/publish.ts`) holds it, hands it to every call and
 * keeps what each gives back; it reads only the operation id, and cannot build one or look inside.
 */
export interface Followed {
  /**
   * The operation or configure job followed, started or joined; or empty. It is the
   * `operation-id` output, the deployment's, and the job whose errors explain a failure.
   */
  readonly operationId: string;
  readonly [opaque]: true;
}

/** An adapter's own record of what it follows: the operation id, and whatever else it needs. */
export interface FollowedRecord {
  readonly operationId: string;
}

/** What a write started, as far as the service's answer says. */
export interface Started<R extends FollowedRecord = Followed> {
  /** The operation (CPP) or configure job (ingestion) id; empty when the API named none. */
  operationId: string;
  /** What it is, for the log: `operation 5a63…`, `configure job b3f4…`. */
  label: string;
  /** Something the user should know about how it is followed (a warning), e.g. a refused address. */
  notice?: string;
  /**
   * The `subject`s of reads that show this write's publish. Empty: the answer did not say, so the
   * publish must first be found in the listing before any read counts as its state.
   */
  subjects: string[];
  /** What the reads follow from now on. */
  followed: R;
}

/**
 * One API's adapter. `R` is its own record of what it follows: an adapter is written with it, and
 * `sealed` gives the caller the same adapter with that record opaque (`Adapter`, `R = Followed`).
 */
export interface Adapter<R extends FollowedRecord = Followed> {
  /** What is followed, for the log: `the offer status of contoso/contoso-vm`. */
  readonly following: string;
  /** What the reads follow before any write: the operation or job `operation-id` names, if any. */
  readonly start: R;
  /**
   * Lookups before a wait that sends nothing, that only add information (CPP: the running
   * operation's id). Best-effort: a failure is logged at debug level and never ends the wait.
   */
  prepare(call: CallOptions, followed: R, debug: (message: string) => void): Promise<R>;
  /**
   * One read of where the publish stands, of what `followed` names. A 404 comes back already
   * explained (an `ApiError`). `moveOn` is told what to follow from now on as soon as the read
   * learns it, even when the read then fails (ingestion: a configure job that has succeeded gives
   * way to the submissions, and one refused because another submission runs is dropped).
   */
  read(call: CallOptions, followed: R, moveOn: (next: R) => void): Promise<Snapshot>;
  /**
   * Every publish and go-live the service lists for the offer now, whatever their state (CPP
   * `…/submissions`; ingestion: the preview and live submissions). Lists may lag a write.
   */
  publications(call: CallOptions): Promise<Publication[]>;
  /** The listing, and where the latest preview stands: the planner's facts. */
  publishState(call: CallOptions): Promise<PublishState>;
  /** What to follow to follow this publication (one that runs already, or this step's, once found). */
  follow(followed: R, publication: Publication): R;

  // Writes. Each sends one request, never retried here: whether sending again is safe is the
  // caller's decision (see `writes.ts`). Each returns what it started, and what the reads
  // follow from now on (`Started.followed`).

  /**
   * Starts a publish (CPP `POST …/publish`; ingestion: a configure request whose only resource is
   * a preview submission, which publishes the draft as it is).
   */
  startPublish(
    call: CallOptions,
    followed: R,
    options: { notificationEmails: string },
  ): Promise<Started<R>>;
  /**
   * Asks the offer to go live (CPP `POST …/golive`; ingestion: a configure request for a live
   * submission of the preview `signoff.subject` names, the read at the sign-off). Only the caller
   * knows `signoff` is the right one.
   */
  goLive(call: CallOptions, followed: R, signoff: Snapshot): Promise<Started<R>>;
  /**
   * Why a publish failed, when its reads do not say (ingestion: the errors of the configure job
   * `operationId` that started it, `GET configure/{jobId}/status`). Absent where the reads say it.
   */
  reasons?(call: CallOptions, operationId: string): Promise<Message[]>;
  /** The offer's page for people (Partner Center's overview, with the certification report), when known. */
  offerPage?(): string | undefined;
  /** What the API can change in an offer before a publish; absent where it cannot (CPP). */
  readonly changes?: OfferChanges<R>;
}

/** Changing an offer's draft (product-ingestion). */
export interface OfferChanges<R extends FollowedRecord = Followed> {
  /**
   * The draft's resources (`GET resource-tree/…?targetType=draft`); `preview`: what the latest
   * completed preview carries.
   */
  readDraft(call: CallOptions, target?: 'draft' | 'preview' | 'live'): Promise<Draft>;
  /** Sends the resources alone (one configure request); `read` then follows its job to its end. */
  configure(call: CallOptions, followed: R, resources: Resource[]): Promise<Started<R>>;
}

/**
 * The adapter as its caller sees it: its record of what it follows made opaque. Each record it is
 * given back is one it gave (the caller cannot build one), so it is always its own.
 */
export function sealed<R extends FollowedRecord>(adapter: Adapter<R>): Adapter {
  return adapter as unknown as Adapter;
}

/** Everything the action needs to know about one API, before and besides its adapter. */
export interface ApiProfile {
  name: ApiName;
  /** `Cloud Partner Portal API`, for messages. */
  title: string;
  /** The Entra resource its tokens are for. */
  resource: string;
  defaultBaseUrl: string;
  defaultVersion: string;
  /** What to do about an HTTP status, in this API's own terms. */
  guidance: Partial<Record<number, string>>;
  /** The API's own advice on how often to poll, when it gives one. */
  politeness?: { minPollIntervalMs: number; advice: string };
  /** Whether the API needs `publisher-id`. */
  needsPublisher: boolean;
  create(http: HttpClient, target: Target, base: { baseUrl: URL; version: string }): Adapter;
}
