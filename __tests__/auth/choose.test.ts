import { describe, expect, test } from '@jest/globals';
import {
  chooseWay,
  missingInputs,
  missingInputsMessage,
  nothingConfiguredMessage,
} from '../../src/auth/choose.js';
import type { AuthType } from '../../src/auth/settings.js';

const none = { accessToken: '', tenantId: '', clientId: '', clientSecret: '' };
const auto = (given: Partial<typeof none>) => ({ authType: 'auto' as AuthType, ...none, ...given });

describe('auth-type auto', () => {
  test.each([
    [{ accessToken: 't' }, 'access-token'],
    [{ accessToken: 't', tenantId: 'a', clientId: 'b', clientSecret: 's' }, 'access-token'],
    [{ tenantId: 'a', clientId: 'b', clientSecret: 's' }, 'client-secret'],
    [{ tenantId: 'a', clientId: 'b' }, 'oidc'],
    [{}, 'azure-cli'],
    [{ tenantId: 'a' }, 'azure-cli'],
    [{ clientId: 'b' }, 'azure-cli'],
    // A secret is never dropped silently in favour of some Azure CLI session: missing inputs are reported.
    [{ clientSecret: 's' }, 'client-secret'],
    [{ tenantId: 'a', clientSecret: 's' }, 'client-secret'],
  ])('%j picks %s', (given, way) => {
    expect(chooseWay(auto(given)).way).toBe(way);
  });

  test('only the Azure CLI reached by elimination counts as the fallback', () => {
    expect(chooseWay(auto({})).fallback).toBe(true);
    expect(chooseWay(auto({ tenantId: 'a', clientId: 'b' })).fallback).toBe(false);
    expect(chooseWay({ ...auto({}), authType: 'azure-cli' }).fallback).toBe(false);
  });

  test('the reason says why, for the log', () => {
    expect(chooseWay(auto({ tenantId: 'a', clientId: 'b' })).reason).toBe(
      'auth-type auto: tenant-id and client-id are set without client-secret',
    );
    expect(chooseWay(auto({})).reason).toBe(
      'auth-type auto: no access-token, and tenant-id and client-id are not both set',
    );
  });
});

describe('an explicit auth-type', () => {
  test.each(['access-token', 'client-secret', 'oidc', 'azure-cli', 'managed-identity'] as const)(
    '%s is used as given, whatever else is set',
    (authType) => {
      const choice = chooseWay({ ...auto({ accessToken: 't', clientSecret: 's' }), authType });
      expect(choice).toEqual({ way: authType, reason: `auth-type ${authType}`, fallback: false });
    },
  );
});

describe('what each way needs', () => {
  test.each([
    ['access-token', {}, ['access-token']],
    ['client-secret', { clientSecret: 's' }, ['tenant-id', 'client-id']],
    ['client-secret', { tenantId: 'a', clientId: 'b' }, ['client-secret']],
    ['oidc', { clientId: 'b' }, ['tenant-id']],
    ['oidc', { tenantId: 'a', clientId: 'b' }, []],
    ['azure-cli', {}, []],
    ['managed-identity', {}, []],
  ] as const)('%s with %j misses %j', (way, given, missing) => {
    expect(missingInputs(way, auto(given))).toEqual(missing);
  });

  test('the message names the way, why it was chosen, and the empty inputs', () => {
    const given = auto({ clientSecret: 's' });
    const choice = chooseWay(given);
    expect(missingInputsMessage(choice, missingInputs(choice.way, given))).toBe(
      'client-secret sign-in (auth-type auto: client-secret is set) needs tenant-id, client-id and ' +
        'client-secret, but tenant-id and client-id are empty.',
    );
  });
});

const CPP = { resource: 'https://cloudpartner.azure.com', title: 'Cloud Partner Portal API' };

describe('nothing configured', () => {
  test('one message lists every way with the inputs it needs', () => {
    const message = nothingConfiguredMessage(auto({}), 'missing', CPP);
    expect(message).toMatch(/^No way to authenticate to the Cloud Partner Portal API/);
    expect(message).toContain('the Azure CLI (az) was not found');
    expect(message).toContain('- access-token: a bearer token');
    expect(message).toContain('- client-secret: inputs tenant-id, client-id and client-secret');
    expect(message).toContain(
      '- oidc (GitHub OIDC federation, no secret): inputs tenant-id and client-id',
    );
    expect(message).toContain('`permissions: id-token: write`');
    expect(message).toContain('- azure-cli: the azure/login action before this step');
    expect(message).toContain('- managed-identity: auth-type managed-identity');
  });

  test('an az without a session is told apart from no az', () => {
    expect(nothingConfiguredMessage(auto({}), 'signed-out', CPP)).toContain(
      'and the Azure CLI (az) has no signed-in session. Set up one of these:',
    );
  });

  test('a half-set pair is pointed out', () => {
    expect(nothingConfiguredMessage(auto({ tenantId: 'a' }), 'missing', CPP)).toContain(
      '(tenant-id is set but client-id is empty)',
    );
  });
});
