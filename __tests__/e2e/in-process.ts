/**
 * Runs the action's `run()` in the test's process, as the bundle runs on the Actions runner: inputs
 * read as the runner gives them, the runner's environment, and a runner facade that prints through
 * `actionsRunner` and @actions/core as the bundle does, with outputs and the summary kept as the
 * runner's files would hold them. Time is a `VirtualClock`'s: waits take no real time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import realProcess from 'node:process';
import { format } from 'node:util';
import type { Agent } from 'undici';
import { actionsRunner, type Runner } from '../../src/github/runner.js';
import { run } from '../../src/main.js';
import { runnerEnv, type ActionRun } from '../../simulator/run-action.js';
import type { VirtualClock } from './virtual-clock.js';

export interface InProcessOptions {
  inputs: Record<string, string>;
  /** Extra environment, over the runner's (e.g. `GITHUB_WORKSPACE`, `GITHUB_API_URL`). */
  env?: Record<string, string>;
  clock: VirtualClock;
  /** The workflow's cancellation (what SIGINT does to the bundle). */
  cancel?: AbortSignal;
  /** Options of the run's undici agent (e.g. a `connect.lookup` that fails). */
  agent?: Agent.Options;
  /**
   * The run's environment is also the process's while it runs, as it is the bundle's: for the
   * libraries that read `process.env` (@azure/identity) and the programs they start (`az`).
   */
  processEnv?: boolean;
}

/**
 * What the step did, as the bundle's run says it (`ActionRun`): its printed lines and commands in
 * order, the console's error stream, outputs and summary as the runner's files hold them; exit 1
 * when it failed (`setFailed`), never a signal; how long it ran and when it started, on the clock
 * (`VirtualClock.elapsed`).
 */
export interface InProcessRun extends Omit<
  ActionRun,
  'exitCode' | 'signal' | 'summaryPath' | 'outputPath'
> {
  exitCode: number;
  signal: null;
}

interface Said {
  stdout: string;
  exitCode: number;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * The runner facade: `actionsRunner` itself (src/github/runner.ts: `inert()`, then @actions/core)
 * for everything printed, its writes to stdout caught into `said`; outputs and the summary kept as
 * the runner's `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files hold them; inputs and the run's link
 * read from `env` as @actions/core and @actions/github read them from the process's.
 */
export function facade(env: Record<string, string>, said: Said): Runner {
  // @actions/core writes each line to stdout synchronously: caught for the call's length only.
  const print = (call: () => void) => {
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => {
      said.stdout += String(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      call();
    } finally {
      process.stdout.write = write;
    }
  };
  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim(),
    setSecret: (secret) => print(() => actionsRunner.setSecret(secret)),
    setOutput: (name, value) => void (said.outputs[name] = value),
    info: (message) => print(() => actionsRunner.info(message)),
    debug: (message) => print(() => actionsRunner.debug(message)),
    warning: (message, title) => print(() => actionsRunner.warning(message, title)),
    error: (message, title) => print(() => actionsRunner.error(message, title)),
    setFailed: (message) => {
      // The step's result is this run's, not the test process's exit code.
      const exitCode = process.exitCode;
      print(() => actionsRunner.setFailed(message));
      process.exitCode = exitCode;
      said.exitCode = 1;
    },
    writeSummary: async (html) => void (said.summary += `${html}\n`),
    runUrl: async () => {
      const runId = parseInt(env.GITHUB_RUN_ID ?? '', 10);
      if (!env.GITHUB_REPOSITORY || !runId) return undefined;
      const [owner, repo] = env.GITHUB_REPOSITORY.split('/');
      const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
      return `${server}/${owner}/${repo}/actions/runs/${runId}`;
    },
  };
}

/** Runs the action once, to its end. */
export async function runInProcess(options: InProcessOptions): Promise<InProcessRun> {
  const { clock } = options;
  const dir = mkdtempSync(join(tmpdir(), 'cpp-wait-'));
  const env = { ...runnerEnv(options.inputs, dir), ...options.env };
  const said: Said = { stdout: '', exitCode: 0, outputs: {}, summary: '' };
  let stderr = '';
  const restoreConsole = captureConsole(
    (line) => void (said.stdout += line),
    (line) => void (stderr += line),
  );
  const restoreEnv = options.processEnv ? useEnv(env) : () => {};
  const dispatcher = clock.dispatcher(options.agent);
  const startedAt = clock.elapsed();
  try {
    const runner = facade(env, said);
    // As the bundle's entry (src/index.ts): whatever escapes `run` fails the step in one line.
    await run({
      runner,
      now: clock.now,
      sleep: clock.sleep,
      timeout: clock.timeout,
      dispatcher,
      env,
      cancel: options.cancel,
    }).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      runner.setFailed(`cpp-publish-wait failed unexpectedly: ${reason}`);
    });
    // A test's own event that failed (starting a simulator, say) is the test's failure.
    if (clock.failures.length > 0) throw clock.failures[0];
    return {
      exitCode: said.exitCode,
      signal: null,
      stdout: said.stdout,
      stderr,
      outputs: said.outputs,
      summary: said.summary,
      durationMs: clock.elapsed() - startedAt,
      startedAt,
    };
  } finally {
    restoreEnv();
    restoreConsole();
    // The step's expiry and anything else it left scheduled end with it, as with its process.
    clock.clear();
    await dispatcher.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The console's writes while the step runs, where the process's would go: stdout or stderr. */
function captureConsole(out: (text: string) => void, err: (text: string) => void): () => void {
  const methods = ['log', 'info', 'debug', 'warn', 'error'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) {
    const to = m === 'warn' || m === 'error' ? err : out;
    console[m] = (...args: unknown[]) => to(`${format(...args)}\n`);
  }
  const warning = (w: Error) => err(`(node:${realProcess.pid}) ${w.name}: ${w.message}\n`);
  realProcess.on('warning', warning);
  return () => {
    methods.forEach((m, i) => (console[m] = saved[i]!));
    realProcess.off('warning', warning);
  };
}

/**
 * Makes `env` the whole environment while the step runs, in the test's `process.env` (which jest
 * copies) and in the real one (which child processes inherit); gives back a function that restores
 * both.
 */
function useEnv(env: Record<string, string>): () => void {
  const targets = [...new Set([process.env, realProcess.env])];
  const saved = targets.map((t) => ({ ...t }));
  const replace = (target: NodeJS.ProcessEnv, values: Record<string, string | undefined>) => {
    for (const key of Object.keys(target)) delete target[key];
    Object.assign(target, values);
  };
  targets.forEach((t) => replace(t, env));
  return () => targets.forEach((t, i) => replace(t, saved[i]!));
}
