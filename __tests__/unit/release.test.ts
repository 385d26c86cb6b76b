/**
 * The one planner: what a step sends for one offer, from what the inputs ask and what the service
 * shows. The dry run and the real run both call it, so these are the rules of both.
 */
import { describe, expect, test } from '@jest/globals';
import {
  nothingPlanned,
  planRelease,
  whyNoGoLive,
  type ReleaseAsk,
  type ReleaseState,
} from '../../src/core/release.js';

const PREVIEW = 'submission/e6b2b49b/1152921515689848683';
const TC = 'virtual-machine-plan-technical-configuration/e6b2b49b/4c7d2e91';

const ask = (o: Partial<ReleaseAsk> = {}): ReleaseAsk => ({
  publish: true,
  goLive: false,
  changeAsked: false,
  configure: [],
  previewId: '',
  ...o,
});
const state = (o: Partial<ReleaseState> = {}): ReleaseState => ({
  known: true,
  pushes: [],
  carries: false,
  ...o,
});
const running = { kind: 'publish' as const, id: PREVIEW };

describe('publish', () => {
  test('a change to send: started after it, or after the publish that runs', () => {
    const change = ask({ changeAsked: true, configure: [TC] });
    expect(planRelease(change, state()).publish).toBe('start');
    const busy = state({ running, preview: { id: PREVIEW, state: 'running' } });
    expect(planRelease(change, busy).publish).toBe('wait-then-start');
  });

  test('one runs and nothing is to send: joined, never doubled nor restarted', () => {
    const busy = state({ running, preview: { id: PREVIEW, state: 'running' }, pushes: ['x'] });
    expect(planRelease(ask(), busy).publish).toBe('join');
  });

  test('the latest preview holds the draft: none sent, it is followed', () => {
    for (const s of ['signoff', 'live'] as const) {
      expect(planRelease(ask(), state({ preview: { id: PREVIEW, state: s } })).publish).toBe(
        'none',
      );
    }
  });

  test('the draft holds what the preview lacks, the preview failed, or none exists: started', () => {
    const ahead = state({ preview: { id: PREVIEW, state: 'signoff' }, pushes: ['listing title'] });
    expect(planRelease(ask(), ahead)).toMatchObject({
      publish: 'start',
      pushes: ['listing title'],
    });
    expect(planRelease(ask(), state({ preview: { id: PREVIEW, state: 'failed' } })).publish).toBe(
      'start',
    );
    expect(planRelease(ask(), state()).publish).toBe('start');
  });

  test('CPP, where the preview is not known: started unless one runs (joined)', () => {
    expect(planRelease(ask(), state({ known: false })).publish).toBe('start');
    expect(planRelease(ask(), state({ known: false, running })).publish).toBe('join');
  });

  test('without publish: none, and nothing pushed', () => {
    expect(planRelease(ask({ publish: false }), state({ pushes: ['x'] }))).toEqual({
      configure: [],
      publish: 'none',
      goLive: 'none',
      pushes: [],
    });
  });
});

describe('go-live', () => {
  const signoff = { id: PREVIEW, state: 'signoff' as const };

  test("this step's own publish: sent at its sign-off", () => {
    expect(planRelease(ask({ goLive: true }), state()).goLive).toBe('send');
  });

  test('a re-run: the preview at its sign-off that is the draft is pushed live', () => {
    expect(planRelease(ask({ goLive: true }), state({ preview: signoff })).goLive).toBe('send');
  });

  test('a re-run with change inputs: sent only when the preview carries the change', () => {
    const change = ask({ goLive: true, changeAsked: true });
    expect(planRelease(change, state({ preview: signoff, carries: true })).goLive).toBe('send');
    const joined = state({ running, preview: { id: PREVIEW, state: 'running' }, carries: false });
    expect(planRelease(change, joined)).toMatchObject({ publish: 'join', goLive: 'none' });
    expect(whyNoGoLive(change, joined, planRelease(change, joined))).toMatch(
      /does not carry this step's change/,
    );
  });

  test('without publish (the go-live job): the preview at the sign-off, pinned or not', () => {
    const job = ask({ publish: false, goLive: true });
    expect(planRelease(job, state({ preview: signoff, pushes: ['listing title'] })).goLive).toBe(
      'send',
    );
    expect(planRelease({ ...job, previewId: PREVIEW }, state({ preview: signoff })).goLive).toBe(
      'send',
    );
    const other = { ...job, previewId: 'submission/e6b2b49b/1' };
    expect(planRelease(other, state({ preview: signoff })).goLive).toBe('none');
  });

  test('live, going live, failed or never published: nothing to push', () => {
    const job = ask({ publish: false, goLive: true });
    expect(planRelease(job, state({ preview: { id: PREVIEW, state: 'live' } })).goLive).toBe(
      'none',
    );
    const goingLive = state({ preview: signoff, running: { kind: 'go-live', id: PREVIEW } });
    expect(planRelease(job, goingLive).goLive).toBe('none');
    expect(planRelease(job, state({ preview: { id: PREVIEW, state: 'failed' } })).goLive).toBe(
      'none',
    );
    expect(planRelease(job, state()).goLive).toBe('none');
  });

  test('CPP: a joined publish is never pushed live', () => {
    expect(planRelease(ask({ goLive: true }), state({ known: false, running })).goLive).toBe(
      'none',
    );
  });
});

describe('why no go-live is sent, in words', () => {
  const signoff = { id: PREVIEW, state: 'signoff' as const };
  const why = (a: Partial<ReleaseAsk>, s: Partial<ReleaseState>) => {
    const asked = ask({ goLive: true, ...a });
    const facts = state(s);
    const plan = planRelease(asked, facts);
    expect(plan.goLive).toBe('none');
    return whyNoGoLive(asked, facts, plan);
  };

  test.each<[string, Partial<ReleaseAsk>, Partial<ReleaseState>, string]>([
    [
      'CPP joined',
      {},
      { known: false, running },
      "the publish that runs was started elsewhere and may not hold this run's changes",
    ],
    ['no preview', { publish: false }, {}, 'the offer has no preview to push live'],
    [
      'live',
      { publish: false },
      { preview: { id: PREVIEW, state: 'live' } },
      `the latest preview (${PREVIEW}) is live already`,
    ],
    [
      'failed',
      { publish: false },
      { preview: { id: PREVIEW, state: 'failed' } },
      `the latest preview (${PREVIEW}) failed`,
    ],
    [
      'going live',
      { publish: false },
      { preview: signoff, running: { kind: 'go-live', id: PREVIEW } },
      `a go-live runs already (${PREVIEW})`,
    ],
    [
      'another preview pinned',
      { publish: false, previewId: 'submission/x/1' },
      { preview: signoff },
      `the latest preview is ${PREVIEW}, not submission/x/1 (preview-id)`,
    ],
    [
      'a change still to send',
      { publish: false, changeAsked: true, configure: [TC] },
      { preview: signoff },
      'the change is not in any preview yet (publish: true publishes it)',
    ],
    [
      'a preview without the change',
      { publish: false, changeAsked: true },
      { preview: signoff, carries: false },
      `the latest preview (${PREVIEW}) does not carry this step's change`,
    ],
    [
      'a running preview that lacks the draft',
      {},
      {
        running,
        preview: { id: PREVIEW, state: 'running' },
        pushes: ['listing title', 'plan gen1 price', 'a', 'b'],
      },
      `the latest preview (${PREVIEW}) lacks what the draft holds since (listing title, plan gen1 price, a)`,
    ],
  ])('%s', (_name, a, s, words) => {
    expect(why(a, s)).toBe(words);
  });

  test('a step that sends nothing plans nothing, each time a new plan', () => {
    const one = nothingPlanned();
    expect(one).toEqual({ configure: [], publish: 'none', goLive: 'none', pushes: [] });
    one.configure.push('x');
    expect(nothingPlanned().configure).toEqual([]);
  });
});

describe('the whole plan, row by row', () => {
  const signoff = { id: PREVIEW, state: 'signoff' as const };
  const certifying = { id: PREVIEW, state: 'running' as const };
  const plan = (
    configure: string[],
    publish: string,
    goLive: string,
    pushes: string[] = [],
  ): object => ({ configure, publish, goLive, pushes });

  test.each<[string, Partial<ReleaseAsk>, Partial<ReleaseState>, object]>([
    ['publish alone, never published: no go-live unasked', {}, {}, plan([], 'start', 'none')],
    [
      'a change and publish: the change first, then what the publish pushes',
      { changeAsked: true, configure: [TC] },
      { preview: signoff, pushes: ['plan gen2 technical configuration'] },
      plan([TC], 'start', 'none', ['plan gen2 technical configuration']),
    ],
    [
      'a change while a publish runs: waits, then starts and goes live with it',
      { goLive: true, changeAsked: true, configure: [TC] },
      { running, preview: certifying, pushes: ['plan gen2 technical configuration'] },
      plan([TC], 'wait-then-start', 'send', ['plan gen2 technical configuration']),
    ],
    [
      'CPP, the go-live job: sent (CPP cannot tell which preview waits)',
      { publish: false, goLive: true },
      { known: false },
      plan([], 'none', 'send'),
    ],
    [
      'CPP, publish and go-live: its own publish goes live',
      { goLive: true },
      { known: false },
      plan([], 'start', 'send'),
    ],
    [
      'a re-run pinned to the certifying preview: joined, and that one goes live',
      { goLive: true, previewId: PREVIEW },
      { running, preview: certifying, pushes: ['listing title'] },
      plan([], 'join', 'send'),
    ],
    [
      'a re-run unpinned while it certifies, the draft ahead: joined, no go-live',
      { goLive: true },
      { running, preview: certifying, pushes: ['listing title'] },
      plan([], 'join', 'none'),
    ],
    [
      'a re-run at the sign-off that holds the draft: nothing published, it goes live',
      { goLive: true },
      { preview: signoff },
      plan([], 'none', 'send'),
    ],
    [
      'the go-live job with the change inputs, the preview carries it',
      { publish: false, goLive: true, changeAsked: true },
      { preview: signoff, carries: true },
      plan([], 'none', 'send'),
    ],
  ])('%s', (_name, a, s, expected) => {
    expect(planRelease(ask(a), state(s))).toEqual(expected);
  });

  test('pinned to the preview that waits, but without the change: the change is named, not the pin', () => {
    const asked = ask({ publish: false, goLive: true, changeAsked: true, previewId: PREVIEW });
    const facts = state({ preview: signoff, carries: false });
    const planned = planRelease(asked, facts);
    expect(planned.goLive).toBe('none');
    expect(whyNoGoLive(asked, facts, planned)).toBe(
      `the latest preview (${PREVIEW}) does not carry this step's change`,
    );
  });
});
