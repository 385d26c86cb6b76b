/**
 * The action's inputs, read and validated in one place. Every problem becomes an `InputError` that
 * names the input, what it got, and the form it expects.
 */
import { API_NAMES, type ApiName } from './adapters/adapter.js';
import { API_PROFILES } from './adapters/index.js';
import { formatDuration, parseDuration } from './core/duration.js';
import {
  OFFER_STATUSES,
  STEP_STATUSES,
  normalizeOfferStatus,
  normalizeStepStatus,
} from './core/status.js';
import { WAIT_UNTIL, type FailOn, type WaitUntil } from './core/stop-rules.js';
import type { VmImageSpec } from './core/configure/types.js';
import { parseVersion, parseVmImages } from './core/configure/vm-image.js';

export { WAIT_UNTIL, type FailOn, type WaitUntil };

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
  /** The tenant the action signs in to, when given (`tenant-id`); a gallery image's tenant. */
  tenantId: string;
}

/** The change inputs, read and checked; files are read later, where I/O belongs. */
export interface ChangeInputs {
  /** Plan external ids; empty when no VM image version is asked. */
  planIds: string[];
  vmImageVersion: string;
  vmImages: VmImageSpec[];
  /** `resources`: paths or globs, one per line, as given. */
  resourcePatterns: string[];
}

export const TRACK = ['none', 'deployment'] as const;
export type Track = (typeof TRACK)[number];

export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input '${input}': ${message}`);
    this.name = 'InputError';
  }
}

export type GetInput = (name: string) => string;

/**
 * The defaults of `action.yml`, applied again here so that an input left empty means its default
 * even where no runner filled it in (local runs, tests). A test keeps the two in step.
 */
export const DEFAULTS: Readonly<Record<string, string>> = {
  'wait-until': 'review',
  // Below the 6 h limit of GitHub-hosted jobs: the summary is written before the runner stops the job.
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
  track: 'none',
  environment: 'marketplace-{offer}',
};

/** Wraps a raw input reader so that empty inputs take their default. */
export function withDefaults(getInput: GetInput): GetInput {
  return (name) => getInput(name).trim() || DEFAULTS[name] || '';
}

const MIN_POLL_INTERVAL_MS = 1_000;
const MAX_POLL_INTERVAL_MS = 86_400_000;
// No GitHub job runs longer than 5 days (self-hosted); 7 days leaves room and stays far below the
// 24.8-day limit of Node's timers, which the wait's deadline uses.
const MAX_TIMEOUT_MS = 7 * 86_400_000;

/** Secret inputs: masked before anything else is read or logged. */
export const SECRET_INPUTS = ['access-token', 'github-token'] as const;

function required(getInput: GetInput, name: string): string {
  const value = getInput(name).trim();
  if (value === '') throw new InputError(name, 'is required but empty.');
  return value;
}

/**
 * A value that becomes one path segment of an API URL. It is URL-encoded anyway; rejecting these
 * characters catches mistakes (a pasted URL, a stray space) with a message instead of a 404.
 */
export function pathSegment(name: string, value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[/?#\\\s\u0000-\u001f\u007f]/.test(value) || value.includes('..')) {
    throw new InputError(
      name,
      `'${printable(value)}' is not a valid id: it must not contain '/', '\\', '?', '#', '..', ` +
        'whitespace or control characters. Use the id alone, e.g. `contoso`, not a URL.',
    );
  }
  return value;
}

function printable(value: string): string {
  const shown = value.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

function duration(getInput: GetInput, name: string, min: number, max: number): number {
  const raw = getInput(name).trim();
  const ms = parseDuration(raw);
  if (ms === undefined) {
    throw new InputError(
      name,
      `'${printable(raw)}' is not a duration. Use e.g. 45s, 30m, 2h, 1h30m, or a number of seconds.`,
    );
  }
  if (ms < min || ms > max) {
    throw new InputError(
      name,
      `'${raw}' is out of range: use at least ${formatDuration(min)} and at most ${formatDuration(max)}.`,
    );
  }
  return ms;
}

function oneOf<T extends string>(getInput: GetInput, name: string, values: readonly T[]): T {
  const raw = getInput(name).trim();
  const found = values.find((v) => v === raw.toLowerCase());
  if (!found) {
    throw new InputError(name, `'${printable(raw)}' is not one of: ${values.join(', ')}.`);
  }
  return found;
}

function count(getInput: GetInput, name: string, min: number, max: number): number {
  const raw = getInput(name).trim();
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    throw new InputError(name, `'${printable(raw)}' is not a whole number from ${min} to ${max}.`);
  }
  return n;
}

function boolean(getInput: GetInput, name: string): boolean {
  const raw = getInput(name).trim().toLowerCase();
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InputError(name, `'${printable(raw)}' is not a boolean: use true or false.`);
}

export function parseFailOn(raw: string): FailOn {
  const entries = raw
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const offer = new Set<string>();
  const step = new Set<string>();
  for (const entry of entries) {
    const asOffer = normalizeOfferStatus(entry);
    const asStep = normalizeStepStatus(entry);
    if (!asOffer.known && !asStep.known) {
      throw new InputError(
        'fail-on',
        `'${printable(entry)}' is not a status. Offer statuses: ${OFFER_STATUSES.join(', ')}; ` +
          `step statuses: ${STEP_STATUSES.join(', ')} (any case).`,
      );
    }
    if (asOffer.known) offer.add(asOffer.value);
    if (asStep.known) step.add(asStep.value);
  }
  return { entries, offer, step };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError(
      'base-url',
      `'${printable(raw)}' is not a URL. Use e.g. https://cloudpartner.azure.com.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      'base-url',
      'must be a plain https URL without credentials, query or fragment.',
    );
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new InputError(
      'base-url',
      `'${url.origin}' must use https (plain http is allowed only for loopback addresses, for testing).`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

const API_ALIASES = new Map<string, ApiName>([
  ['cpp', 'cloud-partner-portal'],
  ['ingestion', 'product-ingestion'],
]);

/**
 * The API an `api` input names. `auto` (also empty) picks by `publisher-id`: the Cloud Partner
 * Portal API needs one, product-ingestion does not.
 */
export function parseApi(raw: string, publisherId = ''): ApiName {
  return chooseApi(raw, publisherId).api;
}

/** The API, and why it was chosen, for the log. */
export function chooseApi(raw: string, publisherId: string): { api: ApiName; reason: string } {
  const key = raw.trim().toLowerCase() || 'auto';
  if (key === 'auto') {
    return publisherId.trim()
      ? { api: 'cloud-partner-portal', reason: 'api: auto, publisher-id given' }
      : { api: 'product-ingestion', reason: 'api: auto, no publisher-id given' };
  }
  const api = API_NAMES.find((name) => name === key) ?? API_ALIASES.get(key);
  if (!api) {
    throw new InputError(
      'api',
      `'${printable(raw)}' is not an API. Use auto (the default: cloud-partner-portal when ` +
        'publisher-id is given, else product-ingestion), cloud-partner-portal (alias cpp) or ' +
        'product-ingestion (alias ingestion).',
    );
  }
  return { api, reason: `api: ${key}` };
}

export function readSettings(rawInput: GetInput): Settings {
  const getInput = withDefaults(rawInput);
  const { api, reason: apiReason } = chooseApi(getInput('api'), getInput('publisher-id'));
  const profile = API_PROFILES[api];
  const apiVersion = getInput('api-version').trim() || profile.defaultVersion;
  if (!/^[0-9A-Za-z.-]+$/.test(apiVersion)) {
    throw new InputError(
      'api-version',
      `'${printable(apiVersion)}' is not an API version, e.g. ${profile.defaultVersion}.`,
    );
  }
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
  const change = readChange(getInput, api, offerIds.length, operationId, apiReason);
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
    timeoutMs: duration(getInput, 'timeout', 1_000, MAX_TIMEOUT_MS),
    pollIntervalMs: duration(getInput, 'poll-interval', MIN_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS),
    failOn: parseFailOn(getInput('fail-on')),
    failOnTimeout: boolean(getInput, 'fail-on-timeout'),
    maxFailedReads: count(getInput, 'max-failed-reads', 1, 1000),
    requestTimeoutMs: duration(getInput, 'request-timeout', 1_000, 600_000),
    baseUrl: parseBaseUrl(getInput('base-url').trim() || profile.defaultBaseUrl),
    apiVersion,
    publish,
    goLive: boolean(getInput, 'go-live'),
    notificationEmails: parseEmails(getInput('notification-emails')),
    track: oneOf(getInput, 'track', TRACK),
    environment: parseEnvironment(getInput('environment')),
    githubToken: getInput('github-token').trim(),
    change,
    dryRun: boolean(getInput, 'dry-run'),
    tenantId: getInput('tenant-id').trim(),
  };
}

/** The inputs that change the offer before its publish. */
export const CHANGE_INPUTS = ['plan-id', 'vm-image-version', 'vm-image', 'resources'] as const;

/** The change asked for, or none; every rule about these inputs, before any request. */
function readChange(
  getInput: GetInput,
  api: ApiName,
  offers: number,
  operationId: string,
  apiReason = '',
): ChangeInputs | undefined {
  const given = CHANGE_INPUTS.filter((name) => getInput(name).trim() !== '');
  const [first] = given;
  if (!first) return undefined;
  if (api !== 'product-ingestion') {
    const why = apiReason.startsWith('api: auto')
      ? 'api: auto chose the Cloud Partner Portal API because publisher-id is given, and it ' +
        'cannot. Set api: product-ingestion, or leave publisher-id empty'
      : 'set api: product-ingestion (the Cloud Partner Portal API cannot)';
    throw new InputError(
      first,
      `changes the offer through the product-ingestion API only: ${why}; or leave ${first} empty.`,
    );
  }
  if (offers > 1) {
    throw new InputError(
      first,
      `changes one offer, but offer-id names ${offers}: give one offer-id.`,
    );
  }
  if (operationId) {
    throw new InputError(
      'operation-id',
      `is set together with ${first}, which starts a configure job of its own. Set one of them.`,
    );
  }
  const vm = (['plan-id', 'vm-image-version', 'vm-image'] as const).filter((n) =>
    given.includes(n),
  );
  if (vm.length > 0 && vm.length < 3) {
    const missing = (['plan-id', 'vm-image-version', 'vm-image'] as const).find(
      (n) => !vm.includes(n),
    )!;
    throw new InputError(
      missing,
      `is required with ${vm.join(' and ')}: a new VM image version needs the plans, the version ` +
        'and its images.',
    );
  }
  let vmImageVersion = '';
  let vmImages: VmImageSpec[] = [];
  if (vm.length === 3) {
    const version = parseVersion(getInput('vm-image-version').trim());
    if (typeof version !== 'string') throw new InputError('vm-image-version', version.error);
    vmImageVersion = version;
    const images = parseVmImages(getInput('vm-image'));
    if ('error' in images) throw new InputError('vm-image', images.error);
    vmImages = images.images;
  }
  const planIds = listOf(getInput('plan-id')).map((id) => pathSegment('plan-id', id));
  const repeated = planIds.find((id, i) => planIds.indexOf(id) !== i);
  if (repeated) {
    throw new InputError(
      'plan-id',
      `'${printable(repeated)}' is listed twice. List each plan once.`,
    );
  }
  return {
    planIds,
    vmImageVersion,
    vmImages,
    resourcePatterns: getInput('resources')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  };
}

/** Comma- or newline-separated values, trimmed, empty ones dropped. */
function listOf(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Offers one step follows at most. They share one client with a few requests in flight: 256 offers
 * polled every minute are already about 4 reads a second to one service, and one log and one 1 MiB
 * summary for all of them; past that, several steps or jobs serve the offers better.
 */
export const MAX_OFFERS = 256;

/** Offer ids, comma- or newline-separated, in the order given; a repeated id is a mistake. */
export function parseOfferIds(raw: string): string[] {
  const listed = raw
    .split(/[,\n]/)
    .map((id) => id.trim())
    .filter(Boolean);
  if (listed.length === 0) throw new InputError('offer-id', 'is required but empty.');
  // Counted first: the checks below then run on a bounded list.
  if (listed.length > MAX_OFFERS) {
    throw new InputError(
      'offer-id',
      `names ${listed.length} offers, but one step follows at most ${MAX_OFFERS}. Split the ` +
        `offers over several steps or jobs (e.g. a matrix), at most ${MAX_OFFERS} in each.`,
    );
  }
  const ids = listed.map((id) => pathSegment('offer-id', id));
  const once = new Set<string>();
  const repeated = ids.find((id) => once.size === once.add(id).size);
  if (repeated) {
    throw new InputError(
      'offer-id',
      `'${printable(repeated)}' is listed twice. List each offer once.`,
    );
  }
  return ids;
}

/** A deployment environment's name (template): GitHub's limits, checked before any request. */
function parseEnvironment(raw: string): string {
  const name = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new InputError(
      'environment',
      `'${printable(name)}' is not an environment name: at most 200 printable characters, e.g. marketplace-{offer}.`,
    );
  }
  return name;
}

/** Comma-separated addresses, sent as one comma-separated string as the API documents. */
export function parseEmails(raw: string): string {
  const emails = raw
    .split(/[,;\n]/)
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = emails.find((e) => !/^[^@\s]+@[^@\s]+$/.test(e));
  if (bad) {
    throw new InputError(
      'notification-emails',
      `'${printable(bad)}' is not an email address. Use comma-separated addresses, e.g. release@contoso.com, ops@contoso.com.`,
    );
  }
  return emails.join(',');
}
