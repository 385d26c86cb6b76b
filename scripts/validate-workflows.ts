/**
 * `npm run validate` (CI runs it): every workflow a user or maintainer meets is checked by a
 * maintained validator (@action-validator/cli, GitHub's schemas for actions and workflows):
 * action.yml, .github/workflows/*.yml, and every YAML example in the README and docs — a whole
 * workflow as it is, a list of steps wrapped in a minimal workflow. On top, each step that uses
 * this action may only pass inputs action.yml declares, and must pass the required ones: the
 * schema cannot know them, and a misspelt input is silently ignored by the runner.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const problems: string[] = [];

interface ActionYml {
  description: string;
  inputs: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string };
}
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml;

// GitHub Marketplace refuses to list a release whose description is 125 characters or more, and
// it checks only at release time: checked here, on every run.
if (action.description.length >= 125)
  problems.push(
    `action.yml: the description is ${action.description.length} characters; GitHub Marketplace takes fewer than 125.`,
  );

// The validator's bundled schema predates `node24` (GitHub's runtime since 2026): action.yml is
// validated with `using` read as node20, and `using` is checked here instead.
if (action.runs.using !== 'node24')
  problems.push(`action.yml: runs.using is ${action.runs.using}, not node24.`);

const dir = mkdtempSync(join(tmpdir(), 'validate-'));
const files: { path: string; shown: string }[] = [];
writeFileSync(
  join(dir, 'action.yml'),
  readFileSync(join(root, 'action.yml'), 'utf8').replace(/using:\s*node24/, 'using: node20'),
);
files.push({ path: join(dir, 'action.yml'), shown: 'action.yml' });

const workflowsDir = join(root, '.github', 'workflows');
for (const name of existsSync(workflowsDir) ? readdirSync(workflowsDir) : []) {
  if (/\.ya?ml$/.test(name))
    files.push({ path: join(workflowsDir, name), shown: `.github/workflows/${name}` });
}

/** A step that uses this action: the repository itself, or the action by its published name. */
const THIS_ACTION = /^\.\/$|\/azure-marketplace-release@/;

type Step = { uses?: string; with?: Record<string, unknown>; [k: string]: unknown };
type Workflow = { jobs?: Record<string, { steps?: Step[] }> };

/** The Markdown files whose YAML examples are checked. */
const docs = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`),
].filter((f) => f.endsWith('.md') && existsSync(join(root, f)));
let examples = 0;
for (const doc of docs) {
  const text = readFileSync(join(root, doc), 'utf8');
  for (const match of text.matchAll(/```ya?ml\n([\s\S]*?)```/g)) {
    const line = text.slice(0, match.index).split('\n').length + 1;
    const shown = `${doc}:${line}`;
    let value: unknown;
    try {
      value = parse(match[1]!);
    } catch (error) {
      problems.push(`${shown}: not YAML: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    // A whole workflow as written; steps (a list, or one step) inside a minimal one.
    const steps = Array.isArray(value)
      ? value
      : value && typeof value === 'object' && 'uses' in value
        ? [value]
        : undefined;
    const workflow = steps
      ? { on: 'workflow_dispatch', jobs: { example: { 'runs-on': 'ubuntu-latest', steps } } }
      : value;
    if (!workflow || typeof workflow !== 'object' || !('jobs' in workflow)) continue; // not a workflow
    const path = join(dir, `example-${++examples}.yml`);
    // An example may show the jobs without the trigger it leaves to the reader.
    writeFileSync(path, JSON.stringify({ on: 'workflow_dispatch', ...workflow }));
    files.push({ path, shown });
    checkInputs(workflow as Workflow, shown);
  }
}
for (const f of files.filter((f) => f.shown.startsWith('.github/'))) {
  checkInputs(parse(readFileSync(f.path, 'utf8')) as Workflow, f.shown);
}

/** Steps that use this action pass only its inputs, and all its required ones. */
function checkInputs(workflow: Workflow, shown: string): void {
  for (const [job, { steps = [] }] of Object.entries(workflow.jobs ?? {})) {
    for (const step of steps) {
      if (!step.uses || !THIS_ACTION.test(step.uses)) continue;
      const given = Object.keys(step.with ?? {});
      for (const name of given) {
        if (!(name in action.inputs))
          problems.push(`${shown} (job ${job}): input '${name}' is not in action.yml.`);
      }
      for (const [name, input] of Object.entries(action.inputs)) {
        if (input.required && !given.includes(name)) {
          problems.push(`${shown} (job ${job}): required input '${name}' is missing.`);
        }
      }
    }
  }
}

const bin = join(root, 'node_modules', '.bin', 'action-validator');
for (const f of files) {
  const run = spawnSync(bin, [f.path], { encoding: 'utf8' });
  if (run.status !== 0) problems.push(`${f.shown}: ${(run.stdout || run.stderr).trim()}`);
}
rmSync(dir, { recursive: true, force: true });

if (problems.length > 0) {
  console.error(`${problems.length} problem(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(
  `Valid: action.yml, ${files.filter((f) => f.shown.startsWith('.github/')).length} workflow(s) in .github/workflows, ` +
    `and ${examples} workflow example(s) in ${docs.join(', ')}.`,
);
