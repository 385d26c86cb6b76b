import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { MockAgent } from 'undici';
import { ApiError, httpError } from '../../src/http/api-error.js';
import { CppClient } from '../../src/adapters/cpp/client.js';
import { cloudPartnerPortal } from '../../src/adapters/cpp/index.js';
import { HttpClient, type ClientOptions, type TokenSource } from '../../src/http/client.js';
import { parseRetryAfter } from '../../src/http/retry.js';
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

  test('every operation is listed, whatever its state (no status filter)', async () => {
    agent
      .get(ORIGIN)
      .intercept({
        path: '/api/publishers/contoso/offers/contoso-vm/submissions?api-version=2017-10-31',
      })
      .reply(200, fixtures.submissions());
    expect((await client().submissions('contoso', 'contoso-vm'))[0]!.id).toBe(
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

  test('an answer over 8 MiB is not read on; its status is kept (a 2xx write may have started)', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: STATUS_PATH })
      .reply(202, `{"status":"${'x'.repeat(9 * 1024 * 1024)}"}`);
    const error = await failure(client().offerStatus('contoso', 'contoso-vm'));
    expect(error.message).toBe(
      'GET /api/publishers/contoso/offers/contoso-vm/status answered HTTP 202 with a body larger than 8 MiB.',
    );
    expect(error.details).toMatchObject({ kind: 'body', status: 202 });
    expect(error.transient).toBe(false);
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
    // The client's clock stands still, so the cut is exact whatever the machine's load. The wait
    // ends at the deadline, where the retry may or may not still be sent (p-retry's own budget reads
    // the real clock): what is checked is the wait, not the read's result.
    const at = Date.now();
    await cpp(ORIGIN, {
      tokens: tokens('tok'),
      dispatcher: agent,
      retryMinDelayMs: 5,
      retryMaxDelayMs: 20,
      retries: 2,
      now: () => at,
      onRetry: (m) => retries.push(m),
    })
      .offerStatus('contoso', 'contoso-vm', { deadline: at + 1000 })
      .catch(() => undefined);
    expect(retries).toEqual([expect.stringMatching(/Retrying in 1\.0s \(2 left\)\.$/)]);
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

describe('error details', () => {
  const PLAN = 'plan/8c1e5b3a-2f4d-4e6a-9b7c-0d1e2f3a4b5c/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
  /** A detail as Graph workloads send them: `{code, message, target, details[]}`. */
  const detail = (code: string, message: string, more: object = {}) => ({ code, message, ...more });
  const body = (error: object) => JSON.stringify({ error });

  type Row = [string, object, string, string | undefined];
  const table: Row[] = [
    // [name, error, what the message says in its brackets, serviceMessage]
    [
      "product-ingestion's 400: the detail names the resource it is about",
      {
        code: 'badRequest',
        message: 'The request is not valid.',
        details: [detail('invalidResource', 'The plan has no image.', { target: PLAN })],
      },
      `badRequest: The request is not valid. (details: invalidResource: ${PLAN}: The plan has no image.)`,
      `The request is not valid. (details: invalidResource: ${PLAN}: The plan has no image.)`,
    ],
    [
      'nested details follow their parent, in order',
      {
        code: 'BusinessValidationError',
        message: 'Validation failed.',
        details: [
          detail('schemaValidationError', 'Invalid resource.', {
            target: '$.resources[0]',
            details: [detail('required', "Property 'skus' is required.")],
          }),
          detail('invalidState', 'Certification is pending.'),
        ],
      },
      "BusinessValidationError: Validation failed. (details: schemaValidationError: $.resources[0]: Invalid resource.; required: Property 'skus' is required.; invalidState: Certification is pending.)",
      "Validation failed. (details: schemaValidationError: $.resources[0]: Invalid resource.; required: Property 'skus' is required.; invalidState: Certification is pending.)",
    ],
    [
      "a conflict told only in a detail's message reaches serviceMessage",
      {
        code: 'conflict',
        message: 'The request conflicts with the current state.',
        details: [detail('invalidState', 'An In Progress submission already exists.')],
      },
      'conflict: The request conflicts with the current state. (details: invalidState: An In Progress submission already exists.)',
      'The request conflicts with the current state. (details: invalidState: An In Progress submission already exists.)',
    ],
    [
      'details without a top message',
      { code: 'badRequest', details: [detail('invalidId', 'Not a product id.')] },
      'badRequest: details: invalidId: Not a product id.',
      'details: invalidId: Not a product id.',
    ],
    [
      'entries that are not objects, or say nothing, are skipped; their details are not',
      {
        code: 'badRequest',
        message: 'Invalid.',
        details: ['text', null, 7, {}, { details: [detail('inner', 'Found.')] }],
      },
      'badRequest: Invalid. (details: inner: Found.)',
      'Invalid. (details: inner: Found.)',
    ],
    [
      'details that are not an array are ignored (as before)',
      { code: 'InvalidAPIVersion', message: 'The api-version is invalid.', details: 'n/a' },
      'InvalidAPIVersion: The api-version is invalid.',
      'The api-version is invalid.',
    ],
    [
      'every text is flattened to one line',
      {
        code: 'bad\nRequest',
        message: 'Line one.\r\n::error::pwned',
        details: [detail('x\u2028y', 'a\n##[error]b', { target: 't\u0000' })],
      },
      'bad Request: Line one. ::error::pwned (details: x y: t: a ##[error]b)',
      'Line one. ::error::pwned (details: x y: t: a ##[error]b)',
    ],
  ];
  test.each(table)('%s', (_name, error, said, serviceMessage) => {
    const e = httpError('POST /rp/product-ingestion/configure', 400, body(error));
    expect(e.message).toBe(`POST /rp/product-ingestion/configure answered HTTP 400 (${said}).`);
    expect(e.details.serviceMessage).toBe(serviceMessage);
    // eslint-disable-next-line no-control-regex
    expect(e.message).not.toMatch(/[\r\n\u2028\u0000]/);
  });

  test('the code is kept as sent (one line) for the callers that match it', () => {
    const e = httpError('GET /x', 409, body({ code: 'conflict', message: 'm', details: [] }));
    expect(e.details.code).toBe('conflict');
    expect(e.details.serviceMessage).toBe('m');
  });

  test('at most 10 details; more are shown as an ellipsis', () => {
    const details = Array.from({ length: 25 }, (_, i) => detail(`c${i}`, `m${i}`));
    const e = httpError('GET /x', 400, body({ code: 'badRequest', message: 'M.', details }));
    const listed = Array.from({ length: 10 }, (_, i) => `c${i}: m${i}`).join('; ');
    expect(e.message).toBe(`GET /x answered HTTP 400 (badRequest: M. (details: ${listed}; …)).`);
  });

  test('at most 4 levels deep; deeper ones are shown as an ellipsis', () => {
    let deep: Record<string, unknown> = detail('c6', 'm');
    for (let i = 5; i >= 1; i--) deep = detail(`c${i}`, 'm', { details: [deep] });
    const e = httpError(
      'GET /x',
      400,
      body({ code: 'badRequest', message: 'M.', details: [deep] }),
    );
    expect(e.details.serviceMessage).toBe('M. (details: c1: m; c2: m; c3: m; c4: m; …)');
  });

  test('each detail is clipped; the whole stays bounded whatever the service sends', () => {
    const huge = 'x'.repeat(20_000);
    const details = Array.from({ length: 30 }, () =>
      detail('c', huge, { details: [detail('d', huge)] }),
    );
    const e = httpError('GET /x', 400, body({ code: 'badRequest', message: 'M.', details }));
    expect(e.message).toContain(`; c: ${'x'.repeat(297)}…; d: ${'x'.repeat(297)}…; `);
    expect(e.message.length).toBeLessThan(10 * 310 + 200);
  });

  test('a 400 from the service carries its details to the error', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: STATUS_PATH })
      .reply(400, {
        error: {
          code: 'badRequest',
          message: 'The request is not valid.',
          details: [detail('invalidId', "'contoso vm' is not an offer id.", { target: 'offerId' })],
        },
      });
    const error = await failure(client().offerStatus('contoso', 'contoso-vm'));
    expect(error.message).toBe(
      'GET /api/publishers/contoso/offers/contoso-vm/status answered HTTP 400 (badRequest: The request ' +
        "is not valid. (details: invalidId: offerId: 'contoso vm' is not an offer id.)).",
    );
  });
});
