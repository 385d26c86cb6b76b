/**
 * `npm run local-action [-- <env file>]`: `@github/local-action` runs `src/main.ts` (unbundled)
 * with the inputs and runner variables of the env file (default `.env`, from `.env.example`).
 * It writes the job summary to `GITHUB_STEP_SUMMARY` only if that file already exists, which the
 * runner would have made: this creates it (and its folder) empty first, then runs local-action.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

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
const run = spawnSync(process.execPath, [bin, 'run', '.', 'src/main.ts', envFile], {
  stdio: 'inherit',
});
if (run.error) throw run.error;
if (summary) console.log(`\nJob summary: ${summary} (${statSync(resolve(summary)).size} bytes)`);
process.exit(run.status ?? 1);
