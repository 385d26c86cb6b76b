/**
 * Every way to sign in, end to end: the action runs in-process as the runner runs it (its
 * environment is the process's while it runs, for @azure/identity and the `az` it starts), against
 * loopback fakes of Microsoft Entra ID (https, its test certificate trusted by this process as
 * `NODE_EXTRA_CA_CERTS` makes the bundle trust it), GitHub's ID-token endpoint, the Azure CLI and
 * the Cloud Partner Portal API. Nothing leaves 127.0.0.1. The bundle's own sign-in is in
 * `__tests__/e2e/process.test.ts`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { runAgainstSimulator, type Run } from '../e2e/harness.js';
import { SIMULATOR_DEFAULTS } from '../../simulator/server.js';
import { writeFakeAz } from './helpers/fake-az.js';
import {
  entraToken,
  loopbackCertificate,
  startFakeEntra,
  type FakeEntra,
  type FakeEntraOptions,
  type LoopbackCertificate,
} from './helpers/fake-entra.js';
import { GITHUB_SUBJECT, startFakeGitHubOidc } from './helpers/fake-github-oidc.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '00000000-0000-0000-0000-00000000c11e';
const SECRET = 'Zq8~e2e-client-secret-value';
const SCOPE = 'https://cloudpartner.azure.com/.default';

let dir: string;
let certificate: LoopbackCertificate;

let trusted: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cpp-auth-e2e-'));
  certificate = loopbackCertificate(dir);
  // The fake Entra's certificate, trusted by this process's TLS clients (MSAL's included).
  trusted = getCACertificates('default');
  setDefaultCACertificates([...trusted, certificate.cert]);
});
afterAll(() => {
  setDefaultCACertificates(trusted);
  rmSync(dir, { recursive: true, force: true });
});

interface AuthRun extends Run {
  /** The log without the runner's `::add-mask::` commands. */
  lines: string[];
  masked: string[];
  /** The step's failure message (`::error::`), decoded. */
  failure: string | undefined;
}

/** Runs the action against a fresh simulator that accepts `apiToken`. */
async function run(
  apiToken: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  api: 'cloud-partner-portal' | 'product-ingestion' = 'cloud-partner-portal',
): Promise<AuthRun> {
  const result = await runAgainstSimulator(
    api === 'product-ingestion'
      ? { api, scenario: 'publish-to-live', token: apiToken }
      : { scenario: 'succeeded', token: apiToken },
    // No access-token unless a test gives one: the action must get its token itself.
    { 'access-token': '', ...inputs },
    { env, processEnv: true },
  );
  const all = result.stdout.split('\n');
  const error = all.find((l) => l.startsWith('::error::'));
  return {
    ...result,
    lines: all.filter((l) => !l.startsWith('::add-mask::')),
    masked: all.filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice(12)),
    failure: error?.slice(9).replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'),
  };
}

/** Each secret was masked, and appears nowhere else: log, outputs, summary, stderr. */
function expectNoLeaks(r: AuthRun, secrets: string[]): void {
  for (const secret of secrets) {
    expect(r.masked).toContain(secret);
    expect(r.lines.filter((l) => l.includes(secret))).toEqual([]);
    expect(r.stderr).not.toContain(secret);
    expect(r.summary).not.toContain(secret);
    for (const value of Object.values(r.outputs)) expect(value).not.toContain(secret);
  }
}

async function withEntra<T>(
  options: Partial<FakeEntraOptions>,
  body: (entra: FakeEntra) => Promise<T>,
): Promise<T> {
  const entra = await startFakeEntra({ tenant: TENANT, certificate, ...options });
  try {
    return await body(entra);
  } finally {
    await entra.close();
  }
}

describe('client-secret', () => {
  test('signs in with the secret and reads with the Entra token', () =>
    withEntra({}, async (entra) => {
      const r = await run(entraToken(1), {
        'tenant-id': TENANT,
        'client-id': CLIENT,
        'client-secret': SECRET,
        'authority-host': entra.authorityHost,
      });
      expect(r.exitCode).toBe(0);
      expect(r.failure).toBeUndefined();
      expect(entra.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
        `GET /${TENANT}/v2.0/.well-known/openid-configuration`,
        `POST /${TENANT}/oauth2/v2.0/token`,
      ]);
      expect(entra.tokenRequests()[0]).toMatchObject({
        grant_type: 'client_credentials',
        client_id: CLIENT,
        client_secret: SECRET,
        scope: SCOPE,
      });
      expect(r.sim.requests.length).toBeGreaterThan(0);
      expect(new Set(r.sim.requests.map((q) => q.authorization))).toEqual(
        new Set([`Bearer ${entraToken(1)}`]),
      );
      expect(r.lines).toContain(
        `Authenticating with a client secret of app ${CLIENT} in tenant ${TENANT} ` +
          '(auth-type auto: client-secret is set).',
      );
      expect(r.outputs.status).toBe('succeeded');
      expectNoLeaks(r, [SECRET, entraToken(1)]);
    }));

  test('a 401 from the API gets exactly one fresh token, and the read is retried', () =>
    withEntra({}, async (entra) => {
      // The API accepts only the second token Entra issues: the first read is refused.
      const r = await run(entraToken(2), {
        'tenant-id': TENANT,
        'client-id': CLIENT,
        'client-secret': SECRET,
        'authority-host': entra.authorityHost,
        'operation-id': SIMULATOR_DEFAULTS.operationId,
      });
      expect(r.exitCode).toBe(0);
      expect(entra.tokenRequests()).toHaveLength(2);
      expect(r.sim.requests.map((q) => q.authorization)).toEqual([
        `Bearer ${entraToken(1)}`,
        `Bearer ${entraToken(2)}`,
      ]);
      expect(r.sim.statusReads()).toBe(1);
      expect(r.outputs.status).toBe('succeeded');
      expectNoLeaks(r, [SECRET, entraToken(1), entraToken(2)]);
    }));

  test('a 401 that a fresh token does not cure fails with guidance after one renewal', () =>
    withEntra({}, async (entra) => {
      const r = await run('a-token-entra-never-issues', {
        'tenant-id': TENANT,
        'client-id': CLIENT,
        'client-secret': SECRET,
        'authority-host': entra.authorityHost,
        'operation-id': SIMULATOR_DEFAULTS.operationId,
      });
      expect(r.exitCode).toBe(1);
      expect(entra.tokenRequests()).toHaveLength(2);
      expect(r.sim.requests.map((q) => q.authorization)).toEqual([
        `Bearer ${entraToken(1)}`,
        `Bearer ${entraToken(2)}`,
      ]);
      expect(r.failure).toContain('answered HTTP 401');
      expect(r.failure).toContain('https://cloudpartner.azure.com');
    }));

  test('a refused renewal ends the wait with the AADSTS code: no retries, no crash', () =>
    withEntra(
      {
        refuseFrom: 2,
        refuse: {
          status: 401,
          error: 'invalid_client',
          code: 7000222,
          description: "The provided client secret keys for app '" + CLIENT + "' are expired.",
        },
      },
      async (entra) => {
        const r = await run(entraToken(2), {
          'tenant-id': TENANT,
          'client-id': CLIENT,
          'client-secret': SECRET,
          'authority-host': entra.authorityHost,
          'operation-id': SIMULATOR_DEFAULTS.operationId,
        });
        expect(r.exitCode).toBe(1);
        expect(entra.tokenRequests()).toHaveLength(2);
        expect(r.sim.requests.map((q) => q.authorization)).toEqual([`Bearer ${entraToken(1)}`]);
        expect(r.failure).toMatch(
          /^Microsoft Entra ID refused the client-secret sign-in: AADSTS7000222: The provided client secret keys .* are expired\..* The client secret has expired/,
        );
        expect(r.stderr).toBe('');
        expectNoLeaks(r, [SECRET, entraToken(1)]);
      },
    ));

  test('a refused secret fails the step with the AADSTS code and never the secret', () =>
    withEntra(
      {
        refuse: {
          status: 401,
          error: 'invalid_client',
          code: 7000215,
          description:
            'Invalid client secret provided. Ensure the secret being sent in the request is the ' +
            `client secret value, not the client secret ID, for a secret added to app '${CLIENT}'.`,
        },
      },
      async (entra) => {
        const r = await run(entraToken(1), {
          'tenant-id': TENANT,
          'client-id': CLIENT,
          'client-secret': SECRET,
          'authority-host': entra.authorityHost,
        });
        expect(r.exitCode).toBe(1);
        expect(r.failure).toMatch(
          /^Microsoft Entra ID refused the client-secret sign-in: AADSTS7000215: Invalid client secret provided\. .* \(trace ID 5e1c0a7b-0000-4000-8000-00000000f00d, correlation ID 9a8b7c6d-0000-4000-8000-00000000beef\)\. Check client-secret: use the secret's Value/,
        );
        expect(r.summary).toContain('AADSTS7000215');
        expect(r.sim.requests).toEqual([]);
        expectNoLeaks(r, [SECRET]);
      },
    ));
});

describe('oidc', () => {
  test('sends the GitHub ID token as the client assertion', async () => {
    const github = await startFakeGitHubOidc();
    try {
      await withEntra({}, async (entra) => {
        const r = await run(
          entraToken(1),
          { 'tenant-id': TENANT, 'client-id': CLIENT, 'authority-host': entra.authorityHost },
          {
            ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
          },
        );
        expect(r.exitCode).toBe(0);
        expect(github.requests).toEqual([
          {
            audience: 'api://AzureADTokenExchange',
            authorization: `Bearer ${github.requestToken}`,
          },
        ]);
        const [form] = entra.tokenRequests();
        expect(form).toMatchObject({
          grant_type: 'client_credentials',
          client_id: CLIENT,
          client_assertion: github.issued[0],
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          scope: SCOPE,
        });
        expect(form).not.toHaveProperty('client_secret');
        expect(new Set(r.sim.requests.map((q) => q.authorization))).toEqual(
          new Set([`Bearer ${entraToken(1)}`]),
        );
        expect(r.lines).toContain(
          `Authenticating with GitHub OIDC federation as app ${CLIENT} in tenant ${TENANT} ` +
            '(auth-type auto: tenant-id and client-id are set without client-secret).',
        );
        expectNoLeaks(r, [github.requestToken, github.issued[0]!, entraToken(1)]);
      });
    } finally {
      await github.close();
    }
  });

  test('no federated credential for this subject: AADSTS70021 with the subject to add', async () => {
    const github = await startFakeGitHubOidc();
    try {
      await withEntra(
        {
          refuse: {
            status: 400,
            error: 'invalid_request',
            code: 70021,
            description: 'No matching federated identity record found for presented assertion.',
          },
        },
        async (entra) => {
          const r = await run(
            entraToken(1),
            {
              'auth-type': 'oidc',
              'tenant-id': TENANT,
              'client-id': CLIENT,
              'authority-host': entra.authorityHost,
            },
            {
              ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl,
              ACTIONS_ID_TOKEN_REQUEST_TOKEN: github.requestToken,
            },
          );
          expect(r.exitCode).toBe(1);
          expect(r.failure).toMatch(
            /^Microsoft Entra ID refused the oidc \(GitHub OIDC federation\) sign-in: AADSTS70021: No matching federated identity record found/,
          );
          expect(r.failure).toContain(`(this job's token has subject '${GITHUB_SUBJECT}')`);
          expectNoLeaks(r, [github.requestToken, github.issued[0]!]);
        },
      );
    } finally {
      await github.close();
    }
  });

  test('without id-token: write the step fails before any request, saying what to add', () =>
    withEntra({}, async (entra) => {
      const r = await run(entraToken(1), {
        'auth-type': 'oidc',
        'tenant-id': TENANT,
        'client-id': CLIENT,
        'authority-host': entra.authorityHost,
      });
      expect(r.exitCode).toBe(1);
      expect(r.failure).toContain('needs a GitHub OIDC token, but this job has none');
      expect(r.failure).toContain('`permissions: { id-token: write, contents: read }`');
      expect(entra.requests).toEqual([]);
      expect(r.sim.requests).toEqual([]);
    }));
});

describe('azure-cli', () => {
  test('uses the token of the az session, asked for the Cloud Partner Portal resource', async () => {
    const azDir = join(dir, 'az-signed-in');
    mkdirSync(azDir);
    const az = writeFakeAz(azDir, 'signed-in');
    const r = await run(
      az.token,
      { 'auth-type': 'azure-cli', 'tenant-id': TENANT },
      {
        PATH: `${az.binDir}:${process.env.PATH ?? ''}`,
      },
    );
    expect(r.exitCode).toBe(0);
    expect(az.calls()).toEqual([
      [
        'account',
        'get-access-token',
        '--output',
        'json',
        '--resource',
        'https://cloudpartner.azure.com',
        '--tenant',
        TENANT,
      ],
    ]);
    expect(new Set(r.sim.requests.map((q) => q.authorization))).toEqual(
      new Set([`Bearer ${az.token}`]),
    );
    expectNoLeaks(r, [az.token]);
  });

  test('auto with nothing set falls back to az', async () => {
    const azDir = join(dir, 'az-auto');
    mkdirSync(azDir);
    const az = writeFakeAz(azDir, 'signed-in', 'az-access-token-auto');
    const r = await run(az.token, {}, { PATH: az.binDir });
    expect(r.exitCode).toBe(0);
    expect(az.calls()).toEqual([
      [
        'account',
        'get-access-token',
        '--output',
        'json',
        '--resource',
        'https://cloudpartner.azure.com',
      ],
    ]);
    expect(r.lines).toContain(
      'Authenticating with the Azure CLI session (auth-type auto: no access-token, and tenant-id ' +
        'and client-id are not both set).',
    );
  });

  test('auto with nothing set and az signed out: the list of ways', async () => {
    const azDir = join(dir, 'az-auto-signed-out');
    mkdirSync(azDir);
    const az = writeFakeAz(azDir, 'signed-out');
    const r = await run('unused-token', {}, { PATH: az.binDir });
    expect(r.exitCode).toBe(1);
    expect(r.failure).toMatch(
      /^No way to authenticate .* the Azure CLI \(az\) has no signed-in session\. Set up one of these:\n/,
    );
    expect(az.calls()).toHaveLength(1);
  });

  test('az without a session: says to run azure/login', async () => {
    const azDir = join(dir, 'az-signed-out');
    mkdirSync(azDir);
    const az = writeFakeAz(azDir, 'signed-out');
    const r = await run('unused-token', { 'auth-type': 'azure-cli' }, { PATH: az.binDir });
    expect(r.exitCode).toBe(1);
    expect(r.failure).toMatch(
      /^The Azure CLI has no signed-in session .*Run the azure\/login action before this step/,
    );
    expect(r.sim.requests).toEqual([]);
  });

  test('nothing configured and no az: one error listing every way', async () => {
    const empty = join(dir, 'empty-bin');
    mkdirSync(empty);
    const r = await run('unused-token', {}, { PATH: empty });
    expect(r.exitCode).toBe(1);
    const lines = r.failure!.split('\n');
    expect(lines[0]).toMatch(/^No way to authenticate to the Cloud Partner Portal API/);
    expect(lines.filter((l) => l.startsWith('- ')).map((l) => l.split(':')[0])).toEqual([
      '- access-token',
      '- client-secret',
      '- oidc (GitHub OIDC federation, no secret)',
      '- azure-cli',
      '- managed-identity',
    ]);
    expect(r.sim.requests).toEqual([]);
  });
});

describe('managed-identity', () => {
  /**
   * A managed identity endpoint of the kind @azure/identity finds through IDENTITY_ENDPOINT and
   * IDENTITY_HEADER (App Service style). The IMDS endpoint of an Azure VM is not exercised here.
   * One endpoint for the suite: MSAL keeps the source it found for the life of the process (one
   * run, for the bundle), so in-process every run after the first asks the first one's address.
   */
  const seen: URL[] = [];
  let env: Record<string, string>;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(url);
    if (req.headers['x-identity-header'] !== 'identity-header-value') {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        access_token: 'mi-access-token-1',
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource'),
        token_type: 'Bearer',
      }),
    );
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    env = {
      IDENTITY_ENDPOINT: `http://127.0.0.1:${port}/msi/token`,
      IDENTITY_HEADER: 'identity-header-value',
    };
  });
  beforeEach(() => {
    seen.length = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test.each([
    [{}, null, 'Authenticating with the system-assigned managed identity'],
    [
      { 'client-id': CLIENT },
      CLIENT,
      `Authenticating with the user-assigned managed identity ${CLIENT}`,
    ],
  ])('%j', async (inputs, clientId, line) => {
    const r = await run('mi-access-token-1', { 'auth-type': 'managed-identity', ...inputs }, env);
    expect(r.exitCode).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.searchParams.get('resource')).toBe('https://cloudpartner.azure.com');
    expect(seen[0]!.searchParams.get('client_id')).toBe(clientId);
    expect(new Set(r.sim.requests.map((q) => q.authorization))).toEqual(
      new Set(['Bearer mi-access-token-1']),
    );
    expect(r.lines).toContain(`${line} (auth-type managed-identity).`);
    expectNoLeaks(r, ['mi-access-token-1']);
  });
});

test('access-token: the given token, as before', async () => {
  const r = await run('given-access-token-42', { 'access-token': 'given-access-token-42' });
  expect(r.exitCode).toBe(0);
  expect(new Set(r.sim.requests.map((q) => q.authorization))).toEqual(
    new Set(['Bearer given-access-token-42']),
  );
  expect(r.lines).toContain(
    'Authenticating with the access-token input (auth-type auto: access-token is set).',
  );
  expectNoLeaks(r, ['given-access-token-42']);
});

describe('product-ingestion: the token is for Microsoft Graph', () => {
  test('client-secret asks Entra for the scope https://graph.microsoft.com/.default', () =>
    withEntra({}, async (entra) => {
      const r = await run(
        entraToken(1),
        {
          'tenant-id': TENANT,
          'client-id': CLIENT,
          'client-secret': SECRET,
          'authority-host': entra.authorityHost,
          'wait-until': 'none',
        },
        {},
        'product-ingestion',
      );
      expect(r.exitCode).toBe(0);
      expect(entra.tokenRequests()[0]).toMatchObject({
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      });
      expect(new Set(r.sim.requests.map((q) => q.authorization))).toEqual(
        new Set([`Bearer ${entraToken(1)}`]),
      );
      expectNoLeaks(r, [SECRET, entraToken(1)]);
    }));

  test('azure-cli asks az for the resource https://graph.microsoft.com', async () => {
    const azDir = join(dir, 'az-graph');
    mkdirSync(azDir);
    const az = writeFakeAz(azDir, 'signed-in');
    const r = await run(
      az.token,
      { 'auth-type': 'azure-cli', 'wait-until': 'none' },
      { PATH: `${az.binDir}:${process.env.PATH ?? ''}` },
      'product-ingestion',
    );
    expect(r.exitCode).toBe(0);
    expect(az.calls()).toEqual([
      [
        'account',
        'get-access-token',
        '--output',
        'json',
        '--resource',
        'https://graph.microsoft.com',
      ],
    ]);
  });
});
