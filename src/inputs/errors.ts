/**
 * The one error for an input that is wrong, and the one way to show the value it got: every
 * message starts `Input '<name>':`, so a user finds the line of the workflow to fix.
 */

export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input '${input}': ${message}`);
    this.name = 'InputError';
  }
}

/** A value as a message may quote it: control characters spelled out, at most 80 characters. */
export function printable(value: string): string {
  const shown = value.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
