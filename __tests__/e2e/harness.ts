/** Runs the bundled action against the simulator, the way the Actions runner would. */
import { afterEach, expect } from '@jest/globals';
import { runAction, type ActionRun } from '../../simulator/run-action.js';
import type { IngestionSimulatorOptions } from '../../simulator/ingestion-server.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server.js';

export interface Run extends ActionRun {
  sim: Simulator;
  /** The log without the runner's `::command::` lines. */
  log: string;
  /** `::warning`/`::error` annotation lines. */
  annotations: string[];
}

export interface HarnessOptions {
  /** Extra environment for the action (e.g. `NODE_OPTIONS`, `NODE_EXTRA_CA_CERTS`). */
  env?: Record<string, string>;
  /** Called once the action has started (e.g. to send it signals). */
  onSpawn?: (pid: number, sim: Simulator) => void;
}

/**
 * Starts the simulator, runs the bundle against it with runner-style inputs (overridable; a
 * function gets the simulator, for inputs that depend on its address), and stops the simulator.
 */
export function runAgainstSimulator(
  simOptions: SimulatorOptions | IngestionSimulatorOptions,
  inputs: Record<string, string> | ((sim: Simulator) => Record<string, string>) = {},
  options: HarnessOptions = {},
): Promise<Run> {
  return withSimulator(simOptions, (sim, run) =>
    run(typeof inputs === 'function' ? inputs(sim) : inputs, options),
  );
}

/**
 * Starts one simulator and gives a function that runs the bundle against it, for workflows of
 * several steps (publish, then go-live) against the same service.
 */
export async function withSimulator<T>(
  simOptions: SimulatorOptions | IngestionSimulatorOptions,
  body: (
    sim: Simulator,
    run: (inputs: Record<string, string>, options?: HarnessOptions) => Promise<Run>,
  ) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator(simOptions);
  try {
    return await body(sim, async (inputs, options = {}) => {
      const from = sim.requests.length;
      const run = await runAction({
        inputs: {
          api: sim.api,
          'publisher-id': sim.publisherId,
          'offer-id': sim.offerId,
          'access-token': sim.token,
          'base-url': sim.url,
          'poll-interval': '1s',
          timeout: '30s',
          ...inputs,
        },
        env: options.env ?? {},
        onSpawn: (pid) => options.onSpawn?.(pid, sim),
      });
      const lines = run.stdout.split('\n');
      // This run's requests only, on a simulator that records them all.
      const own = { ...sim, requests: sim.requests.slice(from) };
      return {
        ...run,
        sim: own,
        log: lines.filter((l) => !l.startsWith('::')).join('\n'),
        annotations: lines.filter((l) => /^::(warning|error)/.test(l)),
      };
    });
  } finally {
    await sim.close();
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
