import { describe, expect, test } from '@jest/globals';
import * as v from 'valibot';
import { StatusBodySchema, toSnapshot } from '../../src/adapters/cpp/snapshot.js';
import { currentStep, unknownStatuses } from '../../src/core/model.js';
import { fixtures, statusBody } from '../../simulator/scenarios.js';

const snapshotOf = (body: unknown) => toSnapshot(v.parse(StatusBodySchema, body));

describe('the seeds', () => {
  test('offer status (seed 000): succeeded, six steps with canonical statuses', () => {
    const s = snapshotOf(fixtures.offerStatus());
    expect(s.status).toBe('succeeded');
    expect(s.reported).toEqual({ value: 'succeeded', known: true });
    expect(s.steps.map((x) => [x.id, x.status, x.progress])).toEqual([
      ['displaydummycertify', 'complete', 100],
      ['displaycertify', 'notStarted', 0],
      ['displayprovision', 'notStarted', 0],
      ['displaypackage', 'notStarted', 0],
      ['publisher-signoff', 'complete', 0],
      ['live', 'complete', 0],
    ]);
    expect(s.steps[0]!.messages).toEqual([
      {
        level: 'information',
        text: 'Step completed.',
        html: 'Step completed.',
        timestamp: '2018-03-16T17:50:45.7215661Z',
      },
    ]);
    expect(s.steps[0]!.name).toBe('Validate Pre-Requisites');
    expect(s.steps[1]!.estimatedTimeFrame).toBe('~2-3 days');
    expect(unknownStatuses(s)).toEqual([]);
  });

  test('operation (seed 002): running, certification blocked with an error message', () => {
    const s = snapshotOf(fixtures.operation());
    expect(s.status).toBe('running');
    expect(s.steps[1]).toMatchObject({ id: 'displaycertify', status: 'blocked' });
    expect(s.steps[1]!.messages.map((m) => m.level)).toEqual(['error', 'information']);
    // The sign-off step of this sample has no estimatedTimeFrame.
    expect(s.steps[4]).toMatchObject({ id: 'publisher-signoff', estimatedTimeFrame: '' });
    expect(currentStep(s)?.id).toBe('displaycertify');
  });

  test("the operation vocabulary (`not started`, `completed`) reads like the offer's", () => {
    const op = fixtures.operation();
    const s = snapshotOf({
      ...op,
      status: 'completed',
      steps: op.steps.map((x) => ({
        ...x,
        status: x.status === 'complete' ? 'completed' : 'running',
      })),
    });
    expect(s.status).toBe('succeeded');
    expect(s.steps.map((x) => x.status)).toEqual([
      'complete',
      'inProgress',
      'inProgress',
      'inProgress',
      'inProgress',
      'inProgress',
    ]);
  });
});

describe('publisher sign-off', () => {
  test('a sign-off step waiting for review makes a running offer wait for review', () => {
    const s = snapshotOf(
      statusBody('running', { 'publisher-signoff': { status: 'waitingForPublisherReview' } }),
    );
    expect(s.reported.value).toBe('running');
    expect(s.status).toBe('waitingForPublisherReview');
  });

  test('the sign-off step is matched by name when its id differs', () => {
    const body = statusBody('Running', {});
    const steps = (body.steps as { id: string; status: string }[]).map((x) =>
      x.id === 'publisher-signoff'
        ? { ...x, id: 'signoff-v2', status: 'WaitingForPublisherReview' }
        : x,
    );
    expect(snapshotOf({ ...body, steps }).status).toBe('waitingForPublisherReview');
  });

  test('an end state of the offer wins over a waiting sign-off step', () => {
    const s = snapshotOf(
      statusBody('failed', { 'publisher-signoff': { status: 'waitingForPublisherReview' } }),
    );
    expect(s.status).toBe('failed');
  });

  test('another step waiting for approval is not the publisher review', () => {
    const s = snapshotOf(
      statusBody('running', { displaycertify: { status: 'waitingForApproval' } }),
    );
    expect(s.status).toBe('running');
  });
});

describe('tolerance', () => {
  test('unknown fields pass; `processPercentage` (the table spelling) is read; odd progress is dropped', () => {
    const s = snapshotOf({
      status: 'running',
      extra: { anything: true },
      steps: [
        { id: 'a', stepName: 'A', status: 'inProgress', processPercentage: 40, surprise: 1 },
        { id: 'b', stepName: 'B', status: 'inProgress', progressPercentage: 'n/a' },
        { id: 'c', stepName: 'C', status: 'inProgress', progressPercentage: '75' },
      ],
    });
    expect(s.steps.map((x) => x.progress)).toEqual([40, null, 75]);
  });

  test('messages as plain strings (the operations table says "Array of strings") are read', () => {
    const s = snapshotOf({
      status: 'running',
      steps: [{ id: 'a', status: 'inProgress', messages: ['Queued &amp; waiting'] }],
    });
    expect(s.steps[0]!.messages[0]).toMatchObject({
      level: 'information',
      text: 'Queued & waiting',
    });
  });

  test('a step without id or name gets a stable placeholder', () => {
    const s = snapshotOf({ status: 'running', steps: [{ status: 'inProgress' }] });
    expect(s.steps[0]).toMatchObject({ id: 'step-1', name: 'Step 1' });
  });

  test('unknown statuses are listed with where they were seen', () => {
    const s = snapshotOf({ status: 'Queued', steps: [{ id: 'a', status: 'Throttled' }] });
    expect(s.status).toBe('Queued');
    expect(unknownStatuses(s)).toEqual([
      { where: 'offer', value: 'Queued' },
      { where: 'step a', value: 'Throttled' },
    ]);
  });

  test('links: http(s) strings and {uri} objects are kept; other schemes are dropped', () => {
    const s = snapshotOf({
      status: 'running',
      previewLinks: [
        'https://a.example/x',
        'javascript:alert(1)',
        { uri: 'http://b.example/y' },
        { displayText: 'no url' },
        7,
      ],
      liveLinks: [],
    });
    expect(s.previewLinks).toEqual(['https://a.example/x', 'http://b.example/y']);
  });

  test.each([
    ['no status', { steps: [] }],
    ['steps not an array', { status: 'running', steps: {} }],
    ['a step that is not an object', { status: 'running', steps: ['x'] }],
    ["the seed's operation sample as printed, wrapped in an array", [fixtures.operation()]],
  ])('the schema rejects a body with %s', (_, body) => {
    expect(v.safeParse(StatusBodySchema, body).success).toBe(false);
  });
});
