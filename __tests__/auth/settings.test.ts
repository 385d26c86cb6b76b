import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { AuthError } from '../../src/auth/errors.js';
import {
  AUTH_DEFAULTS,
  AUTH_TYPES,
  parseAuthorityHost,
  readAuthSettings,
} from '../../src/auth/settings.js';

const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';

describe('readAuthSettings', () => {
  test('empty inputs take the defaults', () => {
    expect(readAuthSettings(inputs({}))).toEqual({
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
    const s = readAuthSettings(
      inputs({
        'auth-type': ' OIDC ',
        'tenant-id': ' contoso.onmicrosoft.com ',
        'client-id': 'b ',
      }),
    );
    expect(s).toMatchObject({
      authType: 'oidc',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'b',
    });
  });

  test('an unknown auth-type names the input and the choices', () => {
    expect(() => readAuthSettings(inputs({ 'auth-type': 'password' }))).toThrow(
      new AuthError(
        "Input 'auth-type': 'password' is not one of: auto, access-token, client-secret, oidc, " +
          'azure-cli, managed-identity.',
      ),
    );
  });

  test('a tenant-id with spaces or slashes is refused before any request', () => {
    expect(() => readAuthSettings(inputs({ 'tenant-id': 'https://login/x' }))).toThrow(
      /^Input 'tenant-id': 'https:\/\/login\/x' is not an id/,
    );
  });

  test('the defaults match action.yml', () => {
    const yml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
    expect(yml).toContain(`  auth-type:`);
    expect(yml).toMatch(
      new RegExp(`auth-type:[\\s\\S]*?default: ${AUTH_DEFAULTS['auth-type']}\\n`),
    );
    expect(yml).toMatch(
      new RegExp(`authority-host:[\\s\\S]*?default: ${AUTH_DEFAULTS['authority-host']}\\n`),
    );
    for (const type of AUTH_TYPES) expect(yml).toContain(`\`${type}\``);
  });
});

describe('authority-host', () => {
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
    expect(parseAuthorityHost(raw).publicCloud).toBe(publicCloud);
  });

  test('is kept as an origin without a trailing slash', () => {
    expect(parseAuthorityHost('https://127.0.0.1:8443/').authorityHost).toBe(
      'https://127.0.0.1:8443',
    );
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
  ])('%s is refused', (raw, message) => {
    expect(() => parseAuthorityHost(raw)).toThrow(AuthError);
    expect(() => parseAuthorityHost(raw)).toThrow(message);
  });
});
