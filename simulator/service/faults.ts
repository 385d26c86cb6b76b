/**
 * How a simulated service answers a write, fault by fault. "Acting" means starting the operation or
 * submission in the model: a fault after acting leaves the service with a publish the client cannot
 * see the answer for, which is what makes a retried write dangerous.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { error } from './http.js';

/**
 * `accept` it; act and then drop the connection, stall or answer 500 (the service did start
 * something, the client cannot tell); answer 503 or 429 once without acting; `conflict` (409:
 * another client's write won the race, and runs); `validation` (422) or `bad-request` (400) without
 * acting.
 */
export type WriteFault =
  | 'accept'
  | 'drop-after-acting'
  | 'stall-after-acting'
  | '500-after-acting'
  | '503-before-acting'
  | '429-once'
  | 'conflict'
  | 'validation'
  | 'bad-request';

/**
 * The faults one kind of write meets, attempt by attempt. A list is played in order, one fault per
 * attempt, then `accept`. A single fault keeps applying, except `503-before-acting` and `429-once`,
 * which pass after one attempt (as they always have).
 */
class FaultScript {
  private readonly queue: WriteFault[] | undefined;
  private single: WriteFault;

  constructor(fault: WriteFault | WriteFault[] | undefined) {
    this.queue = Array.isArray(fault) ? [...fault] : undefined;
    this.single = Array.isArray(fault) ? 'accept' : (fault ?? 'accept');
  }

  /** The fault for the next attempt. */
  next(): WriteFault {
    if (this.queue) return this.queue.shift() ?? 'accept';
    const fault = this.single;
    if (fault === '503-before-acting' || fault === '429-once') this.single = 'accept';
    return fault;
  }
}

/** How one offer's (or product's) writes are answered and what becomes of its publishes. */
export interface WriteSettings {
  /** The sign-off (`review`) or a failed certification, one second after the publish starts. */
  publishOutcome: 'review' | 'fails';
  publish?: WriteFault | WriteFault[];
  goLive?: WriteFault | WriteFault[];
  /** Ingestion: configure requests that change resources without a submission. */
  change?: WriteFault | WriteFault[];
}

/** The fault scripts of one offer's (or product's) publishes, go-lives and (ingestion) changes. */
export type WriteFaults = Record<'publish' | 'goLive' | 'change', FaultScript>;

export function faultScripts(settings: WriteSettings): WriteFaults {
  return {
    publish: new FaultScript(settings.publish),
    goLive: new FaultScript(settings.goLive),
    change: new FaultScript(settings.change),
  };
}

/** The words each simulated service answers a write's faults with (its own error codes). */
export interface FaultWords {
  internal: string;
  unavailable: string;
  tooMany: string;
  conflict: { code: string; message: string };
  validation: string;
  badRequest: { code: string; message: string };
}

/** What acting did: started something (answer with `answer` unless the fault says otherwise), or refused. */
export type Acted = { started: boolean; answer(): void };

/**
 * Answers a write the way `fault` says. Faults "before acting" answer without calling `act`; the
 * others call it, and when the service refused (nothing started) its refusal is the answer whatever
 * the fault: there was nothing to lose the answer of.
 */
export function answerWrite(
  req: IncomingMessage,
  res: ServerResponse,
  fault: WriteFault,
  act: () => Acted,
  words: FaultWords,
): void {
  switch (fault) {
    case '503-before-acting':
      return error(res, 503, words.unavailable, 'Try later.');
    case '429-once':
      return error(res, 429, words.tooMany, 'Slow down.', { 'retry-after': '1' });
    case 'validation':
      return error(
        res,
        422,
        words.validation,
        "Plan 'contoso-vm-gen2' has no VM image: add one before publishing.",
      );
    case 'bad-request':
      return error(res, 400, words.badRequest.code, words.badRequest.message);
    default:
      break;
  }
  const acted = act();
  if (!acted.started) return acted.answer();
  switch (fault) {
    case 'accept':
      return acted.answer();
    case 'drop-after-acting':
      return void req.socket.destroy();
    case 'stall-after-acting':
      return; // never answers
    case '500-after-acting':
      return error(res, 500, words.internal, 'Try later.');
    case 'conflict':
      // Another client's write won the race: what was started runs, and this one is refused.
      return error(res, 409, words.conflict.code, words.conflict.message);
  }
}
