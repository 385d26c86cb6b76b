/** What the input tests share: inputs as the runner gives them, and the `InputError` a read throws. */
import { InputError } from '../../src/inputs/index.js';

/** `getInput` over a table: an input not in it is empty, as on the runner. */
export const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';

/** The `InputError` `fn` throws; anything else (or nothing) fails the test. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
