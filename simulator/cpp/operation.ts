/**
 * One CPP operation: the scenario's pre-existing one, or a publish or go-live a write started. It has
 * its own id, its own lifecycle and its own state, and answers in the three shapes the docs give it:
 * the offer status (offer vocabulary), `…/operations/{id}` (operation vocabulary) and an entry of
 * `…/submissions`.
 */
import { iso, type Clock } from '../service/clock.js';
import type { Frame, Lifecycle } from '../service/lifecycle.js';

export type OperationKind = 'publish' | 'goLive';

/**
 * Where an operation stands, for the service's own decisions: `none` (the offer was never
 * published: there is no operation), `running`, `signoff` (a publish whose preview waits for the
 * publisher), `completed`, `failed`, `canceled`.
 */
export type OperationState = 'none' | 'running' | 'signoff' | 'completed' | 'failed' | 'canceled';

const word = (value: unknown) =>
  typeof value === 'string' ? value.toLowerCase().replace(/[\s_-]/g, '') : '';

/** The state a status body describes (offer or operation vocabulary, any case). */
function classify(body: unknown): OperationState {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'none';
  const b = body as { status?: unknown; steps?: unknown };
  const status = word(b.status);
  if (status === 'neverpublished') return 'none';
  if (status === 'failed') return 'failed';
  if (status === 'canceled' || status === 'cancelled') return 'canceled';
  if (status === 'succeeded' || status === 'completed') return 'completed';
  const steps = Array.isArray(b.steps) ? (b.steps as { id?: unknown; stepName?: unknown }[]) : [];
  const signoff = steps.find(
    (s) => word(s.id) === 'publishersignoff' || word(s.stepName) === 'publishersignoff',
  ) as { status?: unknown } | undefined;
  if (
    status === 'waitingforpublisherreview' ||
    word(signoff?.status) === 'waitingforpublisherreview'
  )
    return 'signoff';
  // running, not started, and statuses nobody documented: the service is at work.
  return 'running';
}

/** The `submissionState` of an operation in `…/submissions`. */
const SUBMISSION_STATE: Record<Exclude<OperationState, 'none'>, string> = {
  running: 'running',
  // A publish's work is done once its preview waits for the publisher.
  signoff: 'completed',
  completed: 'completed',
  failed: 'failed',
  canceled: 'canceled',
};

const OPERATION_STATUS: Record<string, string> = {
  succeeded: 'completed',
  notStarted: 'not started',
};
const OPERATION_STEP_STATUS: Record<string, string> = {
  complete: 'completed',
  inProgress: 'running',
};

/** .NET ticks of a clock reading: what the docs' `version` field looks like. */
const ticks = (ms: number) => (Date.parse(iso(ms)) + 62_135_596_800_000) * 10_000;

export class Operation {
  /** A cancel's answer replaces the lifecycle's frame from then on. */
  private override: Frame | undefined;
  /** When each message was first shown: it keeps that timestamp, as the service's messages do. */
  private readonly stamps = new Map<string, string>();

  constructor(
    readonly id: string,
    readonly kind: OperationKind,
    readonly life: Lifecycle,
    private readonly clock: Clock,
    /** Started by a write this simulator accepted (its messages are stamped on the clock). */
    readonly modelled: boolean,
    /** Fields of its `…/submissions` entry that differ from the model's. */
    private readonly listed: Record<string, unknown> = {},
    private readonly emails?: string,
  ) {}

  frame(): Frame {
    return this.override ?? this.life.frame();
  }

  state(): OperationState {
    return classify(this.override?.kind === 'body' ? this.override.body : this.life.body());
  }

  /** Canceled at the publisher's request: it stops where it is, and says so. */
  cancel(): void {
    const body = this.life.body() as { steps?: { status?: string }[] } | undefined;
    this.life.freeze();
    const steps = (body?.steps ?? []).map((s) =>
      /^inprogress$/i.test(s.status ?? '') ? { ...s, status: 'canceled' } : s,
    );
    this.override = { kind: 'body', body: { ...body, status: 'canceled', steps } };
  }

  /** The frame as `GET …/status` shows it (offer vocabulary). */
  asOfferStatus(): Frame {
    return this.stamped(this.frame());
  }

  /** The frame as `GET …/operations/{id}` shows it (operation vocabulary, with its own fields). */
  asOperation(): Frame {
    const frame = this.stamped(this.frame());
    if (frame.kind !== 'body' || !isObject(frame.body)) return frame;
    const b = frame.body as { status?: unknown; steps?: unknown };
    const steps = Array.isArray(b.steps)
      ? b.steps.map((s: { status?: string }) => ({
          ...s,
          status: OPERATION_STEP_STATUS[s.status ?? ''] ?? s.status,
        }))
      : b.steps;
    const status =
      typeof b.status === 'string' ? (OPERATION_STATUS[b.status] ?? b.status) : b.status;
    return {
      kind: 'body',
      body: {
        id: this.id,
        submissionType: this.kind,
        createdDateTime: iso(this.life.bornAt),
        lastActionDateTime: iso(this.life.lastChange()),
        ...b,
        status,
        steps,
        ...(this.state() === 'failed' && this.modelled
          ? { error: 'Certification failed: see the Certification step.' }
          : {}),
      },
    };
  }

  /** Its entry in `GET …/submissions`. */
  asSubmission(publisherId: string, offerId: string): Record<string, unknown> {
    const state = this.state();
    return {
      id: this.id,
      offerId,
      offerVersion: 1,
      offerTypeId: 'microsoft-azure-virtualmachines',
      publisherId,
      submissionType: this.kind,
      submissionState: state === 'none' ? 'notStarted' : SUBMISSION_STATE[state],
      publishingVersion: 2,
      slot: this.kind === 'publish' ? 'staging' : 'production',
      version: ticks(this.life.lastChange()),
      ...(this.emails ? { definition: { metadata: { emails: this.emails } } } : {}),
      changedTime: iso(this.life.lastChange()),
      createdDateTime: iso(this.life.bornAt),
      ...this.listed,
    };
  }

  /** A started operation's messages get the clock time they were first shown. */
  private stamped(frame: Frame): Frame {
    if (!this.modelled || frame.kind !== 'body' || !isObject(frame.body)) return frame;
    const b = frame.body as { steps?: unknown };
    if (!Array.isArray(b.steps)) return frame;
    const steps = b.steps.map((step: { id?: string; messages?: unknown }) => ({
      ...step,
      messages: Array.isArray(step.messages)
        ? step.messages.map((m: { level?: string; messageHtml?: string }) => {
            const key = `${step.id}|${m.level}|${m.messageHtml}`;
            if (!this.stamps.has(key)) this.stamps.set(key, iso(this.clock()));
            return { ...m, timestamp: this.stamps.get(key) };
          })
        : step.messages,
    }));
    return { kind: 'body', body: { ...b, steps } };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
