import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { MockAgent } from 'undici';
import { ApiError, parseRetryAfter } from '../../src/http/api-error.js';
import { CppClient } from '../../src/adapters/cpp/client.js';
import { cloudPartnerPortal } from '../../src/adapters/cpp/index.js';
import { HttpClient, type ClientOptions, type TokenSource } from '../../src/http/client.js';
import { fixtures } from '../../simulator/scenarios.js';

const ORIGIN = 'https://cloudpartner.azure.com';
let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

function tokens(...values: string[]): TokenSource & { asked: boolean[] } {
  const asked: boolean[] = [];
  return {
    renewable: values.length > 1,
    asked,
    token: async (fresh) => {
      asked.push(fresh);
      return values[Math.min(asked.length - 1, values.length - 1)]!;
    },
  };
}

/** The CPP endpoints on the shared HTTP layer, as the action builds them. */
function cpp(base: string, options: ClientOptions): CppClient {
  const http = new HttpClient({ guidance: cloudPartnerPortal.guidance, ...options });
  return new CppClient(http, new URL(base), '2017-10-31');
}

function client(t: TokenSource = tokens('tok'), retries: string[] = []) {
  return cpp(ORIGIN, {
    tokens: t,
    dispatcher: agent,
    retryMinDelayMs: 5,
    retryMaxDelayMs: 20,
    retries: 2,
    onRetry: (m) => retries.push(m),
  });
}

const STATUS_PATH = '/api/publishers/contoso/offers/contoso-vm/status?api-version=2017-10-31';

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('requests', () => {
  test('GET the offer status with api-version, bearer token and JSON headers', async () => {
    let seen: Record<string, string> = {};
    agent
      .get(ORIGIN)
      .intercept({ path: STATUS_PATH, method: 'GET' })
      .reply(200, (opts) => {
        seen = opts.headers as Record<string, string>;
        return fixtures.offerStatus();
      });
    const body = await client().offerStatus('contoso', 'contoso-vm');
    expect(body.status).toBe('succeeded');
    expect(seen).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json' });
  });

  test('path segments are URL-encoded', async () => {
    agent
      .get(ORIGIN)
      .intercept({
        path: '/api/publishers/a%25b/offers/c%20d/operations/e%2Bf?api-version=2017-10-31',
      })
      .reply(200, fixtures.operation());
    expect((await client().operation('a%b', 'c d', 'e+f')).status).toBe('running');
  });

  test('running submissions are listed with status=running', async () => {
    agent
      .get(ORIGIN)
      .intercept({
        path: '/api/publishers/contoso/offers/contoso-vm/submissions?api-version=2017-10-31&status=running',
      })
      .reply(200, fixtures.submissions());
    expect((await client().runningSubmissions('contoso', 'contoso-vm'))[0]!.id).toBe(
      '5a63deb5-925b-4ee0-938b-7c86fbf287c5',
    );
  });

  test('a base URL with a path prefix keeps it', async () => {
    agent
      .get('https://proxy.contoso.com')
      .intercept({ path: '/cpp/api/publishers/contoso/offers?api-version=2017-10-31' })
      .reply(200, fixtures.offers());
    const c = cpp('https://proxy.contoso.com/cpp', {
      tokens: tokens('t'),
      dispatcher: agent,
    });
    expect((await c.offers('contoso'))[0]!.id).toBe('059afc24-07de-4126-b004-4e42a51816fe');
  });
});

describe('failures', () => {
  test('a 503 is retried with backoff and logged, then the read succeeds', async () => {
    const retries: string[] = [];
    const pool = agent.get(ORIGIN);
    pool
      .intercept({ path: STATUS_PATH })
      .reply(503, '<html><body>Service Unavailable</body></html>');
    pool.intercept({ path: STATUS_PATH }).reply(200, fixtures.offerStatus());
    expect((await client(undefined, retries).offerStatus('contoso', 'contoso-vm')).status).toBe(
      'succeeded',
    );
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(
      /answered HTTP 503 \("Service Unavailable"\)\. Retrying in \d+\.\ds \(2 left\)\./,
    );
  });

  test('after the retries, the transient error comes out marked transient', async () => {
    agent.get(ORIGIN).intercept({ path: STATUS_PATH }).reply(502, '').times(3);
    const error = await failure(client().offerStatus('contoso', 'contoso-vm'));
    expect(error.transient).toBe(true);
    expect(error.message).toBe(
      'GET /api/publishers/contoso/offers/contoso-vm/status answered HTTP 502 (no body).',
    );
  });

  test("a 400 is not retried and quotes the service's error code and message", async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: STATUS_PATH })
      .reply(400, { error: { code: 'InvalidAPIVersion', message: 'The api-version is invalid.' } });
    const error = await failure(client().offerStatus('contoso', 'contoso-vm'));
    expect(error.transient).toBe(false);
    expect(error.message).toBe(
      'GET /api/publishers/contoso/offers/contoso-vm/status answered HTTP 400 (InvalidAPIVersion: The api-version is invalid.).',
    );
  });

  test('a 403 explains the enterprise application Object ID', async () => {
    agent.get(ORIGIN).intercept({ path: STATUS_PATH }).reply(403, '');
    expect((await failure(client().offerStatus('contoso', 'contoso-vm'))).message).toMatch(
      /Object ID of its enterprise application/,
    );
  });

  test('a 401 with a renewable token source gets one fresh token and reads again', async () => {
    const t = tokens('old', 'new');
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: STATUS_PATH, headers: { authorization: 'Bearer old' } }).reply(401, '');
    pool
      .intercept({ path: STATUS_PATH, headers: { authorization: 'Bearer new' } })
      .reply(200, fixtures.offerStatus());
    expect((await client(t).offerStatus('contoso', 'contoso-vm')).status).toBe('succeeded');
    expect(t.asked).toEqual([false, true]);
  });

  test('a 401 that a fresh token does not cure fails with guidance, once', async () => {
    const t = tokens('old', 'new');
    agent.get(ORIGIN).intercept({ path: STATUS_PATH }).reply(401, '').times(2);
    const error = await failure(client(t).offerStatus('contoso', 'contoso-vm'));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/The access token is missing, invalid or expired/);
    expect(t.asked).toEqual([false, true]);
  });

  test('a body that is not JSON names the endpoint and status and quotes an excerpt', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: STATUS_PATH })
      .reply(200, '<html><h1>Sign in</h1>\n<p>to continue</p></html>');
    const error = await failure(client().offerStatus('contoso', 'contoso-vm'));
    expect(error.message).toBe(
      'GET /api/publishers/contoso/offers/contoso-vm/status answered HTTP 200 with a body that is not JSON: "<html><h1>Sign in</h1> <p>to continue</p></html>".',
    );
  });

  test('JSON of the wrong shape names what is wrong', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: STATUS_PATH })
      .reply(200, { status: 'running', steps: 'none' });
    const error = await failure(client().offerStatus('contoso', 'contoso-vm'));
    expect(error.message).toMatch(
      /answered HTTP 200 with JSON of an unexpected shape at 'steps': .*Body: "\{"status":"running","steps":"none"\}"\./,
    );
    expect(error.transient).toBe(false);
  });

  test('a network failure is transient and says what happened', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: STATUS_PATH })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
      .times(3);
    const error = await failure(client().offerStatus('contoso', 'contoso-vm'));
    expect(error.transient).toBe(true);
    expect(error.message).toBe(
      'GET /api/publishers/contoso/offers/contoso-vm/status failed: the connection was refused (ECONNREFUSED).',
    );
  });

  test('Retry-After is honoured beyond the backoff, up to the deadline', async () => {
    const retries: string[] = [];
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: STATUS_PATH }).reply(429, '', { headers: { 'retry-after': '1' } });
    pool.intercept({ path: STATUS_PATH }).reply(200, fixtures.offerStatus());
    const started = Date.now();
    await client(undefined, retries).offerStatus('contoso', 'contoso-vm');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retries[0]).toMatch(/Retrying in 1\.0s/);
  });

  test('Retry-After past the deadline is cut to the deadline', async () => {
    const retries: string[] = [];
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: STATUS_PATH }).reply(503, '', { headers: { 'retry-after': '3600' } });
    pool.intercept({ path: STATUS_PATH }).reply(200, fixtures.offerStatus());
    await client(undefined, retries).offerStatus('contoso', 'contoso-vm', {
      deadline: Date.now() + 300,
    });
    expect(retries[0]).toMatch(/Retrying in 0\.[0-3]s/);
  });
});

describe('Retry-After', () => {
  test.each([
    ['120', 120_000],
    ['Sat, 21 Nov 2026 12:00:30 GMT', 30_000],
    ['Sat, 21 Nov 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%j is %j ms from 12:00:00', (value, ms) => {
    expect(parseRetryAfter(value, Date.parse('2026-11-21T12:00:00Z'))).toBe(ms);
  });
});
