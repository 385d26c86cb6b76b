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

/**
 * A value as a message may quote it: control characters (C0, C1) and line separators spelled out,
 * at most 80 characters.
 */
export function printable(value: string): string {
  const shown = value.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
    },
  );
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
