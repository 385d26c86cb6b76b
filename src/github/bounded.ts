/**
 * Keeps what the step prints bounded, whatever a service sends: GitHub shows 10 error and 10
 * warning annotations per step, so past that an annotation becomes a plain log line (and the end of
 * the step says how many); and no log line is longer than 16 KiB.
 */
import type { Runner } from './runner.js';

/** Annotations of each kind per step that GitHub shows. */
export const ANNOTATIONS_SHOWN = 10;
/** The longest log line printed. */
export const MAX_LINE_CHARS = 16 * 1024;

export interface BoundedRunner extends Runner {
  /** Says, once, how many annotations became plain log lines; nothing when none did. */
  reportHidden(): void;
  /** A warning at the step's end (a timeout that does not fail it): the slot kept back for it. */
  endWarning(message: string): void;
}

/** Cuts each line of `text` to `MAX_LINE_CHARS`, saying how much was left out. */
export function clipLines(text: string, max = MAX_LINE_CHARS): string {
  if (text.length <= max) return text;
  return text
    .split('\n')
    .map((line) =>
      line.length <= max
        ? line
        : `${line.slice(0, max - 60)}… (${line.length - (max - 60)} more characters left out)`,
    )
    .join('\n');
}

/**
 * The runner, with each kind of annotation capped. One of each is kept back for the step's own
 * end: the failure (`setFailed`) and the warning of a timeout that does not fail the step.
 */
export function bounded(runner: Runner, shown = ANNOTATIONS_SHOWN): BoundedRunner {
  const used = { error: 0, warning: 0 };
  const hidden = { error: 0, warning: 0 };
  const annotate = (kind: 'error' | 'warning', message: string, title?: string) => {
    const text = clipLines(message);
    if (used[kind] < shown - 1) {
      used[kind]++;
      runner[kind](text, title);
    } else {
      hidden[kind]++;
      runner.info(
        clipLines(
          `${kind === 'error' ? 'Error' : 'Warning'}: ${title ? `${title}: ` : ''}${message}`,
        ),
      );
    }
  };
  return {
    ...runner,
    info: (message) => runner.info(clipLines(message)),
    debug: (message) => runner.debug(clipLines(message)),
    error: (message, title) => annotate('error', message, title),
    warning: (message, title) => annotate('warning', message, title),
    setFailed: (message) => runner.setFailed(clipLines(message)),
    endWarning: (message) => runner.warning(clipLines(message)),
    reportHidden: () => {
      if (hidden.error + hidden.warning === 0) return;
      const parts = [
        hidden.error ? `${hidden.error} more ${hidden.error === 1 ? 'error' : 'errors'}` : '',
        hidden.warning
          ? `${hidden.warning} more ${hidden.warning === 1 ? 'warning' : 'warnings'}`
          : '',
      ].filter(Boolean);
      runner.info(
        `${parts.join(' and ')} than the annotations above are in the log and the job summary ` +
          `(GitHub shows ${shown} of each per step).`,
      );
    },
  };
}

/** The runner for one of several offers: every line and annotation names it. */
export function prefixed(runner: Runner, offerId: string): Runner {
  const tag = `[${offerId}] `;
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => tag + line)
      .join('\n');
  return {
    ...runner,
    info: (message) => runner.info(lines(message)),
    debug: (message) => runner.debug(lines(message)),
    warning: (message, title) =>
      runner.warning(tag + message, title ? `${offerId}: ${title}` : offerId),
    error: (message, title) =>
      runner.error(tag + message, title ? `${offerId}: ${title}` : offerId),
  };
}
