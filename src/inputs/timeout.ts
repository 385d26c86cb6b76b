/**
 * The `timeout` input, within what the runner allows. A GitHub-hosted runner stops a job at 6 h,
 * and a stopped job's step writes neither its summary nor its outputs: there, a longer wait is a
 * mistake to report before it starts, with the way to wait for days instead.
 */
import { docsUrl } from '../core/docs.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { InputError, printable } from './errors.js';
import { duration, type GetInput } from './fields.js';

/** What the inputs need from the runner's environment (`process.env` on the runner). */
export interface RunnerEnv {
  /** `github-hosted` or `self-hosted`, as the Actions runner sets it; unset outside a runner. */
  readonly RUNNER_ENVIRONMENT?: string | undefined;
}

/** The longest wait on a GitHub-hosted runner: 10 minutes below its 6 h job limit. */
const HOSTED_MAX_TIMEOUT_MS = 5 * 3_600_000 + 50 * 60_000;
// No GitHub job runs longer than 5 days (self-hosted); 7 days leaves room and stays far below the
// 24.8-day limit of Node's timers, which the wait's deadline uses.
const MAX_TIMEOUT_MS = 7 * 86_400_000;

/** The `timeout` input in milliseconds: at most 5h50m on a GitHub-hosted runner, else 7d. */
export function readTimeout(getInput: GetInput, env: RunnerEnv): number {
  const hosted = env.RUNNER_ENVIRONMENT?.trim().toLowerCase() === 'github-hosted';
  const raw = getInput('timeout').trim();
  const ms = parseDuration(raw);
  if (hosted && ms !== undefined && ms > HOSTED_MAX_TIMEOUT_MS) {
    throw new InputError(
      'timeout',
      `'${printable(raw)}' is longer than a GitHub-hosted job may run: GitHub stops it at 6 h, ` +
        'before this step could write its summary and outputs. Use at most ' +
        `${formatDuration(HOSTED_MAX_TIMEOUT_MS)} here. To wait for days (certification), start ` +
        'the publish with wait-until: none and track: deployment, and check the offer on a ' +
        `schedule: ${docsUrl('tracking')}#the-multi-day-pattern. A self-hosted runner allows up ` +
        `to ${formatDuration(MAX_TIMEOUT_MS)}.`,
    );
  }
  return duration(getInput, 'timeout', 1_000, MAX_TIMEOUT_MS);
}
