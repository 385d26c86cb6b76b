import { describe, expect, test } from '@jest/globals';
import { SeenMessages, changeLines, newMessageLine, stepLabel } from '../../src/core/changes.js';
import { snapshot } from './helpers.js';

const first = snapshot('running', { displaydummycertify: { status: 'inProgress', progress: 40 } });

describe('the log', () => {
  test('the first read prints the whole picture: status and every step', () => {
    const lines = changeLines(undefined, first);
    expect(lines[0]).toBe('⏳ Status: running');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe(
      '  ⏳ Validate Pre-Requisites (displaydummycertify): inProgress [40%, < 15 min]',
    );
    expect(lines[6]).toBe('  ⚪ Live: notStarted [0%, ~2-5 days]');
  });

  test('the first read says when the sign-off step overrides the offer status', () => {
    const s = snapshot('running', { 'publisher-signoff': { status: 'waitingForPublisherReview' } });
    expect(changeLines(undefined, s)[0]).toBe(
      '👀 Status: waitingForPublisherReview (the offer itself reports running)',
    );
  });

  test('a read with no change prints nothing', () => {
    const again = snapshot('running', {
      displaydummycertify: { status: 'inProgress', progress: 40 },
    });
    expect(changeLines(first, again)).toEqual([]);
  });

  test('later reads print only what changed: status, progress', () => {
    const next = snapshot('running', {
      displaydummycertify: {
        status: 'complete',
        progress: 100,
        messages: [{ level: 'information', html: 'Step <b>completed</b>.' }],
      },
      displaycertify: { status: 'inProgress', progress: 5 },
    });
    expect(changeLines(first, next)).toEqual([
      '  ✅ Validate Pre-Requisites (displaydummycertify): inProgress → complete, progress 40% → 100%',
      '  ⏳ Certification (displaycertify): notStarted → inProgress, progress 0% → 5%',
    ]);
    const progressOnly = snapshot('running', {
      displaydummycertify: {
        status: 'complete',
        progress: 100,
        messages: [{ level: 'information', html: 'Step <b>completed</b>.' }],
      },
      displaycertify: { status: 'inProgress', progress: 35 },
    });
    expect(changeLines(next, progressOnly)).toEqual([
      '  ⏳ Certification (displaycertify): progress 5% → 35%',
    ]);
  });

  test('an offer status change leads the lines', () => {
    expect(
      changeLines(
        first,
        snapshot('failed', { displaydummycertify: { status: 'inProgress', progress: 40 } }),
      ),
    ).toEqual(['❌ Status: running → failed']);
  });

  test('a message is new once over the whole wait, whatever its timestamp', () => {
    const seen = new SeenMessages();
    const withWarning = (timestamp: string) => {
      const s = snapshot('running', {
        displaycertify: {
          status: 'inProgress',
          messages: [{ level: 'warning', html: 'Slow <i>scan</i>' }],
        },
      });
      s.steps[1]!.messages[0]!.timestamp = timestamp;
      return s;
    };
    const fresh = seen.fresh(withWarning('2026-11-02T09:00:00Z'));
    expect(fresh).toEqual([
      {
        stepName: 'Certification',
        message: expect.objectContaining({ level: 'warning', text: 'Slow scan' }),
      },
    ]);
    expect(newMessageLine(fresh[0]!)).toBe('  Certification: [warning] Slow scan');
    // The service re-stamps it on the next read: still the same message.
    expect(seen.fresh(withWarning('2026-11-02T09:01:00Z'))).toEqual([]);
    // It went away and came back: not new either.
    expect(seen.fresh(first)).toEqual([]);
    expect(seen.fresh(withWarning('2026-11-02T09:02:00Z'))).toEqual([]);
  });

  test('the same text on another step, or at another level, is another message', () => {
    const seen = new SeenMessages();
    const s = snapshot('running', {
      displaydummycertify: {
        status: 'complete',
        messages: [{ level: 'information', html: 'Done.' }],
      },
      displaycertify: {
        status: 'inProgress',
        messages: [
          { level: 'information', html: 'Done.' },
          { level: 'warning', html: 'Done.' },
        ],
      },
    });
    expect(seen.fresh(s).map(newMessageLine)).toEqual([
      '  Validate Pre-Requisites: [information] Done.',
      '  Certification: [information] Done.',
      '  Certification: [warning] Done.',
    ]);
  });

  const flood = (from: number, count: number, text = (i: number) => `Message ${i}`) =>
    snapshot('running', {
      displaycertify: {
        status: 'inProgress',
        messages: Array.from({ length: count }, (_, i) => ({
          level: 'information',
          html: text(from + i),
        })),
      },
    });

  test('the default budget is 3 MB for the whole step: 50,000 messages', () => {
    expect(SeenMessages.BUDGET_BYTES).toBe(3_000_000);
    expect(new SeenMessages().limit).toBe(50_000);
  });

  test('memory is bounded: past the budget, the least recently seen messages are forgotten', () => {
    const seen = new SeenMessages(10 * SeenMessages.BYTES_PER_KEY);
    expect(seen.limit).toBe(10);
    expect(seen.fresh(flood(0, 10))).toHaveLength(10);
    expect(seen.fresh(flood(10, 1))).toHaveLength(1);
    expect(seen.size).toBe(10);
    // The first one was forgotten to make room; the newest are still known.
    expect(seen.fresh(flood(0, 1))).toHaveLength(1);
    expect(seen.fresh(flood(10, 1))).toHaveLength(0);
    expect(seen.size).toBe(10);
  });

  test('a message the service still shows stays known while others come and go', () => {
    const seen = new SeenMessages(10 * SeenMessages.BYTES_PER_KEY);
    const still = (from: number, count: number) => {
      const s = flood(from, count);
      s.messages = [{ level: 'warning', text: 'Still here', html: 'Still here', timestamp: '' }];
      return s;
    };
    expect(seen.fresh(still(0, 5))).toHaveLength(6);
    for (let from = 5; from < 100; from += 5) {
      // Five new each read, 20 in all past the budget of 10: the one still shown is never new again.
      expect(seen.fresh(still(from, 5)).map((m) => m.message.text)).not.toContain('Still here');
    }
    expect(seen.size).toBe(10);
  });

  test('long texts are kept as short keys: the count, not the text, is bounded', () => {
    const seen = new SeenMessages(100 * SeenMessages.BYTES_PER_KEY);
    const long = (i: number) => `${i} ${'x'.repeat(3_990)}`;
    expect(seen.fresh(flood(0, 300, long))).toHaveLength(300);
    expect(seen.size).toBe(100);
    // Texts that differ only at the end are still different messages.
    expect(seen.fresh(flood(299, 1, long))).toHaveLength(0);
    expect(seen.fresh(flood(0, 1, (i) => `${'x'.repeat(3_999)}${i}`))).toHaveLength(1);
  });
});

describe('one memory of messages for all the offers of a step', () => {
  const withMessage = (text: string) =>
    snapshot('running', {
      displaycertify: { status: 'inProgress', messages: [{ level: 'warning', html: text }] },
    });

  test('the same message on two offers is new for each, once', () => {
    const seen = new SeenMessages();
    const vm = seen.forOffer('contoso-vm');
    const app = seen.forOffer('contoso-app');
    expect(vm.fresh(withMessage('Slow scan'))).toHaveLength(1);
    expect(app.fresh(withMessage('Slow scan'))).toHaveLength(1);
    expect(vm.fresh(withMessage('Slow scan'))).toEqual([]);
    expect(seen.fresh('contoso-app', withMessage('Slow scan'))).toEqual([]);
    expect(seen.size).toBe(2);
  });

  test("ids cannot run into each other's places", () => {
    const seen = new SeenMessages();
    const s = (stepId: string) => {
      const at = withMessage('x');
      at.steps.find((step) => step.messages.length > 0)!.id = stepId;
      return at;
    };
    expect(seen.fresh('a', s('bc'))).toHaveLength(1);
    expect(seen.fresh('ab', s('c'))).toHaveLength(1);
  });

  test('the budget is shared: a flood on one offer makes the others forget their oldest first', () => {
    const seen = new SeenMessages(4 * SeenMessages.BYTES_PER_KEY);
    const quiet = seen.forOffer('quiet');
    const noisy = seen.forOffer('noisy');
    expect(quiet.fresh(withMessage('Once'))).toHaveLength(1);
    expect(noisy.fresh(withMessage('1'))).toHaveLength(1);
    expect(noisy.fresh(withMessage('2'))).toHaveLength(1);
    expect(noisy.fresh(withMessage('3'))).toHaveLength(1);
    expect(seen.size).toBe(4);
    expect(noisy.fresh(withMessage('4'))).toHaveLength(1);
    expect(seen.size).toBe(4);
    // The quiet offer's message was the least recently seen: forgotten, so printed once more.
    expect(quiet.fresh(withMessage('Once'))).toHaveLength(1);
  });
});

describe('step lines', () => {
  test.each([
    ['Certification', 'displaycertify', 'Certification (displaycertify)'],
    [
      'Validate Pre-Requisites',
      'displaydummycertify',
      'Validate Pre-Requisites (displaydummycertify)',
    ],
    ['Live', 'live', 'Live'],
    ['Preview', 'preview', 'Preview'],
    ['Publisher sign-off', 'publisher-signoff', 'Publisher sign-off'],
    ['Publisher Signoff', 'publisherSignoff', 'Publisher Signoff'],
    ['Configure job', 'configure-job', 'Configure job'],
    ['', 'live', 'live'],
    ['Live', '', 'Live'],
  ])('name %j, id %j: %j', (name, id, label) => {
    expect(stepLabel({ name, id })).toBe(label);
  });

  const job = snapshot('running', {});
  job.steps = [
    {
      ...job.steps[0]!,
      id: 'configure-job',
      name: 'Configure job',
      status: 'inProgress',
      progress: null,
      estimatedTimeFrame: '',
    },
  ];
  const three = (detail?: string) => {
    const s = snapshot('running', {});
    s.steps = [
      {
        ...s.steps[0]!,
        id: 'preview',
        name: 'Preview',
        status: 'inProgress',
        progress: null,
        estimatedTimeFrame: '',
        ...(detail ? { detail } : {}),
      },
      {
        ...s.steps[0]!,
        id: 'live',
        name: 'Live',
        status: 'notStarted',
        progress: null,
        estimatedTimeFrame: '',
      },
    ];
    return s;
  };

  test('another set of steps altogether is a fresh picture, no step marked new', () => {
    expect(changeLines(job, three('submission/p/1, created 2026-11-02T09:00:00Z'))).toEqual([
      '⏳ Status: running',
      '  ⏳ Preview: inProgress [submission/p/1, created 2026-11-02T09:00:00Z]',
      '  ⚪ Live: notStarted',
    ]);
    const failed = three();
    failed.status = 'failed';
    failed.reported = { value: 'failed', known: true };
    expect(changeLines(job, failed)[0]).toBe('❌ Status: running → failed');
  });

  test('one step more beside known ones is marked new', () => {
    const more = three();
    more.steps.push({ ...job.steps[0]! });
    expect(changeLines(three(), more)).toEqual(['  ⏳ Configure job: inProgress (new step)']);
  });

  test("a step's detail shows on its line; another submission behind it is news", () => {
    expect(changeLines(three('submission/p/1'), three('submission/p/1'))).toEqual([]);
    expect(changeLines(three('submission/p/1'), three('submission/p/2'))).toEqual([
      '  ⏳ Preview: inProgress [submission/p/2]',
    ]);
    expect(changeLines(three('submission/p/1'), three())).toEqual([]);
  });
});
