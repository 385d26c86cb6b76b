/**
 * The action's inputs, read and validated in one place, sign-in included: `readSettings` and
 * `readAuthSettings` give the step what it needs, or an `InputError` that names the input, what it
 * got, and the form it expects. Each kind of input has its module in `inputs/`; this one says what
 * is read, in which order, and what an empty input means.
 */
import { API_PROFILES } from '../adapters/index.js';
import type { ApiName } from '../adapters/adapter.js';
import type { AuthSettings } from '../auth/settings.js';
import { WAIT_UNTIL, type FailOn, type WaitUntil } from '../core/end.js';
import { apiVersion, chooseApi, parseBaseUrl } from './api.js';
import { readAuth } from './auth.js';
import { readChange, type ChangeInputs } from './change.js';
import { readExport, type ExportSettings } from './export.js';
import { parseFailOn } from './fail-on.js';
import {
  boolean,
  count,
  duration,
  emails,
  environmentName,
  oneOf,
  pathSegment,
  required,
  type GetInput,
} from './fields.js';
import { parseOfferIds } from './offers.js';
import { readPreviewId } from './preview-id.js';
import { readTimeout, type RunnerEnv } from './timeout.js';
import { InputError } from './errors.js';

export { InputError } from './errors.js';
export { chooseApi, parseApi, parseBaseUrl } from './api.js';
export { MAX_OFFERS, parseOfferIds } from './offers.js';
export { parseFailOn } from './fail-on.js';
export type { ChangeInputs } from './change.js';
export type { RunnerEnv } from './timeout.js';
export type { WaitUntil };

export interface Settings {
  api: ApiName;
  /** Why `api` is this API, for the log's first line: `api: auto, no publisher-id given`. */
  apiReason: string;
  /** Empty where the API does not use it (product-ingestion). */
  publisherId: string;
  /** One or more, in the order given. */
  offerIds: string[];
  /** Empty: follow the offer's status instead of one operation. */
  operationId: string;
  waitUntil: WaitUntil;
  timeoutMs: number;
  pollIntervalMs: number;
  failOn: FailOn;
  failOnTimeout: boolean;
  maxFailedReads: number;
  requestTimeoutMs: number;
  /** The API's root; its own when the input is empty. */
  baseUrl: URL;
  /** CPP `api-version`, ingestion `$version`; the API's own when the input is empty. */
  apiVersion: string;
  /** Start a publish first (or join the one that runs). */
  publish: boolean;
  /** Ask the offer to go live once it waits for the publisher sign-off. */
  goLive: boolean;
  /**
   * With `goLive`: the only preview the go-live may send (product-ingestion: the preview
   * submission's id; CPP: the publish operation's id). '' when none is pinned.
   */
  previewId: string;
  /** CPP publish only: `metadata.notification-emails`. */
  notificationEmails: string;
  /** `deployment`: read and record each offer's state as a GitHub deployment. */
  track: Track;
  /** The environment name template: `{offer}` and `{publisher}` are replaced. */
  environment: string;
  githubToken: string;
  /** product-ingestion: what to put into the offer before the publish; none when not asked. */
  change: ChangeInputs | undefined;
  /** Read, plan and report; send nothing. */
  dryRun: boolean;
  /** `export`: write the offer's resources to files under `folder` (empty: no export), send nothing. */
  export: ExportSettings;
  /** `comment`: on a pull request, post the plan as one comment, updated in place. */
  comment: boolean;
  /** `fail-on-drift`: an offer whose draft differs from the `resources` files fails the step. */
  failOnDrift: boolean;
}

const TRACK = ['none', 'deployment'] as const;
type Track = (typeof TRACK)[number];

/**
 * The defaults of `action.yml`, applied again here so that an input left empty means its default
 * even where no runner filled it in (local runs, tests). A test keeps the two in step.
 */
export const DEFAULTS: Readonly<Record<string, string>> = {
  'wait-until': 'review',
  // The most a GitHub-hosted job allows (timeout.ts): the summary is written before the runner
  // stops the job at 6 h.
  timeout: '5h50m',
  'poll-interval': '60s',
  'fail-on': 'neverPublished, failed, canceled, blocked, rejected',
  'fail-on-timeout': 'true',
  'max-failed-reads': '5',
  'request-timeout': '30s',
  api: 'auto',
  publish: 'false',
  'go-live': 'false',
  'dry-run': 'false',
  'export-target': 'draft',
  comment: 'false',
  'fail-on-drift': 'false',
  track: 'none',
  environment: 'marketplace-{offer}',
  'auth-type': 'auto',
  'authority-host': 'https://login.microsoftonline.com',
};

/**
 * Secret inputs: masked before anything else is read or logged. No `InputError` quotes them: they
 * are taken as given, never checked.
 */
export const SECRET_INPUTS = ['access-token', 'github-token', 'client-secret'] as const;

const MIN_POLL_INTERVAL_MS = 1_000;
const MAX_POLL_INTERVAL_MS = 86_400_000;

/** Reads each input as `DEFAULTS` says when it is empty. */
function withDefaults(rawInput: GetInput): GetInput {
  return (name) => rawInput(name).trim() || DEFAULTS[name] || '';
}

/**
 * Every input but the sign-in ones, checked before any request. When several are wrong, the first
 * in this order is reported: the API, the offers and what to do with them, the change, then the
 * others as listed. `env` is the runner's environment: which limits apply (none set: self-hosted).
 */
export function readSettings(rawInput: GetInput, env: RunnerEnv = {}): Settings {
  const getInput = withDefaults(rawInput);
  const { api, reason: apiReason } = chooseApi(getInput('api'), getInput('publisher-id'));
  const profile = API_PROFILES[api];
  const version = apiVersion(getInput('api-version'), profile.defaultVersion);
  const operationId = getInput('operation-id').trim();
  const publisherId = getInput('publisher-id').trim();
  const offerIds = parseOfferIds(required(getInput, 'offer-id'));
  if (offerIds.length > 1 && operationId) {
    throw new InputError(
      'operation-id',
      `is for a single offer, but offer-id names ${offerIds.length}. Leave operation-id empty to ` +
        "follow each offer's publish, or give one offer-id.",
    );
  }
  const publish = boolean(getInput, 'publish');
  if (publish && operationId) {
    throw new InputError(
      'operation-id',
      'is set together with publish: true. publish starts a new publish (or joins the running ' +
        'one); operation-id follows one that exists. Set one of them.',
    );
  }
  const goLive = boolean(getInput, 'go-live');
  const previewId = readPreviewId(getInput('preview-id').trim(), {
    goLive,
    publish,
    offers: offerIds.length,
  });
  const exported = readExport(getInput, api);
  const change = readChange(getInput, api, offerIds.length, operationId, apiReason);
  const failOnDrift = boolean(getInput, 'fail-on-drift');
  if (failOnDrift && !change?.resourcePatterns.length) {
    throw new InputError(
      'fail-on-drift',
      'needs resources: drift is how the offer differs from the files resources names.',
    );
  }
  if (profile.needsPublisher && !publisherId) {
    throw new InputError('publisher-id', `is required for api ${api} but empty.`);
  }
  return {
    api,
    apiReason,
    publisherId: publisherId && pathSegment('publisher-id', publisherId),
    offerIds,
    operationId: operationId && pathSegment('operation-id', operationId),
    waitUntil: oneOf(getInput, 'wait-until', WAIT_UNTIL),
    timeoutMs: readTimeout(getInput, env),
    pollIntervalMs: duration(getInput, 'poll-interval', MIN_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS),
    failOn: parseFailOn(getInput('fail-on')),
    failOnTimeout: boolean(getInput, 'fail-on-timeout'),
    maxFailedReads: count(getInput, 'max-failed-reads', 1, 1000),
    requestTimeoutMs: duration(getInput, 'request-timeout', 1_000, 600_000),
    baseUrl: parseBaseUrl(getInput('base-url').trim() || profile.defaultBaseUrl),
    apiVersion: version,
    publish,
    goLive,
    previewId,
    notificationEmails: emails(getInput('notification-emails')),
    track: oneOf(getInput, 'track', TRACK),
    environment: environmentName(getInput('environment')),
    githubToken: getInput('github-token').trim(),
    change,
    dryRun: boolean(getInput, 'dry-run'),
    export: exported,
    comment: boolean(getInput, 'comment'),
    failOnDrift,
  };
}

/**
 * The sign-in inputs. Read when the step signs in, after the `API:` line and the resource files,
 * so a step with a wrong one logs and reports what it always did.
 */
export function readAuthSettings(rawInput: GetInput): AuthSettings {
  return readAuth(withDefaults(rawInput));
}
