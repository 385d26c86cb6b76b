/** Runs the bundled action against the simulator, the way the Actions runner would. */
import { runAction, type ActionRun } from '../../simulator/run-action.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server.js';

export interface Run extends ActionRun {
  sim: Simulator;
  /** The log without the runner's `::command::` lines. */
  log: string;
  /** `::warning`/`::error` annotation lines. */
  annotations: string[];
}

export async function runAgainstSimulator(
  simOptions: SimulatorOptions,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<Run> {
  const sim = await startSimulator(simOptions);
  try {
    const run = await runAction({
      inputs: {
        'publisher-id': sim.publisherId,
        'offer-id': sim.offerId,
        'access-token': sim.token,
        'base-url': sim.url,
        'poll-interval': '1s',
        timeout: '30s',
        ...inputs,
      },
      env,
    });
    const lines = run.stdout.split('\n');
    return {
      ...run,
      sim,
      log: lines.filter((l) => !l.startsWith('::')).join('\n'),
      annotations: lines.filter((l) => /^::(warning|error)/.test(l)),
    };
  } finally {
    await sim.close();
  }
}

/** Status reads the simulator served (offer status or operation). */
export const statusRequests = (run: Run) =>
  run.sim.requests.filter((r) => /\/(status|operations\/[^/]+)$/.test(r.path));
