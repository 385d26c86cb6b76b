/**
 * The product-ingestion entities a configure request creates: a submission (a preview or a live
 * entry of the product's submissions) and the configure job that carries it out. Each has its own
 * lifecycle; a job and its submission are born together and move together, so the job ends on the
 * read its submission does.
 */
import { iso, type Clock } from '../service/clock.js';
import { body, type Frame, type Lifecycle } from '../service/lifecycle.js';
import { jobBody, type Entry } from '../ingestion-scenarios.js';

/** Case-insensitive status words (the docs' tables capitalize them, the samples do not). */
export const is = (value: unknown, word: string) =>
  typeof value === 'string' && value.toLowerCase() === word;

/** Whether an entry is a publish at work (`notStarted` or `running`, not `completed`). */
export const inProgress = (e: Entry) =>
  typeof e.status === 'string' && e.target?.targetType !== 'draft' && !is(e.status, 'completed');

/** A submission's `{status, result}` read by read: certification (or going live), then its end. */
export function submissionFrames(outcome: 'succeeded' | 'failed'): Frame[] {
  const running = body({ status: 'running', result: 'pending' });
  const end = body({ status: 'completed', result: outcome });
  // A failure comes on the second read; success after the third, with the job's.
  return outcome === 'failed' ? [running, end] : [running, running, end];
}

/** Its job's answers on the same reads. */
export function jobFrames(outcome: 'succeeded' | 'failed', errors: unknown[] = []): Frame[] {
  const end = body(jobBody('completed', outcome, errors));
  return outcome === 'failed'
    ? [body(jobBody('notStarted', 'pending')), end]
    : [body(jobBody('notStarted', 'pending')), body(jobBody('running', 'pending')), end];
}

export class Submission {
  /** A cancel's end replaces the lifecycle's frame from then on. */
  private override: { status: string; result: string } | undefined;

  constructor(
    readonly id: string,
    readonly targetType: 'preview' | 'live',
    readonly productGuid: string,
    readonly life: Lifecycle,
  ) {}

  /** Its entry in `GET submission/{productGuid}` now. */
  entry(): Entry {
    const now = this.override ?? (this.life.body() as { status: string; result: string });
    return {
      id: this.id,
      product: `product/${this.productGuid}`,
      target: { targetType: this.targetType },
      status: now.status,
      result: now.result,
      created: iso(this.life.bornAt),
    };
  }

  /** Stopped by a cancel of its job: it ends, failed. */
  cancel(): void {
    this.life.freeze();
    this.override = { status: 'completed', result: 'failed' };
  }
}

export class Job {
  private override: unknown;

  constructor(
    readonly id: string,
    readonly productGuid: string,
    readonly life: Lifecycle,
    /** Born of a configure request this simulator answered (its times are on the clock). */
    readonly modelled: boolean,
    /** The submission it carries out, if any. */
    readonly submission?: Submission,
  ) {}

  /** What `GET configure/{jobId}/status` answers now. */
  read(): Frame {
    const frame: Frame =
      this.override !== undefined ? { kind: 'body', body: this.override } : this.life.frame();
    if (frame.kind !== 'body') return frame;
    const b = frame.body as Record<string, unknown>;
    const times = this.modelled
      ? {
          jobStart: iso(this.life.bornAt),
          jobEnd: is(b.jobStatus, 'completed') ? iso(this.life.lastChange()) : b.jobEnd,
          resourceUri: `https://product-ingestion.mp.microsoft.com/configure/${this.id}`,
        }
      : {};
    return body({ ...b, ...times, jobId: this.id });
  }

  ended(): boolean {
    const frame = this.read();
    return (
      frame.kind === 'body' && is((frame.body as { jobStatus?: unknown }).jobStatus, 'completed')
    );
  }

  /** `POST configure/{jobId}/cancel`: the job ends `cancelled`, and its submission with it. */
  cancel(clock: Clock): void {
    const frame = this.read();
    this.life.freeze();
    this.override = {
      ...(frame.kind === 'body' ? (frame.body as object) : {}),
      jobStatus: 'completed',
      jobResult: 'cancelled',
      jobEnd: iso(clock()),
    };
    this.submission?.cancel();
  }
}
