import { describe, expect, test } from '@jest/globals';
import { SeenMessages, changeLines, newMessageLine } from '../../src/core/changes.js';
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
    expect(lines[6]).toBe('  ⚪ Live (live): notStarted [0%, ~2-5 days]');
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

  test('memory is bounded: past the limit, the oldest messages are forgotten', () => {
    const seen = new SeenMessages();
    const flood = (from: number, count: number) =>
      snapshot('running', {
        displaycertify: {
          status: 'inProgress',
          messages: Array.from({ length: count }, (_, i) => ({
            level: 'information',
            html: `Message ${from + i}`,
          })),
        },
      });
    expect(seen.fresh(flood(0, SeenMessages.LIMIT))).toHaveLength(SeenMessages.LIMIT);
    expect(seen.fresh(flood(SeenMessages.LIMIT, 1))).toHaveLength(1);
    // The first one was forgotten to make room; the newest are still known.
    expect(seen.fresh(flood(0, 1))).toHaveLength(1);
    expect(seen.fresh(flood(SeenMessages.LIMIT, 1))).toHaveLength(0);
  });
});
