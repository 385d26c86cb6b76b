/**
 * One entity's life (a CPP operation, a submission, a configure job): the frames it goes through and
 * where it is now. Entities do not share a script: each keeps its own position, so a go-live does
 * not move the publish it follows, and a publish started now does not replay the scenario's.
 *
 * `per-read` lives move one frame per `tick()` (one status read of their offer or product): the
 * first read after the entity was born shows frame 0, the next frame 1, and so on; between reads the
 * entity stays at what the last read showed (the last frame repeats). `by-time` lives show the last
 * frame whose `afterMs` has passed on the simulator clock. A frozen life stays where it was: a
 * superseded preview, the scenario's operation once a write took over the offer.
 */
import type { Clock } from './clock.js';

export type Frame =
  /** A 200 with this status body. */
  | { kind: 'body'; body: unknown; afterMs?: number }
  /** An HTTP answer with this status, body and headers. */
  | {
      kind: 'http';
      status: number;
      body?: string;
      headers?: Record<string, string>;
      afterMs?: number;
    }
  /** Accept the request and never answer. */
  | { kind: 'stall'; afterMs?: number }
  /** Send part of an answer, then reset the connection. */
  | { kind: 'reset'; afterMs?: number };

/** A 200 with this body: the frame scenarios and entities are mostly made of. */
export const body = (b: unknown): Frame => ({ kind: 'body', body: b });

/** A scenario's entities existed before the simulator started: a day before, on its clock. */
const BEFORE_START = -86_400_000;
/** A publish that fails (`publishOutcome: 'fails'`) fails this long after it starts. */
const FAILS_AFTER_MS = 1_000;

export class Lifecycle {
  /** A scenario's entity: it was born before the simulator started. */
  static scripted(frames: Frame[], advance: 'per-read' | 'by-time', clock: Clock): Lifecycle {
    return new Lifecycle(frames, advance, clock, BEFORE_START);
  }

  /**
   * An entity a write starts now: it moves read by read, or, when it `failsFast` (a publish that
   * fails), with time: its first frame now, the next `FAILS_AFTER_MS` later, whoever reads it or not.
   */
  static startedNow(frames: Frame[], clock: Clock, failsFast = false): Lifecycle {
    const now = clock();
    if (!failsFast) return new Lifecycle(frames, 'per-read', clock, now);
    const timed = frames.map((f, i) => ({ ...f, afterMs: now + Math.min(i, 1) * FAILS_AFTER_MS }));
    return new Lifecycle(timed, 'by-time', clock, now);
  }

  /**
   * An entity the service works on by itself (a change's configure job): it moves on with each
   * read of its product, and at the latest `frameMs` per frame whether anyone reads it or not.
   */
  static workedOn(frames: Frame[], clock: Clock, frameMs: number): Lifecycle {
    const life = new Lifecycle(frames, 'per-read', clock, clock());
    life.frameMs = frameMs;
    return life;
  }

  private ticks = 0;
  /** A `per-read` life that also moves on with time (`workedOn`): the time per frame. */
  private frameMs: number | undefined;
  private frozenAt: number | undefined;
  private changedAt: number;

  constructor(
    private readonly frames: Frame[],
    private readonly advance: 'per-read' | 'by-time',
    private readonly clock: Clock,
    /** When it was born, on the clock. */
    readonly bornAt: number,
  ) {
    if (frames.length === 0) throw new Error('A lifecycle needs at least one frame.');
    this.changedAt = bornAt;
  }

  /** One status read of its offer or product: a `per-read` life moves on by one frame. */
  tick(): void {
    if (this.frozenAt !== undefined || this.advance === 'by-time') return;
    const before = this.position();
    this.ticks++;
    if (this.position() !== before) this.changedAt = this.clock();
  }

  /** Stops where it is now. */
  freeze(): void {
    if (this.frozenAt !== undefined) return;
    this.changedAt = this.lastChange();
    this.frozenAt = this.position();
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  position(): number {
    if (this.frozenAt !== undefined) return this.frozenAt;
    if (this.advance === 'per-read') {
      const read = Math.max(0, this.ticks - 1);
      const worked =
        this.frameMs === undefined ? 0 : Math.floor((this.clock() - this.bornAt) / this.frameMs);
      return Math.min(Math.max(read, worked), this.last());
    }
    const now = this.clock();
    let at = 0;
    this.frames.forEach((f, i) => {
      if ((f.afterMs ?? 0) <= now) at = i;
    });
    return at;
  }

  /** The frame a read shows now. */
  frame(): Frame {
    return this.frames[this.position()]!;
  }

  /** Whether it is at its last frame (nothing more will happen to it). */
  ended(): boolean {
    return this.position() === this.last();
  }

  /**
   * What the entity *is* now, for the service's own decisions: the body of the current frame, or
   * of the nearest body frame before it (a 503 answered on a read does not change the entity), or
   * after it when it has shown none yet.
   */
  body(): unknown {
    const at = this.position();
    for (let i = at; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'body') return f.body;
    }
    const next = this.frames.slice(at).find((f) => f.kind === 'body');
    return next?.kind === 'body' ? next.body : undefined;
  }

  /** When its frame last changed, on the clock. */
  lastChange(): number {
    if (this.advance === 'by-time' && this.frozenAt === undefined) {
      return Math.max(this.bornAt, this.frame().afterMs ?? 0);
    }
    return this.changedAt;
  }

  private last(): number {
    return this.frames.length - 1;
  }
}
