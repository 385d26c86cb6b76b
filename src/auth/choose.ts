/**
 * Which way to authenticate, from the inputs alone (no I/O): what `auto` picks, what each way needs,
 * and the words for when nothing is set up.
 */
import { docsUrl } from '../core/docs.js';
import type { AuthSettings, Way } from './settings.js';

export interface Choice {
  way: Way;
  /** Why this way, for the log: `auth-type auto: tenant-id and client-id are set, no client-secret`. */
  reason: string;
  /** `auto` fell through to the Azure CLI because no other way was set up. */
  fallback: boolean;
}

type Given = Pick<
  AuthSettings,
  'authType' | 'accessToken' | 'tenantId' | 'clientId' | 'clientSecret'
>;

/**
 * `auto` picks, in order: `access-token` if given; `client-secret` if a secret is given (it then
 * needs tenant-id and client-id too); `oidc` if tenant-id and client-id are given without a secret;
 * otherwise the Azure CLI session.
 */
export function chooseWay(given: Given): Choice {
  if (given.authType !== 'auto') {
    return { way: given.authType, reason: `auth-type ${given.authType}`, fallback: false };
  }
  if (given.accessToken) {
    return { way: 'access-token', reason: 'auth-type auto: access-token is set', fallback: false };
  }
  if (given.clientSecret) {
    // A secret without its tenant or client is a mistake to report, not a reason to quietly use
    // whatever Azure CLI session the runner happens to have.
    return {
      way: 'client-secret',
      reason: 'auth-type auto: client-secret is set',
      fallback: false,
    };
  }
  if (given.tenantId && given.clientId) {
    return {
      way: 'oidc',
      reason: 'auth-type auto: tenant-id and client-id are set without client-secret',
      fallback: false,
    };
  }
  return {
    way: 'azure-cli',
    reason: 'auth-type auto: no access-token, and tenant-id and client-id are not both set',
    fallback: true,
  };
}

const NEEDS: Record<Way, readonly (keyof Given)[]> = {
  'access-token': ['accessToken'],
  'client-secret': ['tenantId', 'clientId', 'clientSecret'],
  oidc: ['tenantId', 'clientId'],
  'azure-cli': [],
  'managed-identity': [],
};

const INPUT_NAME: Partial<Record<keyof Given, string>> = {
  accessToken: 'access-token',
  tenantId: 'tenant-id',
  clientId: 'client-id',
  clientSecret: 'client-secret',
};

/** The inputs the way needs that are empty, by input name. */
export function missingInputs(way: Way, given: Given): string[] {
  return NEEDS[way].filter((key) => !given[key]).map((key) => INPUT_NAME[key]!);
}

function list(names: string[]): string {
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

export function missingInputsMessage(choice: Choice, missing: string[]): string {
  const needs = list(NEEDS[choice.way].map((key) => INPUT_NAME[key]!));
  const verb = missing.length === 1 ? 'is' : 'are';
  return `${choice.way} sign-in (${choice.reason}) needs ${needs}, but ${list(missing)} ${verb} empty.`;
}

/**
 * The one error for `auto` when no way is set up: every way, and what it needs. `az` is on
 * GitHub-hosted runners, so "no session" is as likely as "no az".
 */
export function nothingConfiguredMessage(
  given: Given,
  az: 'missing' | 'signed-out',
  api: { resource: string; title: string },
): string {
  const partial = [
    given.tenantId ? 'tenant-id is set but client-id is empty' : '',
    given.clientId ? 'client-id is set but tenant-id is empty' : '',
  ].filter(Boolean);
  return [
    `No way to authenticate to the ${api.title}: auth-type is auto, no inputs for a ` +
      `sign-in are set${partial.length ? ` (${partial.join('; ')})` : ''}, and ` +
      `${az === 'missing' ? 'the Azure CLI (az) was not found' : 'the Azure CLI (az) has no signed-in session'}. ` +
      'Set up one of these:',
    `- access-token: a bearer token for ${api.resource} in input access-token.`,
    '- client-secret: inputs tenant-id, client-id and client-secret (pass the secret from a secret).',
    '- oidc (GitHub OIDC federation, no secret): inputs tenant-id and client-id, a federated ' +
      'credential on the app, and `permissions: id-token: write` in the job.',
    '- azure-cli: the azure/login action before this step (az on the runner), no inputs.',
    '- managed-identity: auth-type managed-identity on a runner hosted in Azure; client-id for a ' +
      'user-assigned identity.',
    `See ${docsUrl('authentication')} for a workflow for each.`,
  ].join('\n');
}
