/**
 * The one seam between the action and a publishing API. An adapter follows one offer's publish on
 * one API: it reads where the publish stands and returns the core's `Snapshot`. The wait, the stop
 * rules, the log, the summary and the outputs never learn which API answered.
 */
import type { Snapshot } from '../core/model.js';
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

/** A publish or go-live that was started, or found running. */
export interface Started {
  /** The operation (CPP) or configure job (ingestion) id; empty when the API named none. */
  operationId: string;
  /** What it is, for the log: `operation 5a63…`, `configure job b3f4…`, `submission …/1152…`. */
  label: string;
  /** Something the user should know about how it is followed (a warning), e.g. a refused address. */
  notice?: string;
}

export interface Adapter {
  /** What is followed, for the log: `the offer status of contoso/contoso-vm`. */
  readonly following: string;
  /** The operation (CPP) or configure job (ingestion) followed, when known; else empty. */
  operationId(): string;
  /**
   * Lookups before the wait that only add information (the running operation's id). Best-effort:
   * a failure is logged at debug level and never ends the wait.
   */
  prepare(call: CallOptions, debug: (message: string) => void): Promise<void>;
  /** One read of where the publish stands. A 404 comes back already explained (an `ApiError`). */
  read(call: CallOptions): Promise<Snapshot>;

  // Writes. Each sends one request, never retried here: whether sending again is safe is the
  // caller's decision (see `writes.ts`). After a write, `read` follows what it started.

  /**
   * A publish of the offer that runs now (CPP: `…/submissions?status=running`; ingestion: a
   * preview or live submission whose status is not `completed`), or `undefined` when none does.
   */
  runningPublish(call: CallOptions): Promise<Started | undefined>;
  /** Follow a publish that runs already, instead of starting one. */
  join(running: Started): void;
  /** Starts a publish (CPP `POST …/publish`; ingestion: a configure request for a preview). */
  startPublish(call: CallOptions, options: { notificationEmails: string }): Promise<Started>;
  /**
   * Asks the offer to go live (CPP `POST …/golive`; ingestion: a configure request for a live
   * submission of the preview). Only the caller knows the offer waits for the sign-off.
   */
  goLive(call: CallOptions): Promise<Started>;
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
