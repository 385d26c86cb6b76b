/**
 * Starting the publish and the go-live (`publish`, `go-live`), end to end on both APIs: the action
 * (in-process, on the simulator's clock) against simulators that accept the writes, answer with the
 * real shapes, play what was started, and inject the faults that could make a write repeat. No test
 * ever sees a cancel request.
 */
import { describe, expect, test } from '@jest/globals';
import type { WriteFault } from '../../simulator/common.js';
import { STARTED_JOBS, INGESTION_DEFAULTS } from '../../simulator/ingestion-server.js';
import { NEW_SUBMISSION_ID } from '../../simulator/ingestion-scenarios.js';
import { STARTED_OPERATIONS, SIMULATOR_DEFAULTS } from '../../simulator/server.js';
import { runAgainstSimulator, withSimulator, type Run, failure, neverCancels } from './harness.js';

type Api = 'cloud-partner-portal' | 'product-ingestion';
const APIS: Api[] = ['cloud-partner-portal', 'product-ingestion'];

/** The write requests of a run: `POST publish`, `POST golive`, `POST configure preview|live`. */
function writes(run: Run): string[] {
  return run.sim.requests
    .filter((r) => r.method === 'POST')
    .map((r) => {
      if (r.path.endsWith('/configure')) {
        const body = JSON.parse(r.body ?? '{}') as {
          resources: { target: { targetType: string } }[];
        };
        return `configure ${body.resources[0]!.target.targetType}`;
      }
      return r.path.split('/').at(-1)!;
    });
}

const PUBLISH: Record<Api, string> = {
  'cloud-partner-portal': 'publish',
  'product-ingestion': 'configure preview',
};
const GO_LIVE: Record<Api, string> = {
  'cloud-partner-portal': 'golive',
  'product-ingestion': 'configure live',
};
const STARTED_ID: Record<Api, { publish: string; goLive: string }> = {
  'cloud-partner-portal': STARTED_OPERATIONS,
  'product-ingestion': STARTED_JOBS,
};

/** A simulator of `api` in its scenario for "nothing runs yet", or another. */
function sim(
  api: Api,
  scenario?: string,
  faults: { publish?: WriteFault; goLive?: WriteFault } = {},
) {
  return api === 'product-ingestion'
    ? { api, scenario: scenario ?? 'draft-only', ...faults }
    : { scenario: scenario ?? 'never-published', ...faults };
}

/** Every run is checked for what must never happen: a cancel request. */
const noCancel = neverCancels();

describe.each(APIS)('%s', (api) => {
  test('two steps take the offer from draft to live: publish to the preview, then go live', () =>
    withSimulator(sim(api), async (_, run) => {
      const first = noCancel(await run({ publish: 'true', 'wait-until': 'review' }));
      expect(first.exitCode).toBe(0);
      expect(first.outputs).toMatchObject({
        status: 'waitingForPublisherReview',
        started: 'publish',
        'operation-id': STARTED_ID[api].publish,
      });
      expect(writes(first)).toEqual([PUBLISH[api]]);
      expect(first.log).toMatch(
        new RegExp(
          `Started a publish of offer [^ ]*contoso-vm at \\d{4}-\\d\\d-\\d\\dT[^ ]+Z \\((operation|configure job) ${STARTED_ID[api].publish}\\)\\.`,
        ),
      );
      expect(first.summary).toContain(
        `<td><strong>Started by this step</strong></td><td>publish at `,
      );

      const second = noCancel(await run({ 'go-live': 'true', 'wait-until': 'completion' }));
      expect(second.exitCode).toBe(0);
      expect(second.outputs).toMatchObject({
        status: 'succeeded',
        started: 'go-live',
        'operation-id': STARTED_ID[api].goLive,
      });
      expect(writes(second)).toEqual([GO_LIVE[api]]);
      expect(second.log).toContain('Asked to go live: offer');
    }));

  test('publish and go-live in one step run the whole way without a person', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api), { publish: 'true', 'go-live': 'true' }),
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'succeeded', started: 'publish,go-live' });
    expect(writes(run)).toEqual([PUBLISH[api], GO_LIVE[api]]);
    // wait-until review (the default) no longer stops at the sign-off once a go-live is asked for.
    expect(run.log).toContain('Will publish, then go-live at the sign-off; following');
  });

  test('a publish that already runs is joined, and nothing is sent; a warning when it may not hold the draft', async () => {
    const run = noCancel(
      await runAgainstSimulator(
        sim(api, api === 'product-ingestion' ? 'stuck-in-certification' : 'publish-to-live'),
        {
          publish: 'true',
          timeout: '3s',
          'fail-on-timeout': 'false',
        },
      ),
    );
    expect(writes(run)).toEqual([]);
    expect(run.outputs.started).toBe('');
    expect(JSON.parse(run.outputs.plan!)[run.sim.offerId].publish).toBe('join');
    const joined = run.annotations.filter((a) => a.includes('following it instead of starting'));
    if (api === 'product-ingestion') {
      // Its preview holds the draft (the simulator serves what a running preview carries): this
      // release's, said plainly.
      expect(joined).toEqual([]);
      expect(run.log).toMatch(
        /runs \(preview submission [^)]+\): following it instead of starting another\. It holds the draft/,
      );
    } else {
      // CPP cannot tell what it holds.
      expect(joined).toEqual([
        expect.stringContaining('started elsewhere and may not hold your latest changes'),
      ]);
    }
  });

  test.each<[WriteFault, number]>([
    ['drop-after-acting', 1],
    ['stall-after-acting', 1],
    ['500-after-acting', 1],
  ])(
    'a publish that %s is looked for, found running and followed, never sent twice',
    async (fault, posts) => {
      const run = noCancel(
        await runAgainstSimulator(sim(api, undefined, { publish: fault }), {
          publish: 'true',
          'request-timeout': '2s',
        }),
      );
      expect(writes(run)).toHaveLength(posts);
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({
        status: 'waitingForPublisherReview',
        started: 'publish',
      });
      expect(run.log).toContain('may still have reached the service; looking 2 times');
      expect(run.log).toContain('seen in the listing after an unclear answer');
    },
  );

  test('a 503 before the service acted: looked for, nothing runs, sent once more', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, undefined, { publish: '503-before-acting' }), {
        publish: 'true',
      }),
    );
    expect(writes(run)).toEqual([PUBLISH[api], PUBLISH[api]]);
    // Between the two, a look for a running publish.
    const order = run.sim.requests.map((r) => r.method);
    const [firstPost, secondPost] = [order.indexOf('POST'), order.lastIndexOf('POST')];
    expect(secondPost - firstPost).toBeGreaterThan(1);
    expect(run.outputs).toMatchObject({ status: 'waitingForPublisherReview', started: 'publish' });
  });

  test('a 429 with Retry-After is sent again after the wait asked for', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, undefined, { publish: '429-once' }), { publish: 'true' }),
    );
    const posts = run.sim.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
    expect(run.outputs.started).toBe('publish');
  });

  test('a 409 (another publish won the race) is joined, not sent again', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, undefined, { publish: 'conflict' }), { publish: 'true' }),
    );
    expect(writes(run)).toEqual([PUBLISH[api]]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'waitingForPublisherReview', started: '' });
    expect(run.annotations.join('\n')).toContain('won the race');
  });

  test.each<[WriteFault, RegExp]>([
    [
      'validation',
      /answered HTTP 422 \((ValidationFailed|businessValidationError): Plan 'contoso-vm-gen2' has no VM image/,
    ],
    ['bad-request', /answered HTTP 400 \((BadRequest|badRequest): The request is not valid/],
  ])('a %s answer ends the step with the service code and message', async (fault, said) => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, undefined, { publish: fault }), {
        publish: 'true',
        'go-live': 'true',
      }),
    );
    expect(run.exitCode).toBe(1);
    expect(writes(run)).toEqual([PUBLISH[api]]);
    expect(failure(run)).toMatch(/^The publish request was refused: POST /);
    expect(failure(run)).toMatch(said);
    expect(run.outputs.started).toBe('');
  });

  test('go-live waits through certification and is sent once, at the sign-off', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, 'publish-to-signoff'), {
        'go-live': 'true',
        'wait-until': 'completion',
      }),
    );
    expect(run.exitCode).toBe(0);
    expect(writes(run)).toEqual([GO_LIVE[api]]);
    expect(run.outputs).toMatchObject({ status: 'succeeded', started: 'go-live' });
    // The go-live follows the read that showed the sign-off, not an earlier one.
    const log = run.log;
    expect(log.indexOf('Asked to go live')).toBeGreaterThan(
      log.indexOf('→ waitingForPublisherReview'),
    );
  });

  test('go-live on a failed publish is never sent', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, 'certification-failed'), { 'go-live': 'true' }),
    );
    expect(run.exitCode).toBe(1);
    expect(writes(run)).toEqual([]);
    expect(run.outputs.started).toBe('');
  });

  test('go-live on an offer that is live already sends nothing', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, api === 'product-ingestion' ? 'live' : 'succeeded'), {
        'go-live': 'true',
      }),
    );
    expect(run.exitCode).toBe(0);
    expect(writes(run)).toEqual([]);
    expect(run.outputs).toMatchObject({ status: 'succeeded', started: '' });
  });

  test('a go-live whose connection drops after the service acted is not sent again', async () => {
    const run = noCancel(
      await runAgainstSimulator(sim(api, undefined, { goLive: 'drop-after-acting' }), {
        publish: 'true',
        'go-live': 'true',
      }),
    );
    expect(writes(run)).toEqual([PUBLISH[api], GO_LIVE[api]]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
  });

  test('cancelled after the publish was sent: the summary says it goes on; nothing is cancelled', async () => {
    const run = noCancel(
      await runAgainstSimulator(
        sim(api),
        { publish: 'true', 'poll-interval': '30s' },
        {
          // Cancelled (as SIGINT does) once the publish was sent and a read followed it.
          cancelWhen: (s) =>
            s.requests.some((r) => r.method === 'POST') && s.requests.at(-1)?.method === 'GET',
        },
      ),
    );
    expect(run.exitCode).not.toBe(0);
    expect(writes(run)).toEqual([PUBLISH[api]]);
    expect(run.outputs.started).toBe('publish');
    expect(failure(run)).toMatch(
      /The workflow was cancelled.*This step started: publish at .*; it goes on, nothing was cancelled\./,
    );
    expect(run.summary).toContain('Started by this step');
  });
});

describe('cloud-partner-portal: following the operation the 202 names', () => {
  test.each([
    [
      'location',
      `/api/publishers/contoso/offers/contoso-vm/operations/${STARTED_OPERATIONS.publish}`,
      STARTED_OPERATIONS.publish,
    ],
    [
      'operation-location',
      `/api/publishers/contoso/offers/contoso-vm/operations/${STARTED_OPERATIONS.publish}`,
      STARTED_OPERATIONS.publish,
    ],
    [
      'non-migrated',
      '/api/operations/contoso%24contoso-vm%242%24preview',
      'contoso$contoso-vm$2$preview',
    ],
  ] as const)(
    '%s: the address given is read, resolved against base-url',
    async (addressing, path, id) => {
      const run = noCancel(
        await runAgainstSimulator({ scenario: 'never-published', addressing }, { publish: 'true' }),
      );
      expect(run.exitCode).toBe(0);
      const after = run.sim.requests.slice(
        run.sim.requests.findIndex((r) => r.method === 'POST') + 1,
      );
      expect(after.length).toBeGreaterThan(0);
      for (const r of after) {
        expect(r.path).toBe(path);
        expect(r.query['api-version']).toBe('2017-10-31');
      }
      expect(run.outputs).toMatchObject({
        'operation-id': id,
        status: 'waitingForPublisherReview',
      });
    },
  );

  test('an address on another origin is refused: no token goes there, the operation is looked up', async () => {
    const run = noCancel(
      await runAgainstSimulator(
        { scenario: 'never-published', addressing: 'foreign' },
        { publish: 'true' },
      ),
    );
    expect(run.exitCode).toBe(0);
    expect(run.annotations.join('\n')).toContain(
      'is on another origin (https://cloudpartner.example.invalid)',
    );
    expect(run.outputs['operation-id']).toBe(STARTED_OPERATIONS.publish);
    expect(run.sim.requests.at(-1)!.path).toBe(
      `/api/publishers/contoso/offers/contoso-vm/operations/${STARTED_OPERATIONS.publish}`,
    );
  });

  test('notification-emails go in the publish body as metadata', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'never-published' },
      {
        publish: 'true',
        'notification-emails': 'release@contoso.com, ops@contoso.com',
        'wait-until': 'none',
      },
    );
    const post = run.sim.requests.find((r) => r.method === 'POST')!;
    expect(JSON.parse(post.body!)).toEqual({
      metadata: { 'notification-emails': 'release@contoso.com,ops@contoso.com' },
    });
    expect(post.authorization).toBe(`Bearer ${SIMULATOR_DEFAULTS.token}`);
  });

  test('publish with operation-id is an input error; nothing is sent', async () => {
    const run = await runAgainstSimulator(
      { scenario: 'never-published' },
      { publish: 'true', 'operation-id': SIMULATOR_DEFAULTS.operationId },
    );
    expect(run.exitCode).toBe(1);
    expect(failure(run)).toMatch(/^Input 'operation-id': is set together with publish: true/);
    expect(run.sim.requests).toEqual([]);
  });
});

describe('product-ingestion: the configure requests', () => {
  test('publish sends a preview submission; go-live a live one with the preview id', async () => {
    const run = noCancel(
      await runAgainstSimulator(
        { api: 'product-ingestion', scenario: 'draft-only' },
        { publish: 'true', 'go-live': 'true' },
      ),
    );
    const bodies = run.sim.requests
      .filter((r) => r.method === 'POST')
      .map((r) => JSON.parse(r.body!));
    const product = `product/${INGESTION_DEFAULTS.productGuid}`;
    expect(bodies).toEqual([
      {
        $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-07-01',
        resources: [
          {
            $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
            product,
            target: { targetType: 'preview' },
          },
        ],
      },
      {
        $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-07-01',
        resources: [
          {
            $schema: 'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2',
            id: NEW_SUBMISSION_ID,
            product,
            target: { targetType: 'live' },
          },
        ],
      },
    ]);
    // Each job is followed to its end, then the submissions.
    const paths = run.sim.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`GET /configure/${STARTED_JOBS.publish}/status`);
    expect(paths).toContain(`GET /configure/${STARTED_JOBS.goLive}/status`);
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'operation-id': STARTED_JOBS.goLive });
  });
});
