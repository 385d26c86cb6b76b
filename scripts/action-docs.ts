/**
 * Writes the README's inputs and outputs tables from action.yml, so the reference never drifts from
 * what the runner reads, and its fault table from the fault-injection suite's cases. `--check` fails (exit 1) when the README is out of date; CI runs that.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { parse } from 'yaml';
import { faultCases } from '../__tests__/e2e/fault-cases.js';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const README = new URL('../README.md', import.meta.url);
const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYml;

const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

function inputsTable(): string {
  const rows = Object.entries(action.inputs).map(([name, i]) => {
    const fallback = i.required ? '**required**' : i.default ? `\`${i.default}\`` : '';
    return `| \`${name}\` | ${fallback} | ${cell(i.description)} |`;
  });
  return ['| input | default | description |', '| --- | --- | --- |', ...rows].join('\n');
}

function outputsTable(): string {
  const rows = Object.entries(action.outputs).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description)} |`,
  );
  return ['| output | description |', '| --- | --- |', ...rows].join('\n');
}

/** The fault-injection suite's cases, each proven by a test in __tests__/e2e/faults.test.ts. */
function faultsTable(): string {
  const rows = faultCases.map((c) => `| ${cell(c.fault)} | ${c.outcome} | ${cell(c.seen)} |`);
  return [
    '| fault or bad input | the action | what you see |',
    '| --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function fill(text: string, name: string, table: string): string {
  const pattern = new RegExp(
    `(<!-- action-docs:${name} -->)[\\s\\S]*?(<!-- /action-docs:${name} -->)`,
  );
  if (!pattern.test(text)) throw new Error(`README.md has no <!-- action-docs:${name} --> block.`);
  return text.replace(
    pattern,
    (_, open: string, close: string) => `${open}\n\n${table}\n\n${close}`,
  );
}

const current = readFileSync(README, 'utf8');
// Formatted as `npm run lint` expects, so the check and the formatter agree.
const options = (await prettier.resolveConfig(fileURLToPath(README))) ?? {};
const filled = fill(
  fill(fill(current, 'inputs', inputsTable()), 'outputs', outputsTable()),
  'faults',
  faultsTable(),
);
const next = await prettier.format(filled, { ...options, parser: 'markdown' });
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error(
      "README.md's generated tables are out of date: run `npm run docs` and commit README.md.",
    );
    process.exit(1);
  }
  console.log('README.md generated tables are up to date.');
} else {
  writeFileSync(README, next);
  console.log('README.md generated tables written.');
}
