/**
 * What the log says after each read: the whole picture the first time, then only what changed
 * (the offer's status, a step's status or progress). Messages are told apart from the ones already
 * shown over the whole wait (`SeenMessages`), so each is printed at most once. Pure: snapshots in,
 * lines out (it hashes, but does no I/O).
 */
import { createHash } from 'node:crypto';
import { oneLine } from './html.js';
import type { Message, Snapshot, Step } from './model.js';
import { statusKey } from './status.js';

const MARKERS: Record<string, string> = {
  complete: '✅',
  succeeded: '✅',
  inProgress: '⏳',
  running: '⏳',
  notStarted: '⚪',
  waitingForPublisherReview: '👀',
  waitingForApproval: '⏸️',
  blocked: '⛔',
  rejected: '❌',
  failed: '❌',
  canceled: '🚫',
  neverPublished: '⚪',
};

/** A glanceable marker for a status; unknown statuses get a question mark. */
export function marker(status: string): string {
  return Object.hasOwn(MARKERS, status) ? MARKERS[status]! : '❔';
}

export function progressText(progress: number | null): string {
  return progress === null ? '' : `${Math.round(progress)}%`;
}

/**
 * A step as the log names it: its name, and its id in brackets only when the id says something
 * the name does not (CPP's `Certification (displaycertify)`; not `Live (live)`, nor ingestion's
 * `Publisher sign-off (publisher-signoff)`).
 */
export function stepLabel(step: Pick<Step, 'id' | 'name'>): string {
  if (!step.name) return step.id;
  return statusKey(step.name) === statusKey(step.id) || !step.id
    ? step.name
    : `${step.name} (${step.id})`;
}

function stepLine(step: Step): string {
  const details = [progressText(step.progress), step.estimatedTimeFrame, step.detail]
    .filter(Boolean)
    .join(', ');
  return `${marker(step.status)} ${stepLabel(step)}: ${step.status}${details ? ` [${details}]` : ''}`;
}

function messageLine(m: Message): string {
  return `[${m.level}] ${oneLine(m.text)}`;
}

export interface NewMessage {
  /** The step's name, or undefined for a message on the offer itself. */
  stepName?: string;
  message: Message;
}

/** A message's log line: `  Certification: [warning] text`. */
export function newMessageLine({ stepName, message }: NewMessage): string {
  return `  ${stepName ?? 'Offer'}: ${messageLine(message)}`;
}

/** What one offer's reads are checked against: the step's `SeenMessages`, keyed by this offer. */
export interface OfferMessages {
  /** This offer's messages never shown before, in the order of the snapshot. */
  fresh(current: Snapshot): NewMessage[];
}

/**
 * The messages never shown before, over the whole wait, for every offer of the step: one instance
 * per step, shared, so the memory bound is the step's, however many offers it follows. A message
 * is the same message when its offer, place (offer or step), level and text are: a service that
 * re-stamps a message on every read does not make it new.
 *
 * Each message is remembered by a short hash, not its text (up to 4,000 characters): 12 bytes of
 * SHA-256, so two different messages share a key only by a negligible chance (2^-96 a pair).
 */
export class SeenMessages {
  /**
   * The step's memory for messages already shown: 3 MB, about 50,000 messages. Measured on Node
   * 24, a 16-character key in a Set costs about 60 bytes of heap. 50,000 is far more than a wait
   * shows (a few dozen messages per offer, 256 offers at most), so only a service inventing new
   * messages on every read reaches it, and then the cost is a message printed twice, not memory.
   */
  static readonly BUDGET_BYTES = 3_000_000;
  static readonly BYTES_PER_KEY = 60;

  /** Keys kept at most. */
  readonly limit: number;
  private readonly seen = new Set<string>();

  constructor(budgetBytes = SeenMessages.BUDGET_BYTES) {
    this.limit = Math.max(1, Math.floor(budgetBytes / SeenMessages.BYTES_PER_KEY));
  }

  /** Messages remembered now (for tests). */
  get size(): number {
    return this.seen.size;
  }

  /** One offer's view, to hand to the code that follows that offer. */
  forOffer(offerId: string): OfferMessages {
    return { fresh: (current) => this.fresh(offerId, current) };
  }

  /** The messages of `current` never shown before; one argument: a step with one offer. */
  fresh(current: Snapshot): NewMessage[];
  fresh(offerId: string, current: Snapshot): NewMessage[];
  fresh(a: string | Snapshot, b?: Snapshot): NewMessage[] {
    const [offerId, current] = typeof a === 'string' ? [a, b!] : ['', a];
    const found: NewMessage[] = [];
    const visit = (where: string, stepName: string | undefined, messages: Message[]) => {
      for (const m of messages) {
        if (!m.text) continue;
        const key = messageKey(offerId, where, m);
        const known = this.seen.delete(key);
        // (Re-)added last: the least recently seen are forgotten first (a Set keeps insertion
        // order), so a message the service still shows stays known however many others come.
        this.seen.add(key);
        if (known) continue;
        if (this.seen.size > this.limit) this.seen.delete(this.seen.values().next().value!);
        found.push(stepName === undefined ? { message: m } : { stepName, message: m });
      }
    };
    visit('', undefined, current.messages);
    for (const step of current.steps) visit(step.id, step.name, step.messages);
    return found;
  }
}

/** 12 bytes of SHA-256 as base64 (16 characters); each part length-prefixed, so none can blur. */
function messageKey(offerId: string, where: string, m: Message): string {
  return createHash('sha256')
    .update(`${offerId.length}:${offerId}${where.length}:${where}${m.level.length}:${m.level}`)
    .update(m.text)
    .digest()
    .subarray(0, 12)
    .toString('base64');
}

/**
 * The status and step lines to log for a read; empty when nothing changed since the previous read.
 * When the steps are another set altogether (ingestion: a configure job's one step, then the
 * submissions' three), the read is a fresh picture, every step printed as on the first read.
 */
export function changeLines(previous: Snapshot | undefined, current: Snapshot): string[] {
  const before = new Map((previous?.steps ?? []).map((s) => [s.id, s]));
  const fresh = current.steps.length > 0 && current.steps.every((s) => !before.has(s.id));
  if (!previous || fresh) {
    const reported =
      current.status === current.reported.value
        ? ''
        : ` (the offer itself reports ${current.reported.value})`;
    const status =
      previous && previous.status !== current.status
        ? `${previous.status} → ${current.status}`
        : current.status;
    return [
      `${marker(current.status)} Status: ${status}${reported}`,
      ...current.steps.map((s) => `  ${stepLine(s)}`),
    ];
  }
  const lines: string[] = [];
  if (previous.status !== current.status) {
    lines.push(`${marker(current.status)} Status: ${previous.status} → ${current.status}`);
  }
  for (const step of current.steps) {
    const old = before.get(step.id);
    if (!old) {
      lines.push(`  ${stepLine(step)} (new step)`);
      continue;
    }
    const changes: string[] = [];
    if (old.status !== step.status) changes.push(`${old.status} → ${step.status}`);
    if (old.progress !== step.progress) {
      changes.push(
        `progress ${progressText(old.progress) || '–'} → ${progressText(step.progress) || '–'}`,
      );
    }
    // Another submission or job behind the same step is news, even at the same status.
    const detail = step.detail && step.detail !== old.detail ? ` [${step.detail}]` : '';
    if (changes.length > 0 || detail) {
      const what = changes.length > 0 ? changes.join(', ') : step.status;
      lines.push(`  ${marker(step.status)} ${stepLabel(step)}: ${what}${detail}`);
    }
  }
  return lines;
}
