/**
 * `npm run local-action [-- <env file>]`: `@github/local-action` runs `src/main.ts` (unbundled)
 * with the inputs and runner variables of the env file (default `.env`, from `.env.example`).
 * It writes the job summary to `GITHUB_STEP_SUMMARY` only if that file already exists, which the
 * runner would have made: this creates it (and its folder) empty first, then runs local-action.
 * It shows the action's log and outputs without the tool's metadata tables, and exits non-zero
 * when the action failed: the tool's exit code, or the failure the action logged last (the tool's
 * `core.setFailed` does not set an exit code).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { LocalActionOutput } from './local-action-output.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const envFile = process.argv[2] ?? '.env';
if (process.argv.length > 3 || envFile.startsWith('-')) {
  process.stderr.write('Usage: npm run local-action [-- <env file>]   (default: .env)\n');
  process.exit(2);
}
if (!existsSync(resolve(envFile))) {
  process.stderr.write(
    `${envFile} not found: copy .env.example to .env (and start \`npm run simulator\`).\n`,
  );
  process.exit(2);
}

// local-action loads the file over the environment (dotenv's override), so the file's value wins.
const summary =
  parseEnv(readFileSync(resolve(envFile), 'utf8')).GITHUB_STEP_SUMMARY ??
  process.env.GITHUB_STEP_SUMMARY;
if (summary) {
  mkdirSync(dirname(resolve(summary)), { recursive: true });
  writeFileSync(resolve(summary), '');
}

const bin = resolve(root, 'node_modules/@github/local-action/bin/local-action.js');
const child = spawn(process.execPath, [bin, 'run', '.', 'src/main.ts', envFile], {
  stdio: ['inherit', 'pipe', 'inherit'],
});
const closed = new Promise<number>((done, fail) => {
  child.on('error', fail);
  child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
});
// Ctrl+C reaches the action too (one process group): stay to report how it ended.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));

const output = new LocalActionOutput();
const show = (lines: string[]) => {
  for (const line of lines) process.stdout.write(`${line}\n`);
};
for await (const line of createInterface({ input: child.stdout })) show(output.line(line));
show(output.end());
const status = await closed;

if (summary) console.log(`\nJob summary: ${summary} (${statSync(resolve(summary)).size} bytes)`);
if (status !== 0 || output.failed) {
  console.log(
    status !== 0
      ? `The action failed (local-action exited with ${status}).`
      : 'The action failed (its last line is the failure).',
  );
  process.exit(status || 1);
}
