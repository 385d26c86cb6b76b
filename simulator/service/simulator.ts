/**
 * One simulated service, whatever the API: the options every simulator takes, the `Simulator` a
 * caller gets back, and `startService`, which puts an API's routes behind the checks every API makes
 * and on a loopback server. An API module builds its model on a `ServiceCore` and adds only its
 * routes and answer shapes (`../server.ts`, `../ingestion-server.ts`).
 */
import type { Clock } from './clock.js';
import type { ServiceCore, WriteRefused, WriteStarted } from './core.js';
import { admitted, type Access, type Dialect } from './dialect.js';
import type { WriteFault, WriteSettings } from './faults.js';
import { startHttp, type Exchange, type Intercept, type SeenRequest } from './http.js';

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
  /** What becomes of each publish it accepts: the sign-off (default) or a failed certification. */
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

/** The options of a simulator's offers (CPP) or products (ingestion), `S` its API's scenarios. */
export interface OfferOptions<S extends object> extends ModelOptions {
  /** The state before this run: a scenario's name, or a scenario. */
  scenario: S | string;
  /** The offer id users know (ingestion: the product's external id). */
  offerId?: string;
  /** Several offers, each with its own copy of `scenario` (or the one `scenarioFor` names). */
  offerIds?: string[];
  scenarioFor?: Record<string, S | string>;
  /** The bearer token the simulator accepts. */
  token?: string;
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
  close(): Promise<void>;
}

/** The offers a run holds (`offerIds`, else `offerId`, else the API's default) and their scenarios. */
export function offersOf<S extends object>(
  options: OfferOptions<S>,
  api: {
    scenarios: Record<string, S>;
    defaultOfferId: string;
    /** How an unknown scenario name is called in the error (`scenario`, `ingestion scenario`). */
    kind: string;
  },
): { offerIds: string[]; scenarioOf(offerId: string): S } {
  const resolve = (s: S | string): S => {
    const found = typeof s === 'string' ? api.scenarios[s] : s;
    if (!found) throw new Error(`Unknown ${api.kind} '${String(s)}'.`);
    return found;
  };
  return {
    offerIds: options.offerIds ?? [options.offerId ?? api.defaultOfferId],
    scenarioOf: (offerId) => resolve(options.scenarioFor?.[offerId] ?? options.scenario),
  };
}

/** Every offer's write settings, from the run's options. */
export function writeSettings(options: ModelOptions): WriteSettings {
  return {
    publishOutcome: options.publishOutcome ?? 'review',
    publish: options.publish,
    goLive: options.goLive,
  };
}

/** What an API hands the core: its words, who the service is, and its routes. */
export interface ServiceApi extends Access {
  dialect: Dialect;
  publisherId: string;
  offerIds: string[];
  /** The operation (CPP) or configure job (ingestion) it knows. */
  operationId: string;
  /** Answers a request that passed the checks every API makes (`admitted`). */
  route(x: Exchange): void;
}

/** Serves `api` over its model (`core`) on loopback, and hands back the `Simulator`. */
export async function startService(
  core: ServiceCore,
  options: ModelOptions,
  api: ServiceApi,
): Promise<Simulator> {
  const http = await startHttp({ ...options, clock: core.clock }, (x) => {
    if (admitted(x, api.dialect, api)) api.route(x);
  });
  return {
    api: api.dialect.api,
    url: http.url,
    publisherId: api.publisherId,
    offerId: api.offerIds.join(','),
    operationId: api.operationId,
    token: api.token,
    startedAt: core.startedAt,
    requests: http.requests,
    statusReads: () => core.statusReads(),
    connections: http.connections,
    peakInFlight: http.peakInFlight,
    writesStarted: () => core.writesStarted(),
    writesRefused: () => core.writesRefused(),
    close: http.close,
  };
}
