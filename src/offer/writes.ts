/**
 * Sending a publish or a go-live safely. A write that got no clear answer (no answer, a timeout, a
 * 5xx) may still have started something, and the service may list it late; so a second send needs
 * two looks, one settle interval apart, that both show nothing started since the first send, in
 * any state. When the looks cannot be made (cancellation, the deadline, failing reads) the answer
 * is "unknown", never "nothing started". Nothing is sent once the step is cancelled. API-blind:
 * the adapter sends and looks, this decides.
 */
import type { Publication } from '../adapters/adapter.js';
import type { WriteName } from '../core/started.js';
import { ApiError } from '../http/api-error.js';

/** `T`: what the request's answer says it started (the adapter's `Started`), passed on unread. */
export type WriteOutcome<T = unknown> =
  /** The service answered: this request started it. */
  | { kind: 'sent'; started: T }
  /** No clear answer, and a look found what it started. */
  | { kind: 'found'; found: Publication; reason: string }
  /** Another write won the race (409, "submission already exists"): follow that one. */
  | { kind: 'joined'; found: Publication | undefined; reason: string }
  /**
   * The step was cancelled, or ran out of time or reads, before it could tell: `mayHaveStarted`
   * when a request got no clear answer and no two looks proved nothing started.
   */
  | { kind: 'stopped'; mayHaveStarted: boolean; reason: string };

export interface WriteDeps<T = unknown> {
  /** Sends the request once. */
  send(): Promise<T>;
  /**
   * What the service lists now that it did not list before the first send (any state), if
   * anything. Retried like any read; throws when the reads give up.
   */
  look(): Promise<Publication | undefined>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** True once the workflow was cancelled: nothing is sent after that. */
  cancelled(): boolean;
  /** A line for the log. */
  info(message: string): void;
}

export interface WriteOptions {
  name: WriteName;
  deadline: number;
  /** Waited before each look: long enough for the service to list what it started. */
  settleMs: number;
  /** Requests at most, counting the first. */
  maxAttempts?: number;
}

/** Looks in a row that must show nothing before a request that got no clear answer is sent again. */
const LOOKS_BEFORE_RESEND = 2;

/**
 * A conflict: another publish runs, holds the product, or won the race. By the answer's status
 * and code (`productLocked`, `conflict`), never its text: "Image version 1.4.0 already exists" is
 * a refusal of the request, not another publish.
 */
export function isConflict(error: ApiError): boolean {
  const code = (error.details.code ?? '').toLowerCase();
  return error.status === 409 || code === 'conflict' || code === 'productlocked';
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

/** A write that ended before it could tell whether it started (cancellation, deadline, reads). */
export class WriteStopped extends ApiError {
  constructor(
    message: string,
    readonly mayHaveStarted: boolean,
  ) {
    super(message, { kind: 'network', endpoint: 'write', transient: false });
    this.name = 'WriteStopped';
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

export async function sendOnce<T>(
  options: WriteOptions,
  deps: WriteDeps<T>,
): Promise<WriteOutcome<T>> {
  const { name, deadline, settleMs } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  // Whether an earlier request may have started something that no two looks have ruled out.
  let mayHaveStarted = false;
  let lastUnclear = '';
  const stopped = (why: string): WriteOutcome<T> => ({
    kind: 'stopped',
    mayHaveStarted,
    reason: mayHaveStarted
      ? `${why}; the ${name} request got no clear answer (${lastUnclear}), so it is unknown whether it started`
      : why,
  });

  for (let attempt = 1; ; attempt++) {
    if (deps.cancelled()) return stopped('The workflow was cancelled before the request was sent');
    let error: ApiError;
    try {
      return { kind: 'sent', started: await deps.send() };
    } catch (e) {
      if (deps.cancelled()) {
        // Cut off in flight: the request may have reached the service.
        mayHaveStarted = true;
        lastUnclear = e instanceof Error ? e.message : String(e);
        return stopped('The workflow was cancelled while the request was in flight');
      }
      if (!(e instanceof ApiError)) throw e;
      error = e;
    }
    if (isConflict(error)) {
      let found: Publication | undefined;
      try {
        found = await deps.look();
      } catch {
        found = undefined;
      }
      return { kind: 'joined', found, reason: error.message };
    }
    const last = attempt >= maxAttempts;
    if (refusedForNow(error)) {
      const waitMs = Math.max(error.details.retryAfterMs ?? 0, settleMs);
      // Retried only when the wait it asks for ends before the deadline.
      if (!last && deps.now() + waitMs < deadline) {
        deps.info(`  ↻ ${error.message} Sending the ${name} again in ${seconds(waitMs)}.`);
        await deps.sleep(waitMs);
        continue;
      }
      throw refused(name, error);
    }
    // A clear refusal. Whatever an earlier request did, two empty looks ruled out before this one.
    if (!unclear(error)) throw refused(name, error);

    // The service may have acted, and may list it late: look twice before anything else.
    mayHaveStarted = true;
    lastUnclear = error.message;
    deps.info(
      `  ↻ ${error.message} The ${name} request may still have reached the service; looking ` +
        `${LOOKS_BEFORE_RESEND} times, ${seconds(settleMs)} apart, before anything else.`,
    );
    const looked = await lookTwice(deps, settleMs, deadline);
    if (looked.kind === 'stopped') return stopped(looked.why);
    if (looked.kind === 'found')
      return { kind: 'found', found: looked.found, reason: error.message };
    // Two looks, a settle interval apart, both show nothing: nothing started.
    mayHaveStarted = false;
    if (last || deps.now() >= deadline) {
      const times = attempt === 1 ? 'once' : `${attempt} times`;
      throw new ApiError(
        `The ${name} request failed ${times}, and nothing was started (looked ` +
          `${LOOKS_BEFORE_RESEND} times after each): ${error.message}`,
        { ...error.details, transient: false },
      );
    }
  }
}

type Looked =
  { kind: 'found'; found: Publication } | { kind: 'nothing' } | { kind: 'stopped'; why: string };

/** Two looks, a settle interval apart, for what an unclear request started; or why they stopped. */
async function lookTwice(deps: WriteDeps, settleMs: number, deadline: number): Promise<Looked> {
  for (let look = 1; look <= LOOKS_BEFORE_RESEND; look++) {
    if (deps.now() + settleMs > deadline) {
      return {
        kind: 'stopped',
        why: `The deadline came before the ${look === 1 ? 'looks' : 'second look'}`,
      };
    }
    await deps.sleep(settleMs);
    if (deps.cancelled())
      return { kind: 'stopped', why: 'The workflow was cancelled while looking' };
    let found: Publication | undefined;
    try {
      found = await deps.look();
    } catch (lookError) {
      if (deps.cancelled()) {
        return { kind: 'stopped', why: 'The workflow was cancelled while looking' };
      }
      const why = lookError instanceof Error ? lookError.message : String(lookError);
      return { kind: 'stopped', why: `Whether it started could not be checked (${why})` };
    }
    if (found) return { kind: 'found', found };
  }
  return { kind: 'nothing' };
}

function refused(name: WriteName, error: ApiError): ApiError {
  return new ApiError(`The ${name} request was refused: ${error.message}`, {
    ...error.details,
    transient: false,
  });
}
