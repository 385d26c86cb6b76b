/**
 * Sending a publish or a go-live safely. A write that got no clear answer (no answer, a timeout, a
 * 5xx) may still have started something, so before any second try the service is asked again
 * whether it did; once something runs, nothing is sent again. API-blind: the adapter sends and
 * looks, this decides.
 */
import type { Started } from './adapters/adapter.js';
import type { WriteName } from './core/started.js';
import { ApiError } from './http/api-error.js';

export type { WriteName };

export type WriteOutcome =
  /** This step's request started it (`confirmed: false`: seen running after an unclear answer). */
  | { kind: 'sent'; started: Started; confirmed: boolean }
  /** Another request won the race (409, "submission already exists"): follow that one. */
  | { kind: 'joined'; started: Started | undefined; reason: string };

export interface WriteDeps {
  /** Sends the request once. */
  send(): Promise<Started>;
  /** After an unclear answer: what runs now because of it, if anything. */
  lookAgain(): Promise<Started | undefined>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** A line for the log. */
  info(message: string): void;
}

export interface WriteOptions {
  name: WriteName;
  deadline: number;
  /** Waited before looking again: long enough for the service to show what it started. */
  settleMs: number;
  /** Requests at most, counting the first. */
  maxAttempts?: number;
}

/** A conflict: another publish runs or won the race. */
export function isConflict(error: ApiError): boolean {
  const said = `${error.details.code ?? ''} ${error.details.serviceMessage ?? ''}`;
  return (
    error.status === 409 ||
    /submission already exists|in progress submission|already in progress/i.test(said)
  );
}

/** An answer that says the service did nothing: safe to send again after the wait it asks for. */
function refusedForNow(error: ApiError): boolean {
  return error.status === 408 || error.status === 429;
}

/** No answer, a timeout, a 5xx, or an unreadable 2xx: the service may have acted. */
function unclear(error: ApiError): boolean {
  return (
    error.details.kind === 'network' ||
    (error.status !== undefined && error.status >= 500) ||
    (error.details.kind === 'body' && error.status !== undefined && error.status < 300)
  );
}

export async function sendOnce(options: WriteOptions, deps: WriteDeps): Promise<WriteOutcome> {
  const { name, deadline, settleMs } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    let error: ApiError;
    try {
      return { kind: 'sent', started: await deps.send(), confirmed: true };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error = e;
    }
    if (isConflict(error)) {
      return {
        kind: 'joined',
        started: await deps.lookAgain().catch(() => undefined),
        reason: error.message,
      };
    }
    const last = attempt >= maxAttempts || deps.now() >= deadline;
    const waitMs = Math.max(error.details.retryAfterMs ?? 0, settleMs);
    // Retried only when the wait it asks for ends before the deadline.
    if (refusedForNow(error) && !last && deps.now() + waitMs < deadline) {
      deps.info(
        `  ↻ ${error.message} Sending the ${name} again in ${(waitMs / 1000).toFixed(1)}s.`,
      );
      await deps.sleep(waitMs);
      continue;
    }
    if (!unclear(error)) throw refused(name, error);

    // The service may have acted: look before anything else, and never send twice once it runs.
    deps.info(
      `  ↻ ${error.message} The ${name} request may still have reached the service; ` +
        `looking again in ${(settleMs / 1000).toFixed(1)}s before anything else.`,
    );
    await deps.sleep(Math.min(settleMs, Math.max(0, deadline - deps.now())));
    let found: Started | undefined;
    try {
      found = await deps.lookAgain();
    } catch (lookError) {
      const why = lookError instanceof Error ? lookError.message : String(lookError);
      throw new ApiError(
        `The ${name} request got no clear answer (${error.message}) and whether it started ` +
          `anything could not be checked (${why}). Nothing more was sent: look in Partner Center ` +
          'before running this step again.',
        { ...error.details, transient: false },
      );
    }
    if (found) return { kind: 'sent', started: found, confirmed: false };
    // Sending at the deadline would start something this step has no time left to follow.
    if (last || deps.now() >= deadline) {
      const times = attempt === 1 ? 'once' : `${attempt} times`;
      throw new ApiError(
        `The ${name} request failed ${times}, and nothing was started: ${error.message}`,
        { ...error.details, transient: false },
      );
    }
  }
}

function refused(name: WriteName, error: ApiError): ApiError {
  return new ApiError(`The ${name} request was refused: ${error.message}`, {
    ...error.details,
    transient: false,
  });
}
