/**
 * Runs the action against the simulator the way the Actions runner would: in the test's process by
 * default (`run()` with the runner's inputs and environment, on a virtual clock the simulator
 * shares, so polls, settles and lags take no real time), or as the bundle in its own process
 * (`bundle: true`), for what only a process shows.
 */
import { afterEach, expect } from '@jest/globals';
import type { Agent } from 'undici';
import { runAction, type ActionRun } from '../../simulator/run-action.js';
import type { IngestionSimulatorOptions } from '../../simulator/ingestion-server.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server.js';
import { runInProcess } from './in-process.js';
import { VirtualClock } from './virtual-clock.js';

/**
 * One run of the step, in-process or as the bundle: what the bundle's run gives (`ActionRun`, less
 * its temporary files), and more. `exitCode` is null only when the bundle's process was killed;
 * `signal` is always null in-process. `durationMs` and `startedAt` are on the simulator's clock
 * in-process, in real time (`performance.now()`) for the bundle.
 */
export interface Run extends Omit<ActionRun, 'summaryPath' | 'outputPath'> {
  /** This run's requests only (`requests`), on the simulator. */
  sim: Simulator;
  /** The log without the runner's `::command::` lines. */
  log: string;
  /** `::warning`/`::error` annotation lines. */
  annotations: string[];
  /** When the harness cancelled the step (`cancelWhen`, `cancelAt`), on the simulator's clock. */
  cancelledAt?: number;
}

export interface HarnessOptions {
  /** Extra environment for the action (e.g. `GITHUB_WORKSPACE`, `GITHUB_API_URL`). */
  env?: Record<string, string>;
  /** Runs the bundle (`dist/index.js`) in its own process instead, as the runner starts it. */
  bundle?: boolean;
  /** Bundle: called once the process has started (e.g. to send it signals). */
  onSpawn?: (pid: number, sim: Simulator) => void;
  /**
   * In-process: cancels the step, as a cancelled workflow does, once this holds of the simulator.
   * Checked whenever the step rests (before the clock moves on) and every 20 ms of real time.
   */
  cancelWhen?: (sim: Simulator) => boolean;
  /** In-process: cancels the step this long after it started, on the clock. */
  cancelAt?: number;
  /** In-process: options of the step's undici agent (e.g. a failing `connect.lookup`). */
  agent?: Agent.Options;
  /** In-process: the step's environment is the process's while it runs (`runInProcess`). */
  processEnv?: boolean;
}

type AnySimulatorOptions = SimulatorOptions | IngestionSimulatorOptions;

/**
 * Starts the simulator, runs the action against it with runner-style inputs (overridable; a
 * function gets the simulator, for inputs that depend on its address), and stops the simulator.
 */
export function runAgainstSimulator(
  simOptions: AnySimulatorOptions,
  inputs: Record<string, string> | ((sim: Simulator) => Record<string, string>) = {},
  options: HarnessOptions = {},
): Promise<Run> {
  return withSimulator(simOptions, (sim, run) =>
    run(typeof inputs === 'function' ? inputs(sim) : inputs, options),
  );
}

/**
 * Starts one simulator and gives a function that runs the action against it, for workflows of
 * several steps (publish, then go-live) against the same service, on one clock.
 */
export async function withSimulator<T>(
  simOptions: AnySimulatorOptions,
  body: (
    sim: Simulator,
    run: (inputs: Record<string, string>, options?: HarnessOptions) => Promise<Run>,
  ) => Promise<T>,
): Promise<T> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ clock: clock.elapsed, ...simOptions });
  try {
    return await body(sim, async (given, options = {}) => {
      const from = sim.requests.length;
      const inputs = {
        api: sim.api,
        'publisher-id': sim.publisherId,
        'offer-id': sim.offerId,
        'access-token': sim.token,
        'base-url': sim.url,
        'poll-interval': '1s',
        timeout: '30s',
        ...given,
      };
      const ran = options.bundle
        ? await runAction({
            inputs,
            env: options.env ?? {},
            onSpawn: (pid) => options.onSpawn?.(pid, sim),
          })
        : await inProcess(sim, clock, inputs, options);
      const lines = ran.stdout.split('\n');
      // This run's requests only, on a simulator that records them all.
      const own = { ...sim, requests: sim.requests.slice(from) };
      return {
        ...ran,
        sim: own,
        log: lines.filter((l) => !l.startsWith('::')).join('\n'),
        annotations: lines.filter((l) => /^::(warning|error)/.test(l)),
      };
    });
  } finally {
    await sim.close();
  }
}

/** One step in-process, cancelled when the options say. */
async function inProcess(
  sim: Simulator,
  clock: VirtualClock,
  inputs: Record<string, string>,
  options: HarnessOptions,
): Promise<Omit<Run, 'sim' | 'log' | 'annotations'>> {
  const controller = new AbortController();
  let cancelledAt: number | undefined;
  const cancel = () => {
    if (controller.signal.aborted) return;
    cancelledAt = clock.elapsed();
    controller.abort();
  };
  const check = () => {
    if (options.cancelWhen?.(sim)) cancel();
  };
  const stops: (() => void)[] = [];
  if (options.cancelWhen) {
    stops.push(clock.whenIdle(check));
    const poll = setInterval(check, 20);
    stops.push(() => clearInterval(poll));
  }
  if (options.cancelAt !== undefined)
    stops.push(clock.at(clock.elapsed() + options.cancelAt, cancel));
  try {
    const run = await runInProcess({
      inputs,
      env: options.env,
      clock,
      cancel: controller.signal,
      agent: options.agent,
      processEnv: options.processEnv,
    });
    return { ...run, cancelledAt };
  } finally {
    for (const stop of stops) stop();
  }
}

/** Status reads the simulator served (offer status or operation; submissions or job status). */
export const statusRequests = (run: Run) =>
  run.sim.requests.filter((r) => /\/(status|operations\/[^/]+)$|\/submission\/[^/]+$/.test(r.path));

/** The message the step failed with (its last `::error::` line), decoded. */
export const failure = (run: Run) =>
  run.stdout
    .split('\n')
    .filter((l) => l.startsWith('::error::'))
    .at(-1)
    ?.slice(9)
    .replace(/%0A/g, '\n')
    .replace(/%25/g, '%');

/**
 * What must never happen, checked after every test of a suite that calls this: a cancel request.
 * Returns the function that records a run's requests for that check.
 */
export function neverCancels(): (run: Run) => Run {
  const cancels: string[] = [];
  afterEach(() => {
    expect(cancels).toEqual([]);
    cancels.length = 0;
  });
  return (run) => {
    cancels.push(...run.sim.requests.filter((r) => /\/cancel$/.test(r.path)).map((r) => r.path));
    return run;
  };
}
