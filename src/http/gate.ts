/**
 * What all requests to one service share, however many offers are followed: at most a few in
 * flight, and a `Retry-After` from the service slowing every request, because it is one service.
 * Requests are served first come, first served: a freed slot is handed to the longest waiting
 * request, so no offer's reads starve behind newcomers.
 */
import { sleep } from './sleep.js';

export interface GateOptions {
  /** Requests in flight at most. */
  maxInFlight: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface Waiter {
  /** Called with the slot already taken on the waiter's behalf. */
  grant(): void;
}

export class Gate {
  private inFlight = 0;
  /** Requests waiting for a slot or for the pause to end, oldest first. */
  private readonly queue: Waiter[] = [];
  /** No request starts before this time (on the `now` clock): the service asked us to wait. */
  private notBefore = 0;
  /** The one sleep over the pause, for the whole queue; aborted when no one waits any more. */
  private pausing: AbortController | undefined;
  private readonly now: () => number;
  private readonly pause: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The most requests that were in flight at once (for tests and the benchmark). */
  peakInFlight = 0;

  constructor(private readonly options: GateOptions) {
    this.now = options.now ?? Date.now;
    this.pause = options.sleep ?? sleep;
  }

  /** Requests waiting for their turn (for tests and the benchmark). */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Runs `request` when its turn comes: a slot is free, every request that came before it has
   * started, and the service's pause is over. Aborted before that, it fails at once with the
   * signal's reason, without taking a slot or starting.
   */
  async run<T>(request: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      // Aborted between being let in and running: no point in sending it.
      signal?.throwIfAborted();
      return await request();
    } finally {
      this.release();
    }
  }

  /** The service asked for a pause (`Retry-After`): no request of any offer starts before it ends. */
  slowDown(ms: number): void {
    // A sleep already under way sees the new end when it wakes, and sleeps on until then.
    this.notBefore = Math.max(this.notBefore, this.now() + ms);
  }

  private acquire(signal?: AbortSignal): Promise<void> | void {
    signal?.throwIfAborted();
    // Taken at once only when no one is ahead: a newcomer never overtakes the queue.
    if (this.queue.length === 0 && this.inFlight < this.options.maxInFlight && !this.paused()) {
      this.take();
      return;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        // Nobody left to sleep for.
        if (this.queue.length === 0) this.pausing?.abort();
        reject(signal!.reason);
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.serve();
    });
  }

  private release(): void {
    this.inFlight--;
    this.serve();
  }

  /** Hands free slots to the oldest waiters; during a pause, sleeps until it ends (once). */
  private serve(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const wait = this.notBefore - this.now();
      if (wait > 0) {
        this.sleepOver(wait);
        return;
      }
      // The slot is taken here, before the waiter runs, so no newcomer can take it first.
      this.take();
      this.queue.shift()!.grant();
    }
  }

  private sleepOver(ms: number): void {
    if (this.pausing) return; // it serves the queue when it wakes
    const controller = new AbortController();
    this.pausing = controller;
    const woke = () => {
      this.pausing = undefined;
      this.serve();
    };
    void this.pause(ms, controller.signal).then(woke, woke);
  }

  private paused(): boolean {
    return this.notBefore - this.now() > 0;
  }

  private take(): void {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
  }
}
