/**
 * The few things the action asks of the Actions runner, behind one small interface so that the flow
 * in `main` runs in tests without module mocks.
 */
import * as core from '@actions/core';
import type { Redactor } from './redact.js';

export interface Runner {
  getInput(name: string): string;
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  setFailed(message: string): void;
  writeSummary(html: string): Promise<void>;
  /** A link to this workflow run, when the runner's context names one. */
  runUrl(): Promise<string | undefined>;
}

/**
 * What the Actions runner reads as a command in a line of the step's output (actions/runner,
 * `ActionCommand.TryParseV2` and `TryParse`, fed by `OutputManager` one line at a time, lines
 * split at LF, CR or CRLF):
 * - `::name props::data`: the line, after .NET's `TrimStart()` (any Unicode white space), starts
 *   with `::`; the name (case-insensitive) is a known command (`error`, `warning`, `add-mask`,
 *   `stop-commands`, …).
 * - the legacy `##[name props]data`: `##[` **anywhere** in the line, not only at its start.
 * @actions/core's own commands escape `%`, CR and LF in their data (and `:` and `,` in
 * properties), so an annotation cannot end its line; `info` writes the text as it is.
 */
// .NET's white space is JavaScript's `\s` plus NEL (U+0085); U+180E is there for older runtimes.
const COMMAND_START = /^([\s\u0085\u180e]*)::/;
const LEGACY_COMMAND = /##\[(?!\\)/g;

/**
 * Text to print as it reads, never as a runner command: a line that would start with `::` gets a
 * backslash before it (`\::error::…`), and every `##[` becomes `##[\` (the runner's own way of
 * defusing its `##[start-action` markers in a step's output). Lines split where the runner splits
 * them (CR, LF, CRLF) and are joined with LF. Applying it twice changes nothing more.
 */
export function inert(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(LEGACY_COMMAND, '##[\\').replace(COMMAND_START, '$1\\::'))
    .join('\n');
}

export const actionsRunner: Runner = {
  getInput: (name) => core.getInput(name),
  setSecret: (secret) => core.setSecret(secret),
  setOutput: (name, value) => core.setOutput(name, value),
  // The last guard: whatever reached a log line (a service's text in an error, a file name), the
  // runner prints it. Annotations are commands whose data @actions/core escapes, so they cannot
  // end their line; `##[` is defused in them too, so that no line of the step carries one.
  info: (message) => core.info(inert(message)),
  debug: (message) => core.debug(inert(message)),
  warning: (message, title) => core.warning(inert(message), title ? { title: inert(title) } : {}),
  error: (message, title) => core.error(inert(message), title ? { title: inert(title) } : {}),
  setFailed: (message) => core.setFailed(inert(message)),
  writeSummary: async (html) => {
    await core.summary.addRaw(html, true).write();
  },
  runUrl: async () => {
    // `context.repo` throws without GITHUB_REPOSITORY; outside a workflow there is simply no link.
    if (!process.env.GITHUB_REPOSITORY) return undefined;
    // Loaded for the summary only: @actions/github brings Octokit, which nothing before needs.
    const { context } = await import('@actions/github');
    if (!context.runId) return undefined;
    const { owner, repo } = context.repo;
    return `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  },
};

/**
 * The same runner, with every message, annotation title, output and summary passed through the
 * redactor, and every secret given to `setSecret` both masked by the runner and registered with
 * the redactor.
 */
export function redacting(runner: Runner, redactor: Redactor): Runner {
  const r = (text: string) => redactor.redact(text);
  return {
    ...runner,
    setSecret: (secret) => {
      runner.setSecret(secret);
      redactor.add(secret);
    },
    setOutput: (name, value) => runner.setOutput(name, r(value)),
    info: (message) => runner.info(r(message)),
    debug: (message) => runner.debug(r(message)),
    warning: (message, title) => runner.warning(r(message), title === undefined ? title : r(title)),
    error: (message, title) => runner.error(r(message), title === undefined ? title : r(title)),
    setFailed: (message) => runner.setFailed(r(message)),
    writeSummary: (html) => runner.writeSummary(r(html)),
  };
}
