/**
 * Time for a run in-process: real time plus the time skipped. When everything the action does is
 * asleep (no request in flight through its dispatcher, nothing left to run on the event loop), the
 * clock jumps to the next wake-up instead of waiting for it, so an hour of polls takes
 * milliseconds; while a request is in flight (a stall, a slow answer) time passes as it does for
 * the bundle. The action (`now`, `sleep`, its step's `timeout`), the simulator (its `clock` option)
 * and the test's own events all read this one clock.
 */
import { setImmediate as turn } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';

interface Timer {
  at: number;
  /** Asleep until then: the clock may jump to it. A deadline only fires once time gets there. */
  wakes: boolean;
  fire(): unknown;
}

/** Event-loop turns with nothing in flight and nothing new before the clock may jump. */
const QUIET_TURNS = 5;

export class VirtualClock {
  private readonly origin = performance.now();
  /** Where `now()` starts: the real wall clock when the clock was made, as for the bundle. */
  private readonly epoch = Date.now();
  private skipped = 0;
  private timers: Timer[] = [];
  private inFlight = 0;
  /** Bumped by every sleep, wake-up and request: the loop is quiet only while it stays put. */
  private activity = 0;
  private driving = false;
  private readonly idleChecks: (() => void)[] = [];
  /** What a test's event threw (`at`): the run that follows reports it. */
  readonly failures: unknown[] = [];

  /** Milliseconds since the clock started: real time plus the time skipped. */
  readonly elapsed = (): number => performance.now() - this.origin + this.skipped;

  /** The wall clock, in epoch milliseconds, as `Date.now` for the action. */
  readonly now = (): number => this.epoch + this.elapsed();

  /** Sleeps `ms` on the clock, or less if `signal` aborts first (the action's `sleep`). */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.add(Math.max(0, ms), true, () => {
        signal?.removeEventListener('abort', aborted);
        resolve();
      });
      const aborted = () => {
        this.remove(timer);
        resolve();
      };
      signal?.addEventListener('abort', aborted, { once: true });
    });
  };

  /** A signal that aborts `ms` from now on the clock (the action's step expiry). */
  readonly timeout = (ms: number): AbortSignal => {
    const controller = new AbortController();
    this.add(ms, false, () =>
      controller.abort(
        new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      ),
    );
    return controller.signal;
  };

  /**
   * Runs `event` when the clock reads `ms` (from its start). The clock waits for its promise
   * before anything else wakes. Returns a function that cancels it.
   */
  at(ms: number, event: () => unknown): () => void {
    const timer = this.add(ms - this.elapsed(), true, event);
    return () => this.remove(timer);
  }

  /**
   * Calls `check` each time everything is asleep, before the clock jumps: a test's condition
   * (`cancelWhen`) sees the state the action rests in, as a signal sent then would.
   */
  whenIdle(check: () => void): () => void {
    this.idleChecks.push(check);
    return () => {
      const i = this.idleChecks.indexOf(check);
      if (i >= 0) this.idleChecks.splice(i, 1);
    };
  }

  /** Forgets what is still scheduled (a finished run's expiry). */
  clear(): void {
    this.timers = [];
  }

  /** A dispatcher that counts the requests in flight: while one is, time is not skipped. */
  dispatcher(options: Agent.Options = {}): Agent {
    const agent = new Agent(options);
    const counting: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      this.begin();
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        this.end();
      };
      const counted: Dispatcher.DispatchHandler = {
        onRequestStart: (...a) => handler.onRequestStart?.(...a),
        onRequestUpgrade: (...a) => handler.onRequestUpgrade?.(...a),
        onResponseStart: (...a) => handler.onResponseStart?.(...a),
        onResponseData: (...a) => handler.onResponseData?.(...a),
        onResponseEnd: (...a) => {
          end();
          handler.onResponseEnd?.(...a);
        },
        onResponseError: (...a) => {
          end();
          handler.onResponseError?.(...a);
        },
      };
      try {
        return dispatch(opts, counted);
      } catch (error) {
        end();
        throw error;
      }
    };
    // `compose` hands back the agent behind a proxy: `close` and `destroy` still reach it.
    return agent.compose(counting) as Agent;
  }

  private begin(): void {
    this.inFlight++;
    this.activity++;
  }

  private end(): void {
    this.inFlight--;
    this.activity++;
  }

  private add(ms: number, wakes: boolean, fire: () => unknown): Timer {
    const timer = { at: this.elapsed() + ms, wakes, fire };
    this.timers.push(timer);
    this.activity++;
    void this.drive();
    return timer;
  }

  private remove(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.activity++;
  }

  /** Fires what is due and jumps to the next wake-up whenever all rests, until nothing is left. */
  private async drive(): Promise<void> {
    if (this.driving) return;
    this.driving = true;
    try {
      while (this.timers.length > 0) {
        await this.fireDue();
        const next = this.nextWake();
        if (next === undefined || !(await this.quiet())) {
          // Something runs, or only a deadline is left: time passes as it does.
          await new Promise((done) => setTimeout(done, 2));
          continue;
        }
        for (const check of [...this.idleChecks]) check();
        // A check may have started something (a cancellation): look again before jumping.
        if (!(await this.quiet())) continue;
        const again = this.nextWake();
        if (again !== undefined) this.skipped += Math.max(0, again - this.elapsed());
      }
    } finally {
      this.driving = false;
    }
  }

  private nextWake(): number | undefined {
    const waking = this.timers.filter((t) => t.wakes).map((t) => t.at);
    return waking.length ? Math.min(...waking) : undefined;
  }

  /** Fires each due timer in time order, waiting for a test event's promise before the next. */
  private async fireDue(): Promise<void> {
    for (;;) {
      const now = this.elapsed();
      const due = this.timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.remove(due);
      try {
        await due.fire();
      } catch (error) {
        this.failures.push(error);
      }
    }
  }

  /** Nothing in flight and nothing new for a few turns of the event loop. */
  private async quiet(): Promise<boolean> {
    const seen = this.activity;
    for (let i = 0; i < QUIET_TURNS; i++) {
      if (this.inFlight > 0 || this.activity !== seen) return false;
      await turn();
    }
    return this.inFlight === 0 && this.activity === seen;
  }
}
