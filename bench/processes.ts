/**
 * The processes the benchmark compares, all started through the simulator's `runAction` (the same
 * spawn, the same runner-like environment): the bundled action, a bare Node, and the curl/jq loop.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DIST_ENTRY, runAction, type ActionRun, type RunOptions } from '../simulator/run-action.js';
import type { Simulator } from '../simulator/server.js';

const CURL_JQ_SCRIPT = fileURLToPath(new URL('./curl-jq-poll.sh', import.meta.url));
const FAST_CLOCK = fileURLToPath(new URL('./fast-clock.mjs', import.meta.url));

/** The bundle under test: the committed dist/, or another build (`npm run bench -- --dist DIR`). */
let entry = DIST_ENTRY;
export function useBundle(distDir: string): void {
  entry = join(distDir, 'index.js');
}

/** The status endpoint both the action and the curl/jq loop poll. */
export function statusUrl(sim: Simulator): string {
  return `${sim.url}/api/publishers/${sim.publisherId}/offers/${sim.offerId}/status?api-version=2017-10-31`;
}

function actionInputs(sim: Simulator, extra: Record<string, string> = {}) {
  return {
    'publisher-id': sim.publisherId,
    'offer-id': sim.offerId,
    'access-token': sim.token,
    'base-url': sim.url,
    'poll-interval': '1s',
    'wait-until': 'completion',
    timeout: '10m',
    ...extra,
  };
}

type Extra = Omit<RunOptions, 'inputs' | 'command' | 'args'>;

/** Runs `dist/index.js`; a run that does not end in success is no measurement. */
export async function runBundle(
  sim: Simulator,
  inputs: Record<string, string> = {},
  extra: Extra = {},
): Promise<ActionRun> {
  return expectSuccess(
    'the action',
    await runAction({
      inputs: actionInputs(sim, inputs),
      args: [entry],
      killAfterMs: 120_000,
      ...extra,
    }),
  );
}

/** `node <args>` spawned exactly as the action is. */
export async function runNode(args: string[], extra: Extra = {}): Promise<ActionRun> {
  return expectSuccess(`node ${args.join(' ')}`, await runAction({ inputs: {}, args, ...extra }));
}

/** The curl/jq loop, polling every `intervalSeconds`. */
export async function runCurlJq(
  sim: Simulator,
  intervalSeconds: number,
  wrap: string[] = [],
): Promise<ActionRun> {
  const [command, ...args] = [...wrap, '/bin/bash', CURL_JQ_SCRIPT];
  return expectSuccess(
    'curl-jq-poll.sh',
    await runAction({
      inputs: {},
      command: command!,
      args,
      killAfterMs: 120_000,
      env: {
        BASE: sim.url,
        P: sim.publisherId,
        O: sim.offerId,
        TOKEN: sim.token,
        INTERVAL: String(intervalSeconds),
      },
    }),
  );
}

/** NODE_OPTIONS and variables that preload the fast clock and its exit report. */
export function fastClockEnv(factor: number, reportFile: string): Record<string, string> {
  return {
    NODE_OPTIONS: `--import=${pathToFileURL(FAST_CLOCK).href}`,
    FAST_CLOCK_FACTOR: String(factor),
    FAST_CLOCK_REPORT: reportFile,
  };
}

function expectSuccess(what: string, run: ActionRun): ActionRun {
  if (run.exitCode !== 0) {
    const tail = (run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n');
    throw new Error(
      `${what} exited with ${run.exitCode ?? run.signal}; a failed run measures nothing.\n${tail}`,
    );
  }
  return run;
}
