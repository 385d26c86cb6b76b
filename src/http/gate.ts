/**
 * What all requests to one service share, however many offers are followed: at most a few in
 * flight, and a `Retry-After` from the service slowing every request, because it is one service.
 */
import { sleep } from './sleep.js';

export interface GateOptions {
  /** Requests in flight at most. */
  maxInFlight: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class Gate {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** No request starts before this time (on the `now` clock): the service asked us to wait. */
  private notBefore = 0;
  private readonly now: () => number;
  private readonly pause: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The most requests that were in flight at once (for tests and the benchmark). */
  peakInFlight = 0;

  constructor(private readonly options: GateOptions) {
    this.now = options.now ?? Date.now;
    this.pause = options.sleep ?? sleep;
  }

  /** Runs `request` when a slot is free and the service's pause is over. */
  async run<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await request();
    } finally {
      this.release();
    }
  }

  /** The service asked for a pause (`Retry-After`): no request of any offer starts before it ends. */
  slowDown(ms: number): void {
    this.notBefore = Math.max(this.notBefore, this.now() + ms);
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      // Again after each wait: another request may have been asked for a longer pause meanwhile.
      for (let pause = this.notBefore - this.now(); pause > 0 && !signal?.aborted;) {
        await this.pause(pause, signal);
        pause = this.notBefore - this.now();
      }
      // An aborted request goes through at once: it fails at once, and frees its slot.
      if (signal?.aborted || this.inFlight < this.options.maxInFlight) break;
      await this.queue(signal);
    }
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
  }

  /** Waits for a free slot, or for the request to be aborted. */
  private queue(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve();
      };
      this.waiting.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    this.inFlight--;
    this.waiting.shift()?.();
  }
}
