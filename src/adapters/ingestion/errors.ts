/**
 * A configure job's `errors[]`, nested `details` included, as lines and as codes: what a failed
 * job says, and whether it says another submission holds the product. Bounded, whatever the
 * service sends.
 */
import { statusKey } from '../../core/status.js';
import { ApiError } from '../../http/api-error.js';
import type { JobError } from './schemas.js';
import { word } from './words.js';

const MAX_ERROR_DEPTH = 8;
const MAX_ERRORS = 500;

/** Every error entry at any depth, in order, within the bounds. */
function everyError(errors: readonly unknown[], each: (e: JobError) => void, count: () => number) {
  const visit = (items: readonly unknown[], depth: number) => {
    for (const item of items) {
      if (count() >= MAX_ERRORS || depth > MAX_ERROR_DEPTH) return;
      if (!item || typeof item !== 'object') continue;
      const e = item as JobError;
      each(e);
      if (Array.isArray(e.details)) visit(e.details, depth + 1);
    }
  };
  visit(errors, 0);
}

/** Every `errors[]` entry, nested `details` included, as `resourceId: code: message`. */
export function flattenErrors(errors: readonly unknown[]): string[] {
  const lines: string[] = [];
  everyError(
    errors,
    (e) => {
      const parts = [word(e.resourceId), word(e.code), word(e.message)].filter(Boolean);
      if (parts.length > 0) {
        const line = parts.join(': ');
        lines.push(isCertificationFailure(e) ? `Certification failed: ${line}` : line);
      }
    },
    () => lines.length,
  );
  return lines;
}

/** Error codes that mean another submission holds the product (`statusKey` spelling). */
const CONFLICT_CODES: ReadonlySet<string> = new Set(['productlocked', 'conflict']);

/** Every error's `code` at any depth, in `statusKey` spelling (bounded like `flattenErrors`). */
export function errorCodes(errors: readonly unknown[]): string[] {
  const codes: string[] = [];
  everyError(
    errors,
    (e) => {
      const code = statusKey(word(e.code));
      if (code) codes.push(code);
    },
    () => codes.length,
  );
  return codes;
}

/**
 * A job's errors that say another submission holds the product: by their code (`productLocked`,
 * `conflict`, at any depth), never their text — "Image version 1.4.0 already exists" is a
 * validation error, not a lock.
 */
export function conflictErrors(errors: readonly unknown[]): string[] {
  return errorCodes(errors).some((code) => CONFLICT_CODES.has(code)) ? flattenErrors(errors) : [];
}

/** A certification failure comes back as an `invalidState` error that mentions certification. */
function isCertificationFailure(e: JobError): boolean {
  return statusKey(word(e.code)) === 'invalidstate' && /certif/i.test(word(e.message));
}

/** A refusal because a submission runs, worded and coded as the 409 it amounts to. */
export function conflict(what: string, errors: string[], endpoint: string): ApiError {
  return new ApiError(`${what}: ${errors.join(' | ')}`, {
    kind: 'http',
    endpoint,
    status: 409,
    code: 'conflict',
    serviceMessage: errors.join(' | '),
    transient: false,
  });
}
