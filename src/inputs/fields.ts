/**
 * Readers for the shapes an input's value takes (a duration, a choice, a count, a boolean, an id),
 * each with the `InputError` that names the input and the form it expects.
 */
import { formatDuration, parseDuration } from '../core/duration.js';
import { InputError, printable } from './errors.js';

/** Reads one input by name; empty when it is not set. */
export type GetInput = (name: string) => string;

export function required(getInput: GetInput, name: string): string {
  const value = getInput(name).trim();
  if (value === '') throw new InputError(name, 'is required but empty.');
  return value;
}

/**
 * A value that becomes one path segment of an API URL. It is URL-encoded anyway; rejecting these
 * characters catches mistakes (a pasted URL, a stray space) with a message instead of a 404.
 */
export function pathSegment(name: string, value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[/?#\\\s\u0000-\u001f\u007f]/.test(value) || value.includes('..')) {
    throw new InputError(
      name,
      `'${printable(value)}' is not a valid id: it must not contain '/', '\\', '?', '#', '..', ` +
        'whitespace or control characters. Use the id alone, e.g. `contoso`, not a URL.',
    );
  }
  return value;
}

export function duration(getInput: GetInput, name: string, min: number, max: number): number {
  const raw = getInput(name).trim();
  const ms = parseDuration(raw);
  if (ms === undefined) {
    throw new InputError(
      name,
      `'${printable(raw)}' is not a duration. Use e.g. 45s, 30m, 2h, 1h30m, or a number of seconds.`,
    );
  }
  if (ms < min || ms > max) {
    throw new InputError(
      name,
      `'${raw}' is out of range: use at least ${formatDuration(min)} and at most ${formatDuration(max)}.`,
    );
  }
  return ms;
}

/** One of `values`, in any case. */
export function oneOf<T extends string>(getInput: GetInput, name: string, values: readonly T[]): T {
  const raw = getInput(name).trim();
  const found = values.find((v) => v === raw.toLowerCase());
  if (!found) {
    throw new InputError(name, `'${printable(raw)}' is not one of: ${values.join(', ')}.`);
  }
  return found;
}

export function count(getInput: GetInput, name: string, min: number, max: number): number {
  const raw = getInput(name).trim();
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    throw new InputError(name, `'${printable(raw)}' is not a whole number from ${min} to ${max}.`);
  }
  return n;
}

export function boolean(getInput: GetInput, name: string): boolean {
  const raw = getInput(name).trim().toLowerCase();
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new InputError(name, `'${printable(raw)}' is not a boolean: use true or false.`);
}

/** Comma- or newline-separated values, trimmed, empty ones dropped. */
export function listOf(raw: string): string[] {
  return raw
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A deployment environment's name (template): GitHub's limits, checked before any request. */
export function environmentName(raw: string): string {
  const name = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new InputError(
      'environment',
      `'${printable(name)}' is not an environment name: at most 200 printable characters, e.g. marketplace-{offer}.`,
    );
  }
  return name;
}

/** Comma-separated addresses, sent as one comma-separated string as the API documents. */
export function emails(raw: string): string {
  const all = raw
    .split(/[,;\n]/)
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = all.find((e) => !/^[^@\s]+@[^@\s]+$/.test(e));
  if (bad) {
    throw new InputError(
      'notification-emails',
      `'${printable(bad)}' is not an email address. Use comma-separated addresses, e.g. release@contoso.com, ops@contoso.com.`,
    );
  }
  return all.join(',');
}
