/** The go-live at the sign-off, by the plan: the right preview only, and never a wait for nothing. */
import { describe, expect, test } from '@jest/globals';
import { atSignoff, type GoLiveRule } from '../../src/offer/go-live.js';

const rule = (o: Partial<GoLiveRule> = {}): GoLiveRule => ({
  plan: 'send',
  preview: 'own',
  pinned: '',
  why: 'the latest preview does not carry this change',
  next: 'Run it with publish: true.',
  ...o,
});

describe('atSignoff', () => {
  test("this step's own preview: sent; another one: the wait ends at the sign-off, warned", () => {
    expect(atSignoff(rule(), 'sub/2', true)).toEqual({ send: true });
    const other = atSignoff(rule(), 'sub/1', false);
    expect(other).toMatchObject({ send: false, end: { kind: 'review' } });
    expect(other.send === false && other.warning).toMatch(/sub\/1\) is not this step's publish/);
  });

  test('the preview the plan followed: sent for it only', () => {
    expect(atSignoff(rule({ preview: 'sub/2' }), 'sub/2', false)).toEqual({ send: true });
    expect(atSignoff(rule({ preview: 'sub/2' }), 'sub/3', false)).toMatchObject({ send: false });
  });

  test('the plan sends none: the wait ends at the sign-off with why and what to run', () => {
    const at = atSignoff(rule({ plan: 'none' }), 'sub/2', true);
    expect(at).toEqual({
      send: false,
      end: { kind: 'review' },
      warning:
        'The go-live was not sent: the latest preview does not carry this change. Run it with publish: true.',
    });
  });

  test('pinned: another preview at the sign-off ends the step with both ids, nothing sent', () => {
    const at = atSignoff(rule({ preview: 'any', pinned: 'sub/1' }), 'sub/2', false);
    expect(at.send).toBe(false);
    expect(at.send === false && at.end).toEqual({
      kind: 'error',
      message: expect.stringMatching(
        /^The preview waiting for the sign-off is sub\/2, not sub\/1 \(preview-id\)/,
      ),
    });
    expect(atSignoff(rule({ preview: 'any', pinned: 'sub/2' }), 'sub/2', false)).toEqual({
      send: true,
    });
  });
});
