import { describe, expect, test } from '@jest/globals';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ApiError } from '../../src/http/api-error.js';
import type { CredentialFactory, EntraOptions } from '../../src/auth/entra.js';
import { AuthError, createTokenSource, type AuthContext } from '../../src/auth/index.js';
import { readAuthSettings } from '../../src/inputs/index.js';
import {
  azNotInstalled,
  azSignedOut,
  entraRefusal,
  INVALID_SECRET,
  unreachable,
} from './helpers/entra-errors.js';
import { startFakeGitHubOidc } from './helpers/fake-github-oidc.js';

const MINUTE = 60_000;
const SECRET = 'Zq8~client-secret-value';
const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '00000000-0000-0000-0000-00000000c11e';

interface Made {
  kind: keyof CredentialFactory;
  args: unknown[];
}

/**
 * Fake @azure/identity credentials: each sign-in answers the next outcome on a test clock. The
 * sign-in inputs are read as the action reads them.
 */
function harness(inputs: Record<string, string>, env: Record<string, string> = {}) {
  let now = 1_700_000_000_000;
  const outcomes: (Error | 'token')[] = [];
  const made: Made[] = [];
  const log: string[] = [];
  const masked: string[] = [];
  let issued = 0;
  const credential = (kind: keyof CredentialFactory, args: unknown[]): TokenCredential => {
    made.push({ kind, args });
    return {
      getToken: async (scopes): Promise<AccessToken> => {
        expect(scopes).toBe('https://cloudpartner.azure.com/.default');
        if (kind === 'clientAssertion') {
          // MSAL asks for the assertion twice per sign-in; both must be the same GitHub token.
          const assertion = args[2] as () => Promise<string>;
          expect(await assertion()).toBe(await assertion());
        }
        const outcome = outcomes.shift() ?? 'token';
        if (outcome instanceof Error) throw outcome;
        issued++;
        return { token: `entra-token-${issued}`, expiresOnTimestamp: now + 60 * MINUTE };
      },
    };
  };
  const credentials: CredentialFactory = {
    clientSecret: (...args) => credential('clientSecret', args),
    clientAssertion: (...args) => credential('clientAssertion', args),
    azureCli: (...args) => credential('azureCli', args),
    managedIdentity: (...args) => credential('managedIdentity', args),
  };
  const ctx: AuthContext = {
    settings: readAuthSettings((name) => inputs[name] ?? ''),
    api: { resource: 'https://cloudpartner.azure.com', title: 'Cloud Partner Portal API' },
    info: (message) => log.push(message),
    setSecret: (secret) => {
      // Masking must come before any line that could carry the secret.
      masked.push(secret);
      for (const line of log) expect(line).not.toContain(secret);
    },
    env,
    now: () => now,
    credentials,
  };
  return {
    ctx,
    made,
    log,
    masked,
    then: (...next: (Error | 'token')[]) => outcomes.push(...next),
    advance: (ms: number) => (now += ms),
  };
}

const secretInputs = { 'tenant-id': TENANT, 'client-id': CLIENT, 'client-secret': SECRET };

describe('access-token', () => {
  test('is static: not renewable, the same token every time', async () => {
    const h = harness({ 'access-token': 'given-token-123' });
    const source = await createTokenSource(h.ctx);
    expect(source.renewable).toBe(false);
    expect(await source.token(true)).toBe('given-token-123');
    expect(h.made).toEqual([]);
    expect(h.log).toEqual([
      'Authenticating with the access-token input (auth-type auto: access-token is set).',
    ]);
  });
});

describe('client-secret', () => {
  test('gets the first token at once, masks secret and token, and logs the way', async () => {
    const h = harness(secretInputs);
    const source = await createTokenSource(h.ctx);
    expect(source.renewable).toBe(true);
    expect(h.made).toEqual([
      {
        kind: 'clientSecret',
        args: [
          TENANT,
          CLIENT,
          SECRET,
          {
            authorityHost: 'https://login.microsoftonline.com',
            disableInstanceDiscovery: false,
          } satisfies EntraOptions,
        ],
      },
    ]);
    expect(h.masked).toEqual([SECRET, 'entra-token-1']);
    expect(h.log).toEqual([
      `Authenticating with a client secret of app ${CLIENT} in tenant ${TENANT} ` +
        '(auth-type auto: client-secret is set).',
      'Got a token (valid for 1h); it is renewed before it expires.',
    ]);
    expect(await source.token(false)).toBe('entra-token-1');
    expect(h.made).toHaveLength(1);
  });

  test('renews 5 minutes before expiry on the injected clock, with a new credential', async () => {
    const h = harness(secretInputs);
    const source = await createTokenSource(h.ctx);
    h.advance(54 * MINUTE);
    expect(await source.token(false)).toBe('entra-token-1');
    h.advance(1 * MINUTE);
    expect(await source.token(false)).toBe('entra-token-2');
    expect(h.made).toHaveLength(2);
    expect(h.log.at(-1)).toBe('Got a new Entra token (valid for 1h).');
    expect(h.masked).toContain('entra-token-2');
  });

  test('token(true) forces a new token, as the client asks after a 401', async () => {
    const h = harness(secretInputs);
    const source = await createTokenSource(h.ctx);
    expect(await source.token(true)).toBe('entra-token-2');
    expect(await source.token(false)).toBe('entra-token-2');
    expect(h.made).toHaveLength(2);
  });

  test('a non-public authority host turns instance discovery off', async () => {
    const h = harness({ ...secretInputs, 'authority-host': 'https://127.0.0.1:9443' });
    await createTokenSource(h.ctx);
    expect(h.made[0]!.args[3]).toEqual({
      authorityHost: 'https://127.0.0.1:9443',
      disableInstanceDiscovery: true,
    });
  });

  test('a refused first sign-in is an AuthError with the AADSTS code, never the secret', async () => {
    const h = harness(secretInputs);
    h.then(entraRefusal(7000215, `${INVALID_SECRET} Sent: ${SECRET}`, 401));
    const error = await createTokenSource(h.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(
      /^Microsoft Entra ID refused the client-secret sign-in: AADSTS7000215: Invalid client secret provided\./,
    );
    expect((error as Error).message).not.toContain(SECRET);
  });

  test('a refused renewal ends the wait: a permanent ApiError from Microsoft Entra ID', async () => {
    const h = harness(secretInputs);
    const source = await createTokenSource(h.ctx);
    h.then(entraRefusal(7000222, 'The provided client secret keys for app are expired.', 401));
    const error = await source.token(true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).transient).toBe(false);
    expect((error as ApiError).details.endpoint).toBe('Microsoft Entra ID');
    expect((error as ApiError).message).toMatch(/AADSTS7000222: .* The client secret has expired/);
  });

  test('an unreachable Entra on renewal is transient, so the wait reads again later', async () => {
    const h = harness(secretInputs);
    const source = await createTokenSource(h.ctx);
    h.advance(59.5 * MINUTE);
    h.then(unreachable('network_error'));
    const error = await source.token(false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).transient).toBe(true);
  });

  test('a failed scheduled renewal keeps the still-valid token and says so', async () => {
    const h = harness(secretInputs);
    const source = await createTokenSource(h.ctx);
    h.advance(56 * MINUTE);
    h.then(unreachable('network_error'));
    expect(await source.token(false)).toBe('entra-token-1');
    expect(h.log.at(-1)).toMatch(
      /^Could not renew the Entra token: Could not reach Microsoft Entra ID .* The current one is still valid for 4m; it is used meanwhile\.$/,
    );
  });

  test('missing inputs are named before any request', async () => {
    const h = harness({
      'auth-type': 'client-secret',
      'client-id': CLIENT,
      'client-secret': SECRET,
    });
    await expect(createTokenSource(h.ctx)).rejects.toThrow(
      new AuthError(
        'client-secret sign-in (auth-type client-secret) needs tenant-id, client-id and ' +
          'client-secret, but tenant-id is empty.',
      ),
    );
    expect(h.made).toEqual([]);
    expect(h.masked).toEqual([SECRET]);
  });
});

describe('oidc', () => {
  test('without the id-token permission: an AuthError saying what to add', async () => {
    const h = harness({ 'tenant-id': TENANT, 'client-id': CLIENT });
    const error = await createTokenSource(h.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe(
      'oidc sign-in (auth-type auto: tenant-id and client-id are set without client-secret) needs a ' +
        'GitHub OIDC token, but this job has none (ACTIONS_ID_TOKEN_REQUEST_URL and ' +
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set). Add to the job (or the workflow): ' +
        '`permissions: { id-token: write, contents: read }`. Pull requests from forks never get an ' +
        'ID token; for those, skip this step or sign in another way (client-secret is not available ' +
        'to forks either).',
    );
    expect(h.made).toEqual([]);
  });

  test('each sign-in asks GitHub for a new ID token and masks it', async () => {
    const github = await startFakeGitHubOidc();
    try {
      const h = harness(
        { 'tenant-id': TENANT, 'client-id': CLIENT },
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
        },
      );
      const source = await createTokenSource(h.ctx);
      await source.token(true);
      expect(h.made.map((m) => m.kind)).toEqual(['clientAssertion', 'clientAssertion']);
      expect(github.issued).toHaveLength(2);
      expect(h.masked).toEqual([
        github.requestToken,
        github.issued[0],
        'entra-token-1',
        github.issued[1],
        'entra-token-2',
      ]);
      expect(h.log[0]).toBe(
        `Authenticating with GitHub OIDC federation as app ${CLIENT} in tenant ${TENANT} ` +
          '(auth-type auto: tenant-id and client-id are set without client-secret).',
      );
    } finally {
      await github.close();
    }
  });

  test("a federated-credential mismatch names the subject of this job's token", async () => {
    const github = await startFakeGitHubOidc();
    try {
      const h = harness(
        { 'auth-type': 'oidc', 'tenant-id': TENANT, 'client-id': CLIENT },
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
        },
      );
      h.then(
        entraRefusal(70021, 'No matching federated identity record found for presented assertion.'),
      );
      await expect(createTokenSource(h.ctx)).rejects.toThrow(
        "(this job's token has subject 'repo:contoso/release:ref:refs/heads/main')",
      );
    } finally {
      await github.close();
    }
  });
});

describe('azure-cli', () => {
  test('auto with nothing set uses the Azure CLI session', async () => {
    const h = harness({});
    const source = await createTokenSource(h.ctx);
    expect(source.renewable).toBe(true);
    expect(h.made).toEqual([{ kind: 'azureCli', args: [undefined] }]);
    expect(h.log[0]).toBe(
      'Authenticating with the Azure CLI session (auth-type auto: no access-token, and tenant-id ' +
        'and client-id are not both set).',
    );
  });

  test('a tenant-id is passed on', async () => {
    const h = harness({ 'auth-type': 'azure-cli', 'tenant-id': TENANT });
    await createTokenSource(h.ctx);
    expect(h.made).toEqual([{ kind: 'azureCli', args: [TENANT] }]);
  });

  test('auto with nothing set and no az: one error listing every way', async () => {
    const h = harness({});
    h.then(azNotInstalled());
    const error = await createTokenSource(h.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toMatch(/^No way to authenticate/);
    expect(lines.filter((l) => l.startsWith('- ')).map((l) => l.split(':')[0])).toEqual([
      '- access-token',
      '- client-secret',
      '- oidc (GitHub OIDC federation, no secret)',
      '- azure-cli',
      '- managed-identity',
    ]);
  });

  test('auto with nothing set and az signed out (as on GitHub-hosted runners): the list too', async () => {
    const h = harness({});
    h.then(azSignedOut());
    await expect(createTokenSource(h.ctx)).rejects.toThrow(
      /^No way to authenticate .* the Azure CLI \(az\) has no signed-in session\. Set up one of these:\n- access-token/,
    );
  });

  test('auth-type azure-cli without az: the Azure CLI message, not the list', async () => {
    const h = harness({ 'auth-type': 'azure-cli' });
    h.then(azNotInstalled());
    await expect(createTokenSource(h.ctx)).rejects.toThrow(/^The Azure CLI \(az\) was not found/);
  });
});

describe('managed-identity', () => {
  test.each([
    [{}, undefined, 'Authenticating with the system-assigned managed identity'],
    [
      { 'client-id': CLIENT },
      CLIENT,
      `Authenticating with the user-assigned managed identity ${CLIENT}`,
    ],
  ])('%j', async (inputs, clientId, line) => {
    const h = harness({ 'auth-type': 'managed-identity', ...inputs });
    const source = await createTokenSource(h.ctx);
    expect(source.renewable).toBe(true);
    expect(h.made).toEqual([{ kind: 'managedIdentity', args: [clientId] }]);
    expect(h.log[0]).toBe(`${line} (auth-type managed-identity).`);
  });
});
