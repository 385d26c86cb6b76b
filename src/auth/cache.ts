/**
 * One token, kept until shortly before it expires. A wait can last many hours and an Entra token
 * about one, so the token is renewed ahead of its expiry (on the injected clock), and on demand
 * after the API refused it.
 */

export interface TimedToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresOnTimestamp: number;
  /** When the issuer suggests renewing (Entra's `refresh_in`), if it said. */
  refreshAfterTimestamp?: number;
}

/** Renew this long before expiry, or after half the lifetime for short-lived tokens. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
/** A token valid for less than this is not worth keeping when renewing it failed. */
const MIN_KEPT_VALIDITY_MS = 60_000;

export interface TokenCacheOptions {
  acquire: () => Promise<TimedToken>;
  now: () => number;
  /** A scheduled renewal failed but the current token is still good for a while: it is kept. */
  onKeptAfterFailure?: (error: unknown, validForMs: number) => void;
}

export class TokenCache {
  private current: (TimedToken & { renewAt: number }) | undefined;
  private pending: Promise<TimedToken> | undefined;

  constructor(private readonly options: TokenCacheOptions) {}

  /** The cached token while it is good; a new one when it is due, or when `fresh` asks. */
  async get(fresh: boolean): Promise<string> {
    const { now } = this.options;
    const current = this.current;
    if (!fresh && current && now() < current.renewAt) return current.token;
    try {
      return (await this.renew()).token;
    } catch (error) {
      const validForMs = current ? current.expiresOnTimestamp - now() : 0;
      if (fresh || !current || validForMs < MIN_KEPT_VALIDITY_MS) throw error;
      this.options.onKeptAfterFailure?.(error, validForMs);
      return current.token;
    }
  }

  /** One acquisition at a time: concurrent callers share it. */
  private renew(): Promise<TimedToken> {
    this.pending ??= this.options
      .acquire()
      .then((token) => {
        this.current = { ...token, renewAt: renewAt(token, this.options.now()) };
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

export function renewAt(token: TimedToken, acquiredAt: number): number {
  const lifetime = token.expiresOnTimestamp - acquiredAt;
  const early = Math.min(RENEW_BEFORE_EXPIRY_MS, Math.max(0, lifetime / 2));
  const byExpiry = token.expiresOnTimestamp - early;
  return Math.min(byExpiry, token.refreshAfterTimestamp ?? Infinity);
}
