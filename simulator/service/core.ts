/**
 * The model's shared state, whatever the API: the clock, the visibility lag of the service's views,
 * the ids it hands out, how many status reads it served and what its writes really started. Both
 * simulated APIs build their entities on one of these, so a test asks them the same questions.
 */
import { createHash } from 'node:crypto';
import type { Clock } from './clock.js';

/**
 * What the service actually started: a publish or a go-live it accepted (and acted on), or
 * (ingestion) a change of the product's draft resources a configure request made.
 */
export interface WriteStarted {
  kind: 'publish' | 'go-live' | 'configure';
  /**
   * What it started: CPP, the operation's id; ingestion, the submission's (a publish's new preview;
   * a go-live's live entry, which has the id of the preview it pushes); a change, its job's id.
   */
  id: string;
  /** When, on the simulator clock. */
  at: number;
  /**
   * The preview it is about: a publish's own (its `id`); for a go-live, the preview it pushes live
   * (ingestion: the submission the request named; CPP: the publish operation at the sign-off).
   */
  previewId?: string;
  /** A change's resources: the durable ids of those it replaced or added in the draft. */
  resourceIds?: string[];
}

/** A write the service refused from its real state (not an injected fault). */
export interface WriteRefused {
  /** `configure`: an ingestion configure request refused for its resources (or its body). */
  kind: 'publish' | 'go-live' | 'configure';
  /**
   * The service's error code: `Conflict`, `InvalidState`, `conflict`, `invalidState`;
   * `configure`: `schemaValidationError`, `businessValidationError`, `productLocked`.
   */
  code: string;
  at: number;
}

export interface CoreOptions {
  /** Milliseconds since the simulator started (default: real time since `startedAt`). */
  clock?: Clock;
  /** How long after a write its effects show in the lagged views (default 0). */
  lagMs?: number;
}

export class ServiceCore {
  /** `performance.now()` when the service started: the origin of the default clock. */
  readonly startedAt = performance.now();
  readonly clock: Clock;
  readonly lagMs: number;
  private reads = 0;
  private readonly started: WriteStarted[] = [];
  private readonly refused: WriteRefused[] = [];
  private readonly issued = new Map<string, number>();

  constructor(options: CoreOptions) {
    this.clock = options.clock ?? (() => performance.now() - this.startedAt);
    this.lagMs = Math.max(0, options.lagMs ?? 0);
  }

  /** Whether something born at `bornAt` shows in the service's lagged views yet. */
  visible(bornAt: number): boolean {
    return this.clock() >= bornAt + this.lagMs;
  }

  countRead(): void {
    this.reads++;
  }

  statusReads(): number {
    return this.reads;
  }

  recordStart(write: Omit<WriteStarted, 'at'>): void {
    this.started.push({ ...write, at: this.clock() });
  }

  writesStarted(): WriteStarted[] {
    return this.started.map((w) => ({
      ...w,
      ...(w.resourceIds ? { resourceIds: [...w.resourceIds] } : {}),
    }));
  }

  recordRefusal(write: Omit<WriteRefused, 'at'>): void {
    this.refused.push({ ...write, at: this.clock() });
  }

  writesRefused(): WriteRefused[] {
    return this.refused.map((w) => ({ ...w }));
  }

  /** The id of the next entity of `kind`: `first` the first time, then fresh (repeatable) GUIDs. */
  nextId(kind: string, first: string): string {
    const n = this.issued.get(kind) ?? 0;
    this.issued.set(kind, n + 1);
    return n === 0 ? first : guid(`${kind}#${n}`);
  }
}

/** A GUID (version 4 layout) derived from `seed`: fresh-looking, the same on every run. */
export function guid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
