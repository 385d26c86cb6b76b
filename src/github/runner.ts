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

export const actionsRunner: Runner = {
  getInput: (name) => core.getInput(name),
  setSecret: (secret) => core.setSecret(secret),
  setOutput: (name, value) => core.setOutput(name, value),
  info: (message) => core.info(message),
  debug: (message) => core.debug(message),
  warning: (message, title) => core.warning(message, title ? { title } : {}),
  error: (message, title) => core.error(message, title ? { title } : {}),
  setFailed: (message) => core.setFailed(message),
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
 * The same runner, with every message, output and summary passed through the redactor, and every
 * secret given to `setSecret` both masked by the runner and registered with the redactor.
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
    warning: (message, title) => runner.warning(r(message), title),
    error: (message, title) => runner.error(r(message), title),
    setFailed: (message) => runner.setFailed(r(message)),
    writeSummary: (html) => runner.writeSummary(r(html)),
  };
}
