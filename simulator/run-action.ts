/**
 * Runs the bundled action (`dist/index.js`) the way the Actions runner does: a new Node process with
 * `INPUT_*` variables, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, and a minimal environment.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle; `ACTION_ENTRY` runs another build (e.g. an older one, to show a test fails on it). */
export const DIST_ENTRY =
  process.env.ACTION_ENTRY ?? fileURLToPath(new URL('../dist/index.js', import.meta.url));

export interface ActionRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  summaryPath: string;
  outputPath: string;
  durationMs: number;
  /** `performance.now()` just before the process was spawned (the simulator's `startedAt` clock). */
  startedAt: number;
}

export interface RunOptions {
  inputs: Record<string, string>;
  /** Extra environment (e.g. `NODE_EXTRA_CA_CERTS`); merged over the minimal runner-like env. */
  env?: Record<string, string>;
  /** Kill the action after this long (a guard for tests, not a behaviour). */
  killAfterMs?: number;
  /** Stream the action's stdout here as it comes (the demo does). */
  onStdout?: (chunk: string) => void;
  /** Called once the process has started, e.g. to send it signals. */
  onSpawn?: (pid: number) => void;
  /** Keep the temporary folder with the output and summary files (the demo shows their path). */
  keepFiles?: boolean;
  /** The program to start instead of Node (the benchmark runs a shell script the same way). */
  command?: string;
  /** Its arguments instead of the bundle's path (e.g. `['-e', '0']` for a bare Node). */
  args?: string[];
}

/** Parses the runner's `GITHUB_OUTPUT` file: `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

/** The environment the runner gives a step: `INPUT_*` for `inputs`; its files and home in `dir`. */
export function runnerEnv(inputs: Record<string, string>, dir: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: join(dir, 'output.txt'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_REPOSITORY: 'contoso/release',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: dir,
  };
  for (const [name, value] of Object.entries(inputs)) {
    // The runner upper-cases the name and turns spaces into underscores, but keeps hyphens.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return env;
}

export function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cpp-wait-'));
  const env = { ...runnerEnv(options.inputs, dir), ...options.env };
  writeFileSync(env.GITHUB_OUTPUT!, '');
  writeFileSync(env.GITHUB_STEP_SUMMARY!, '');
  const started = performance.now();
  const child = spawn(options.command ?? process.execPath, options.args ?? [DIST_ENTRY], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const guard = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(guard);
      const run: ActionRun = {
        exitCode,
        signal,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
        summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
        summaryPath: env.GITHUB_STEP_SUMMARY!,
        outputPath: env.GITHUB_OUTPUT!,
        durationMs: performance.now() - started,
        startedAt: started,
      };
      if (!options.keepFiles) rmSync(dir, { recursive: true, force: true });
      resolve(run);
    });
  });
}
