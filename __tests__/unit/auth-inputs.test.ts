/** The sign-in inputs, read by the one input reader: defaults, checks, and their messages. */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { AUTH_TYPES } from '../../src/auth/settings.js';
import { readAuthSettings } from '../../src/inputs/index.js';
import { inputError } from './input-helpers.js';

const auth = (values: Record<string, string>) => readAuthSettings((name) => values[name] ?? '');

describe('the sign-in inputs', () => {
  test('empty inputs take the defaults', () => {
    expect(auth({})).toEqual({
      authType: 'auto',
      accessToken: '',
      tenantId: '',
      clientId: '',
      clientSecret: '',
      authorityHost: 'https://login.microsoftonline.com',
      publicCloud: true,
    });
  });

  test('values are trimmed and auth-type is read in any case', () => {
    const s = auth({
      'auth-type': ' OIDC ',
      'tenant-id': ' contoso.onmicrosoft.com ',
      'client-id': 'b ',
    });
    expect(s).toMatchObject({
      authType: 'oidc',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'b',
    });
  });

  test('an unknown auth-type names the input and the choices', () => {
    const error = inputError(() => auth({ 'auth-type': 'password' }));
    expect(error.input).toBe('auth-type');
    expect(error.message).toBe(
      "Input 'auth-type': 'password' is not one of: auto, access-token, client-secret, oidc, " +
        'azure-cli, managed-identity.',
    );
  });

  test('a tenant-id with spaces or slashes is refused before any request', () => {
    expect(() => auth({ 'tenant-id': 'https://login/x' })).toThrow(
      /^Input 'tenant-id': 'https:\/\/login\/x' is not an id/,
    );
  });

  test('secrets are taken as given: no input error can quote them', () => {
    const secret = 'a/b c\u0007?#..\\x';
    expect(auth({ 'client-secret': secret, 'access-token': secret })).toMatchObject({
      clientSecret: secret,
      accessToken: secret,
    });
  });

  test('every auth-type is documented in action.yml', () => {
    const yml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
    for (const type of AUTH_TYPES) expect(yml).toContain(`\`${type}\``);
  });
});

describe('authority-host', () => {
  const host = (raw: string) => auth({ 'authority-host': raw });

  test.each([
    ['https://login.microsoftonline.com', true],
    ['https://login.microsoftonline.com/', true],
    ['https://LOGIN.microsoftonline.us', true],
    ['https://login.chinacloudapi.cn', true],
    ['https://login.partner.microsoftonline.cn', true],
    ['https://127.0.0.1:8443', false],
    ['https://login.microsoftonline.com:8443', false],
    ['https://login.example.test', false],
  ])('%s: public cloud %s', (raw, publicCloud) => {
    expect(host(raw).publicCloud).toBe(publicCloud);
  });

  test('is kept as an origin without a trailing slash', () => {
    expect(host('https://127.0.0.1:8443/').authorityHost).toBe('https://127.0.0.1:8443');
  });

  test.each([
    ['http://127.0.0.1:8443', "Input 'authority-host': 'http://127.0.0.1:8443' must use https"],
    [
      'login.microsoftonline.com',
      "Input 'authority-host': 'login.microsoftonline.com' is not a URL",
    ],
    [
      'https://login.microsoftonline.com/contoso',
      "Input 'authority-host': 'https://login.microsoftonline.com/contoso' must be just https:// and a host",
    ],
    [
      'https://admin:s3cr3t@pa55@login.microsoftonline.com/',
      "Input 'authority-host': 'https://***@login.microsoftonline.com/' must be just https:// and a host",
    ],
  ])('%s is refused', (raw, message) => {
    const error = inputError(() => host(raw));
    expect(error.message).not.toMatch(/s3cr3t|pa55/);
    expect(error.input).toBe('authority-host');
    expect(error.message).toContain(message);
  });

  test('is checked whichever way the other inputs choose', () => {
    expect(() =>
      auth({
        'access-token': 't',
        'client-secret': 's',
        'authority-host': 'http://127.0.0.1:9443',
      }),
    ).toThrow(/^Input 'authority-host': 'http:\/\/127\.0\.0\.1:9443' must use https/);
  });
});
