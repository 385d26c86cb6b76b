import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { End } from '../../src/core/end.js';
import type { Snapshot } from '../../src/core/model.js';
import { stepsJson, toOutputs } from '../../src/core/outputs.js';
import type { StartedWrite } from '../../src/core/started.js';
import { STEP_IDS } from '../../simulator/scenarios.js';
import { snapshot } from './helpers.js';
import {
  LIVE,
  PREVIEW,
  TIMEOUT,
  certifying,
  complete,
  live,
  outcome,
  write,
} from './offers-fixtures.js';

/** Everything done up to the sign-off, which waits for a person. */
const inReview = (): Snapshot =>
  snapshot(
    'running',
    {
      ...complete(STEP_IDS.slice(0, 4)),
      'publisher-signoff': { status: 'waitingForPublisherReview', progress: 0 },
    },
    { previewLinks: [PREVIEW, { uri: `${PREVIEW}-2` }, 'javascript:alert(1)'] },
  );

const REVIEW: End = { kind: 'review' };
const LIVE_END: End = { kind: 'end-state', status: 'succeeded' };

/** The outputs this file is about (others, such as deployment tracking's, are tested elsewhere). */
const KEYS = [
  'status',
  'timed-out',
  'operation-id',
  'steps',
  'current-step',
  'preview-links',
  'live-links',
  'started',
  'offers',
];

const pick = (out: Record<string, string>) =>
  Object.fromEntries(KEYS.filter((k) => k in out).map((k) => [k, out[k]]));

describe('toOutputs for one offer', () => {
  test.each([
    {
      name: 'running, timed out, publish started',
      make: () =>
        outcome('contoso-vm', certifying(), TIMEOUT, {
          operationId: 'op-1',
          started: [write('publish', 'op-1')],
          failed: true,
        }),
      status: 'running',
      timedOut: 'true',
      operationId: 'op-1',
      currentStep: 'displaycertify',
      preview: '[]',
      live: '[]',
      started: 'publish',
    },
    {
      name: 'in review, links kept (http(s) only)',
      make: () => outcome('contoso-vm', inReview(), REVIEW, { operationId: 'op-2' }),
      status: 'waitingForPublisherReview',
      timedOut: 'false',
      operationId: 'op-2',
      currentStep: 'publisher-signoff',
      preview: JSON.stringify([PREVIEW, `${PREVIEW}-2`]),
      live: '[]',
      started: '',
    },
    {
      name: 'live after publish and go-live',
      make: () =>
        outcome('contoso-vm', live(), LIVE_END, {
          operationId: 'op-3',
          started: [write('publish', 'op-3'), write('go-live', 'op-4')],
        }),
      status: 'succeeded',
      timedOut: 'false',
      operationId: 'op-3',
      currentStep: '',
      preview: JSON.stringify([PREVIEW]),
      live: JSON.stringify([LIVE]),
      started: 'publish,go-live',
    },
    {
      name: 'never read',
      make: () =>
        outcome('contoso-vm', undefined, { kind: 'error', message: 'HTTP 404' }, { failed: true }),
      status: '',
      timedOut: 'false',
      operationId: '',
      currentStep: '',
      preview: '[]',
      live: '[]',
      started: '',
    },
  ])(
    '$name: the single-offer outputs, exactly, plus offers',
    ({ make, status, timedOut, operationId, currentStep, preview, live, started }) => {
      const o = make();
      const out = toOutputs([o]);
      expect(Object.keys(out)).toEqual(expect.arrayContaining(KEYS));
      expect(pick(out)).toEqual({
        status,
        'timed-out': timedOut,
        'operation-id': operationId,
        steps: stepsJson(o.snapshot),
        'current-step': currentStep,
        'preview-links': preview,
        'live-links': live,
        started,
        offers: JSON.stringify({
          'contoso-vm': {
            status,
            'timed-out': timedOut === 'true',
            'operation-id': operationId,
            'current-step': currentStep,
            started,
            'preview-id': '',
            'preview-links': JSON.parse(preview),
            'live-links': JSON.parse(live),
          },
        }),
      });
    },
  );

  test("the steps output is the offer's own steps, not []", () => {
    const out = toOutputs([outcome('contoso-vm', certifying(), TIMEOUT)]);
    const steps = JSON.parse(out.steps) as { id: string; status: string; progress: number }[];
    expect(steps.map((s) => [s.id, s.status, s.progress])).toEqual([
      ['displaydummycertify', 'complete', 100],
      ['displaycertify', 'inProgress', 60],
      ['displayprovision', 'notStarted', 0],
      ['displaypackage', 'notStarted', 0],
      ['publisher-signoff', 'notStarted', 0],
      ['live', 'notStarted', 0],
    ]);
    expect(JSON.parse(out.steps)[1].messages).toEqual([
      {
        level: 'warning',
        text: 'Plan contoso-vm has no support link.',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    ]);
  });
});

describe('toOutputs for several offers', () => {
  const three = () => [
    outcome('contoso-vm', certifying(), TIMEOUT, {
      operationId: 'op-a',
      started: [write('go-live', 'op-a')],
    }),
    outcome('contoso-app', inReview(), REVIEW, {
      operationId: 'op-b',
      started: [write('publish', 'op-b')],
    }),
    outcome('contoso-saas', live(), LIVE_END),
  ];

  test('rollup status, timed-out if any, started in publish,go-live order, the rest empty', () => {
    const out = toOutputs(three());
    // The same outputs as for one offer.
    expect(Object.keys(out).sort()).toEqual(
      Object.keys(toOutputs([outcome('contoso-vm', live(), LIVE_END)])).sort(),
    );
    expect({ ...pick(out), offers: undefined }).toEqual({
      status: 'running',
      'timed-out': 'true',
      'operation-id': '',
      steps: '[]',
      'current-step': '',
      'preview-links': '[]',
      'live-links': '[]',
      started: 'publish,go-live',
      offers: undefined,
    });
  });

  test('offers: one entry per offer, in input order, exactly', () => {
    const out = toOutputs(three());
    expect(out.offers).toBe(
      '{"contoso-vm":{"status":"running","timed-out":true,"operation-id":"op-a",' +
        '"current-step":"displaycertify","started":"go-live","preview-id":"","preview-links":[],"live-links":[]},' +
        '"contoso-app":{"status":"waitingForPublisherReview","timed-out":false,' +
        '"operation-id":"op-b","current-step":"publisher-signoff","started":"publish","preview-id":"",' +
        `"preview-links":["${PREVIEW}","${PREVIEW}-2"],"live-links":[]},` +
        '"contoso-saas":{"status":"succeeded","timed-out":false,"operation-id":"",' +
        `"current-step":"","started":"","preview-id":"","preview-links":["${PREVIEW}"],"live-links":["${LIVE}"]}}`,
    );
  });

  test.each([
    // statuses (undefined: never read), ends, → status, timed-out
    [['failed', 'running', 'succeeded'], ['fail-on', 'timeout', 'end-state'], 'failed', 'true'],
    [
      ['succeeded', 'canceled', undefined],
      ['end-state', 'end-state', 'error'],
      'canceled',
      'false',
    ],
    [['neverPublished', 'succeeded'], ['end-state', 'end-state'], 'neverPublished', 'false'],
    [['Queued', 'succeeded'], ['timeout', 'end-state'], 'running', 'true'],
    [['notStarted', 'waitingForPublisherReview'], ['single-read', 'review'], 'running', 'false'],
    [
      ['waitingForPublisherReview', 'succeeded'],
      ['review', 'end-state'],
      'waitingForPublisherReview',
      'false',
    ],
    [
      ['succeeded', 'succeeded', 'succeeded'],
      ['end-state', 'end-state', 'end-state'],
      'succeeded',
      'false',
    ],
    [[undefined, undefined], ['error', 'cancelled'], '', 'false'],
    [[undefined, undefined], ['timeout', 'timeout'], '', 'true'],
  ] as [(string | undefined)[], End['kind'][], string, string][])(
    '%j ended by %j → status %j, timed-out %s',
    (statuses, ends, status, timedOut) => {
      const outcomes = statuses.map((s, i) => {
        const kind = ends[i]!;
        const end: End =
          kind === 'timeout'
            ? TIMEOUT
            : kind === 'error'
              ? { kind, message: 'x' }
              : kind === 'end-state' || kind === 'fail-on'
                ? { kind, status: s ?? '' }
                : kind === 'draft-changed'
                  ? { kind, sent: true, preview: '', live: '' }
                  : kind === 'exported'
                    ? { kind, target: 'draft', folder: 'offer', files: 1, written: 1 }
                    : { kind };
        return outcome(`offer-${i}`, s === undefined ? undefined : snapshot(s, {}), end);
      });
      const out = toOutputs(outcomes);
      expect(out.status).toBe(status);
      expect(out['timed-out']).toBe(timedOut);
      const offers = JSON.parse(out.offers) as Record<string, { status: string }>;
      expect(Object.keys(offers)).toEqual(statuses.map((_, i) => `offer-${i}`));
      expect(Object.values(offers).map((o) => o.status)).toEqual(statuses.map((s) => s ?? ''));
    },
  );

  test.each([
    [[['go-live'], ['publish'], []], 'publish,go-live'],
    [[['publish'], ['publish'], ['publish']], 'publish'],
    [[['go-live'], []], 'go-live'],
    [[[], ['publish', 'go-live']], 'publish,go-live'],
    [[[], []], ''],
  ] as [StartedWrite['name'][][], string][])('started %j → %j', (names, expected) => {
    const outcomes = names.map((n, i) =>
      outcome(`offer-${i}`, live(), LIVE_END, { started: n.map((x) => write(x)) }),
    );
    const out = toOutputs(outcomes);
    expect(out.started).toBe(expected);
    expect(
      Object.values(JSON.parse(out.offers) as Record<string, { started: string }>).map(
        (o) => o.started,
      ),
    ).toEqual(names.map((n) => n.join(',')));
  });
});

describe('action.yml', () => {
  // What users read, and what actionlint checks `steps.<id>.outputs.offers` against.
  test('declares the offers output', () => {
    const yml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
    const outputs = yml.slice(yml.indexOf('\noutputs:'), yml.indexOf('\nruns:'));
    expect(outputs).toMatch(/\n {2}offers:\n/);
  });
});
