import { describe, expect, test } from '@jest/globals';
import { renewAt, TokenCache, type TimedToken } from '../../src/auth/cache.js';

const MINUTE = 60_000;

/** A clock the test moves, and an issuer of numbered tokens that live `lifetime` on that clock. */
function setup(lifetime = 60 * MINUTE) {
  let now = 1_000_000;
  let issued = 0;
  let failNext: Error | undefined;
  const kept: number[] = [];
  const cache = new TokenCache({
    now: () => now,
    acquire: async (): Promise<TimedToken> => {
      if (failNext) throw failNext;
      issued++;
      return { token: `token-${issued}`, expiresOnTimestamp: now + lifetime };
    },
    onKeptAfterFailure: (_error, validForMs) => kept.push(validForMs),
  });
  return {
    cache,
    advance: (ms: number) => (now += ms),
    issued: () => issued,
    fail: (error: Error | undefined) => (failNext = error),
    kept,
  };
}

describe('TokenCache', () => {
  test('keeps the token until 5 minutes before it expires, then renews it', async () => {
    const t = setup();
    expect(await t.cache.get(false)).toBe('token-1');
    t.advance(55 * MINUTE - 1); // 5m0.001s left
    expect(await t.cache.get(false)).toBe('token-1');
    t.advance(1); // 5m left
    expect(await t.cache.get(false)).toBe('token-2');
    expect(t.issued()).toBe(2);
  });

  test('a long wait renews about once an hour', async () => {
    const t = setup();
    const seen = new Set<string>();
    for (let minute = 0; minute < 6 * 60; minute++) {
      seen.add(await t.cache.get(false));
      t.advance(MINUTE);
    }
    expect(t.issued()).toBe(7); // 6 hours of 55-minute tokens
    expect(seen.size).toBe(7);
  });

  test('fresh asks for a new token even while the current one is good', async () => {
    const t = setup();
    await t.cache.get(false);
    expect(await t.cache.get(true)).toBe('token-2');
    expect(await t.cache.get(false)).toBe('token-2');
    expect(t.issued()).toBe(2);
  });

  test('callers at the same time share one request', async () => {
    const t = setup();
    const tokens = await Promise.all([t.cache.get(false), t.cache.get(false), t.cache.get(true)]);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(t.issued()).toBe(1);
  });

  test('a failed scheduled renewal keeps a token that is still valid, and tries again next time', async () => {
    const t = setup();
    await t.cache.get(false);
    t.advance(56 * MINUTE);
    t.fail(new Error('unreachable'));
    expect(await t.cache.get(false)).toBe('token-1');
    expect(t.kept).toEqual([4 * MINUTE]);
    t.fail(undefined);
    expect(await t.cache.get(false)).toBe('token-2');
  });

  test('a failed renewal throws when the token is nearly gone, or when fresh asked', async () => {
    const t = setup();
    await t.cache.get(false);
    t.fail(new Error('refused'));
    await expect(t.cache.get(true)).rejects.toThrow('refused');
    t.advance(59.5 * MINUTE);
    await expect(t.cache.get(false)).rejects.toThrow('refused');
  });

  test('the first failure is thrown', async () => {
    const t = setup();
    t.fail(new Error('no'));
    await expect(t.cache.get(false)).rejects.toThrow('no');
  });
});

describe('renewAt', () => {
  test('5 minutes before expiry for an hour-long token', () => {
    expect(renewAt({ token: 't', expiresOnTimestamp: 60 * MINUTE }, 0)).toBe(55 * MINUTE);
  });

  test('half-way for a token shorter than 10 minutes', () => {
    expect(renewAt({ token: 't', expiresOnTimestamp: 4 * MINUTE }, 0)).toBe(2 * MINUTE);
  });

  test("earlier when the issuer's refresh time says so", () => {
    expect(
      renewAt(
        { token: 't', expiresOnTimestamp: 60 * MINUTE, refreshAfterTimestamp: 30 * MINUTE },
        0,
      ),
    ).toBe(30 * MINUTE);
  });
});
