/**
 * A real HTTP server that plays the Cloud Partner Portal API on loopback: the routes and answer
 * shapes of that API over the model in `cpp/`. The checks every request passes, the faults and the
 * server are the core's (`service/`); this module adds its words. `startSimulator` starts the
 * simulator of whichever API the options name: tests, the demo and the benchmark all run the
 * bundled action against it.
 */
import { Offer, type WriteResult } from './cpp/offer.js';
import type { Operation } from './cpp/operation.js';
import { startIngestionSimulator, type IngestionSimulatorOptions } from './ingestion-server.js';
import { fixtures, scenarios, type Scenario } from './scenarios.js';
import { ServiceCore } from './service/core.js';
import { notFound, type Dialect } from './service/dialect.js';
import { answerWrite } from './service/faults.js';
import { error, json, serveFrame, type Exchange } from './service/http.js';
import {
  offersOf,
  startService,
  writeSettings,
  type OfferOptions,
  type Simulator,
} from './service/simulator.js';

export type { SeenRequest } from './service/http.js';
export type { Simulator } from './service/simulator.js';

export interface SimulatorOptions extends OfferOptions<Scenario> {
  api?: 'cloud-partner-portal';
  publisherId?: string;
  /** The id of the scenario's (pre-existing) operation. */
  operationId?: string;
  apiVersion?: string;
  /** Answer the operations list (`…/submissions`) with a 500, to prove its use is best-effort. */
  brokenSubmissions?: boolean;
  /**
   * Where a 202 puts the operation's address: `location` (a relative path, migrated offers),
   * `operation-location` (older docs), `non-migrated` (`/api/operations/{p}${o}$2$preview`),
   * `foreign` (another origin), `none`.
   */
  addressing?: 'location' | 'operation-location' | 'non-migrated' | 'foreign' | 'none';
}

/** The CPP API's error codes. */
const CPP: Dialect = {
  api: 'cloud-partner-portal',
  methodNotAllowed: 'MethodNotAllowed',
  unauthorized: 'Unauthorized',
  notFound: 'NotFound',
  version: {
    param: 'api-version',
    code: 'InvalidAPIVersion',
    refusal: (asked) => `The api-version '${asked}' is invalid.`,
  },
  internal: 'InternalError',
  unavailable: 'ServiceUnavailable',
  tooMany: 'TooManyRequests',
  conflict: { code: 'Conflict', message: 'An operation is already in progress for this offer.' },
  validation: 'ValidationFailed',
  badRequest: { code: 'BadRequest', message: 'The request is not valid for this offer.' },
};

/** The ids of the first publish and the first go-live the simulator accepts (later ones: fresh GUIDs). */
export const STARTED_OPERATIONS = {
  publish: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  goLive: '9b2f3c1d-3e4f-4a5b-8c6d-7e8f9a0b1c2d',
};

export const SIMULATOR_DEFAULTS = {
  publisherId: 'contoso',
  offerId: 'contoso-vm',
  operationId: fixtures.submissions()[0]!.id,
  token: 'sim-token-5f8c2a',
  apiVersion: '2017-10-31',
};

/** A simulator of the API the options name (CPP unless `api` says `product-ingestion`). */
export function startSimulator(
  options: SimulatorOptions | IngestionSimulatorOptions,
): Promise<Simulator> {
  return 'api' in options && options.api === 'product-ingestion'
    ? startIngestionSimulator(options)
    : startCppSimulator(options as SimulatorOptions);
}

/** The notification emails a publish body carries (`metadata.notification-emails`). */
function emailsOf(body: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(body ?? '') as { metadata?: Record<string, unknown> };
    const emails = parsed.metadata?.['notification-emails'];
    return typeof emails === 'string' ? emails : undefined;
  } catch {
    return undefined;
  }
}

async function startCppSimulator(options: SimulatorOptions): Promise<Simulator> {
  const core = new ServiceCore(options);
  const publisherId = options.publisherId ?? SIMULATOR_DEFAULTS.publisherId;
  const { offerIds, scenarioOf } = offersOf(options, {
    scenarios,
    defaultOfferId: SIMULATOR_DEFAULTS.offerId,
    kind: 'scenario',
  });
  const token = options.token ?? SIMULATOR_DEFAULTS.token;
  const apiVersion = options.apiVersion ?? SIMULATOR_DEFAULTS.apiVersion;
  const operationId =
    options.operationId ?? scenarioOf(offerIds[0]!).operationId ?? SIMULATOR_DEFAULTS.operationId;

  const offers = new Map(
    offerIds.map((offerId) => {
      const scenario = scenarioOf(offerId);
      const settings = {
        publisherId,
        offerId,
        operationId: options.operationId ?? scenario.operationId ?? SIMULATOR_DEFAULTS.operationId,
        ...writeSettings(options),
      };
      return [offerId, new Offer(core, settings, scenario, STARTED_OPERATIONS)] as const;
    }),
  );
  const nonMigrated = (offerId: string) => `${publisherId}$${offerId}$2$preview`;
  const byNonMigrated = new Map(offerIds.map((id) => [nonMigrated(id), offers.get(id)!]));

  /** The headers of a 202: where the started operation can be read. */
  const address = (offerId: string, op: Operation): Record<string, string> => {
    const path =
      options.addressing === 'non-migrated'
        ? `/api/operations/${encodeURIComponent(nonMigrated(offerId))}`
        : `/api/publishers/${publisherId}/offers/${offerId}/operations/${op.id}`;
    const relative = `${path}?api-version=${apiVersion}`;
    switch (options.addressing) {
      case 'none':
        return {};
      case 'foreign':
        return { location: `https://cloudpartner.example.invalid${relative}` };
      case 'operation-location':
        return { 'operation-location': relative };
      default:
        return { location: relative };
    }
  };

  /** A publish or go-live: its fault for this attempt, then the model's decision. */
  function write(x: Exchange, offer: Offer, kind: 'publish' | 'goLive'): void {
    const { res } = x;
    answerWrite(
      x.req,
      res,
      offer.faults[kind].next(),
      () => {
        const result: WriteResult =
          kind === 'publish' ? offer.publish(emailsOf(x.seen.body)) : offer.goLive();
        if ('refused' in result) {
          const { status, code, message } = result.refused;
          return { started: false, answer: () => error(res, status, code, message) };
        }
        return {
          started: true,
          answer: () => {
            res.writeHead(202, address(offer.settings.offerId, result.started));
            res.end();
          },
        };
      },
      CPP,
    );
  }

  function route(x: Exchange): void {
    const { req, res, url, parts } = x;
    // Operations of offers not migrated: `/api/operations/{p}${o}$2$preview`.
    if (
      req.method === 'GET' &&
      parts.length === 3 &&
      parts[0] === 'api' &&
      parts[1] === 'operations'
    ) {
      const offer = byNonMigrated.get(parts[2]!);
      const op = offer?.latest();
      if (!offer || !op) return notFound(res, CPP, `Operation '${parts[2]}'`);
      return serveFrame(offer.readOperation(op), req, res);
    }
    if (parts[0] !== 'api' || parts[1] !== 'publishers' || parts[3] !== 'offers')
      return notFound(res, CPP, 'The resource');
    if (parts[2] !== publisherId) return notFound(res, CPP, `Publisher '${parts[2]}'`);
    if (parts.length === 4 && req.method === 'GET') {
      return json(res, 200, [
        ...offerIds.map((id) => ({
          offerTypeId: 'microsoft-azure-virtualmachines',
          publisherId,
          status: 'published',
          id,
          version: 3,
          definition: { displayText: id === 'contoso-vm' ? 'Contoso VM' : id },
          changedTime: offers.get(id)!.changedTime(),
        })),
        ...fixtures.offers(),
      ]);
    }
    const offer = offers.get(parts[4]!);
    if (!offer) return notFound(res, CPP, `Offer '${parts[4]}'`);
    const action = parts.length === 6 ? parts[5] : undefined;
    if (req.method === 'POST') {
      if (action === 'publish') return write(x, offer, 'publish');
      if (action === 'golive') return write(x, offer, 'goLive');
      if (action === 'cancel') {
        const result = offer.cancel();
        if ('refused' in result) {
          const { status, code, message } = result.refused;
          return error(res, status, code, message);
        }
        return json(res, 200, { status: 'canceled' });
      }
      return notFound(res, CPP, 'The resource');
    }
    if (action === 'status') return serveFrame(offer.readStatus(), req, res);
    if (parts.length === 7 && parts[5] === 'operations') {
      const op = offer.find(parts[6]!);
      if (!op) return notFound(res, CPP, `Operation '${parts[6]}'`);
      return serveFrame(offer.readOperation(op), req, res);
    }
    if (action === 'submissions') {
      if (options.brokenSubmissions) return error(res, 500, 'InternalError', 'Try later.');
      // The docs filter with `status=`; one client sends `submissionState=`: both are honoured.
      const state =
        url.searchParams.get('status') ?? url.searchParams.get('submissionState') ?? undefined;
      return json(res, 200, offer.submissions(state || undefined));
    }
    return notFound(res, CPP, 'The resource');
  }

  return startService(core, options, {
    dialect: CPP,
    publisherId,
    offerIds,
    operationId,
    token,
    version: apiVersion,
    route,
  });
}
