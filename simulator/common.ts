/**
 * What callers of both simulated APIs see: the `Simulator` they get back, the write faults and read
 * interceptions they can ask for, and the small HTTP helpers the fake GitHub shares. The model
 * itself lives in `service/`; each API's routes and answer shapes in its own server module.
 */
import type { WriteRefused, WriteStarted } from './service/core.js';
import type { Clock } from './service/clock.js';
import type { Intercept, SeenRequest } from './service/http.js';
import type { WriteFault } from './service/faults.js';
import type { Resource } from './ingestion/resources.js';

export type { WriteFault, FaultWords } from './service/faults.js';
export type { SeenRequest, Intercept } from './service/http.js';
export type { WriteStarted } from './service/core.js';
export type { Clock } from './service/clock.js';
export type { Resource } from './ingestion/resources.js';
export { json, readBody, serveFrame } from './service/http.js';

/** The options both simulated APIs take for the model, faults and server. */
export interface ModelOptions {
  port?: number;
  /** Each answer waits this long first (real time), as a distant service's would. */
  latencyMs?: number;
  /**
   * Milliseconds since the simulator started (default: real time). Lag, `by-time` scenarios, every
   * timestamp answered (`2026-11-02T09:00:00Z` plus the clock) and each request's `at` use it.
   */
  clock?: Clock;
  /**
   * How long after a write is accepted its new operation or submission shows in the service's
   * lagged views (CPP: the submissions list and the offer status; ingestion: the product's
   * submissions). The address the service handed out and configure job status are not lagged.
   */
  lagMs?: number;
  /** What becomes of each publish this simulator accepts: the sign-off (default) or a failed certification. */
  publishOutcome?: 'review' | 'fails';
  /** How the writes are answered, one fault per attempt when a list (then `accept`). */
  publish?: WriteFault | WriteFault[];
  goLive?: WriteFault | WriteFault[];
  /**
   * Called for every request before routing (`n`: its index in `requests`); a frame it returns is
   * served instead, and the model neither sees the request nor counts it as a status read.
   */
  intercept?: Intercept;
}

export interface Simulator {
  /** `cloud-partner-portal` or `product-ingestion`: the `api` input that talks to it. */
  api: string;
  url: string;
  publisherId: string;
  /** The offer id, or several comma-separated: what the `offer-id` input takes. */
  offerId: string;
  /** The operation (CPP) or configure job (ingestion) id it knows. */
  operationId: string;
  token: string;
  /** `performance.now()` when the simulator started: the origin of the default clock. */
  startedAt: number;
  requests: SeenRequest[];
  /** How many times a publish's status (offer status, operation, submissions, job) was read. */
  statusReads(): number;
  /** How many TCP connections clients opened. */
  connections(): number;
  /** The most requests it was answering at once. */
  peakInFlight(): number;
  /** The publishes and go-lives the service accepted and started, in order. */
  writesStarted(): WriteStarted[];
  /** The writes it refused from its real state (a publish while one runs, a wrong go-live). */
  writesRefused(): WriteRefused[];
  /**
   * Product ingestion: the first product's draft resources now (in the draft's own order), as this
   * run's configure requests changed them. The Cloud Partner Portal simulator has none.
   */
  draft?(): Resource[];
  close(): Promise<void>;
}
