/**
 * One CPP offer as the service holds it: its operations (the scenario's, then one per publish or
 * go-live the service accepted), the views it answers with — some lagging behind the writes, as an
 * eventually consistent service's do — and the refusals it makes from its real state.
 */
import { iso } from '../service/clock.js';
import type { ServiceCore } from '../service/core.js';
import { faultScripts, type WriteFaults, type WriteSettings } from '../service/faults.js';
import { Lifecycle, type Frame } from '../service/lifecycle.js';
import { afterWrites, type Scenario } from '../scenarios.js';
import { Operation, type OperationKind } from './operation.js';

export interface OfferSettings extends WriteSettings {
  publisherId: string;
  offerId: string;
  /** The scenario operation's id. */
  operationId: string;
}

/** What a write came to: an operation started, or a refusal with its HTTP status and error. */
export type WriteResult =
  { started: Operation } | { refused: { status: number; code: string; message: string } };

export class Offer {
  /** Oldest first; the scenario's operation is always the first. */
  private readonly operations: Operation[];
  readonly faults: WriteFaults;

  constructor(
    private readonly core: ServiceCore,
    readonly settings: OfferSettings,
    scenario: Scenario,
    private readonly firstIds: Record<OperationKind, string>,
  ) {
    const life = Lifecycle.scripted(scenario.frames, scenario.advance, core.clock);
    const emails = 'jdoe@contoso.com'; // the docs' sample submission's
    this.operations = [
      new Operation(
        settings.operationId,
        'publish',
        life,
        core.clock,
        false,
        scenario.submission,
        emails,
      ),
    ];
    this.faults = faultScripts(settings);
  }

  /** A status read of this offer: every operation that still moves moves one frame. */
  private tick(): void {
    this.core.countRead();
    for (const op of this.operations) op.life.tick();
  }

  find(id: string): Operation | undefined {
    return this.operations.find((op) => op.id === id);
  }

  /** The newest operation, lag or not: what the non-migrated address follows. */
  latest(): Operation | undefined {
    const op = this.operations.at(-1)!;
    return op.modelled || op.state() !== 'none' ? op : undefined;
  }

  /** The operations the lagged views show: the scenario's, and those started over `lagMs` ago. */
  private visible(): Operation[] {
    return this.operations.filter((op) => !op.modelled || this.core.visible(op.life.bornAt));
  }

  /** `GET …/status`: the latest visible operation, in the offer vocabulary. */
  readStatus(): Frame {
    this.tick();
    return this.visible().at(-1)!.asOfferStatus();
  }

  /** `GET …/operations/{id}` (or the non-migrated address): that operation, not lagged. */
  readOperation(op: Operation): Frame {
    this.tick();
    return op.asOperation();
  }

  /** `GET …/submissions`: the visible operations, newest first; `state` filters by `submissionState`. */
  submissions(state?: string): Record<string, unknown>[] {
    const { publisherId, offerId } = this.settings;
    return this.visible()
      .filter((op) => op.state() !== 'none')
      .reverse()
      .map((op) => op.asSubmission(publisherId, offerId))
      .filter(
        (entry) =>
          state === undefined ||
          String(entry.submissionState).toLowerCase() === state.toLowerCase(),
      );
  }

  private running(): Operation | undefined {
    return this.operations.find((op) => op.state() === 'running');
  }

  /** `POST …/publish`: refused while an operation runs; a preview waiting at its sign-off is superseded. */
  publish(emails: string | undefined): WriteResult {
    if (this.running()) {
      this.core.recordRefusal({ kind: 'publish', code: 'Conflict' });
      return {
        refused: {
          status: 409,
          code: 'Conflict',
          message: 'An operation is already in progress for this offer.',
        },
      };
    }
    const fails = this.settings.publishOutcome === 'fails';
    const frames = fails ? afterWrites.publishFails() : afterWrites.publish();
    const op = this.start('publish', frames, emails, fails);
    this.core.recordStart({ kind: 'publish', id: op.id, previewId: op.id });
    return { started: op };
  }

  /**
   * `POST …/golive`: only when the latest publish is at its sign-off (no go-live took its preview
   * live yet, or every one that tried failed) and nothing runs.
   */
  goLive(): WriteResult {
    const at = this.operations.findLastIndex((op) => op.kind === 'publish');
    const publish = this.operations[at];
    const pushed = this.operations
      .slice(at + 1)
      .some((op) => op.state() !== 'failed' && op.state() !== 'canceled');
    if (!publish || publish.state() !== 'signoff' || pushed || this.running()) {
      this.core.recordRefusal({ kind: 'go-live', code: 'InvalidState' });
      return {
        refused: {
          status: 400,
          code: 'InvalidState',
          message: 'The offer is not waiting for the publisher sign-off.',
        },
      };
    }
    const op = this.start('goLive', afterWrites.goLive());
    this.core.recordStart({ kind: 'go-live', id: op.id, previewId: publish.id });
    return { started: op };
  }

  /** `POST …/cancel`: cancels the running operation, if one runs. */
  cancel(): WriteResult {
    const op = this.running();
    if (!op) {
      return {
        refused: { status: 400, code: 'InvalidState', message: 'No operation is running.' },
      };
    }
    op.cancel();
    return { started: op };
  }

  /** A new operation; the ones before it are at rest (or superseded) and stay where they are. */
  private start(kind: OperationKind, frames: Frame[], emails?: string, fails = false): Operation {
    for (const op of this.operations) op.life.freeze();
    const id = this.core.nextId(`cpp-${kind}`, this.firstIds[kind]);
    const life = Lifecycle.startedNow(frames, this.core.clock, fails);
    const op = new Operation(id, kind, life, this.core.clock, true, {}, emails);
    this.operations.push(op);
    return op;
  }

  /** When the offer was last changed, for its entry in the offers list. */
  changedTime(): string {
    return iso(Math.max(...this.operations.map((op) => op.life.lastChange())));
  }
}
