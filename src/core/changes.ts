/**
 * What the log says after each read: the whole picture the first time, then only what changed
 * (the offer's status, a step's status or progress). Messages are told apart from the ones already
 * shown over the whole wait (`SeenMessages`), so each is printed at most once. Pure: snapshots in,
 * lines out.
 */
import { oneLine } from './html.js';
import type { Message, Snapshot, Step } from './model.js';

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

function stepLine(step: Step): string {
  const details = [progressText(step.progress), step.estimatedTimeFrame].filter(Boolean).join(', ');
  return `${marker(step.status)} ${step.name} (${step.id}): ${step.status}${details ? ` [${details}]` : ''}`;
}

export function messageLine(m: Message): string {
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

/**
 * The messages never shown before, over the whole wait. A message is the same message when its
 * place (offer or step), level and text are: a service that re-stamps a message on every read
 * does not make it new.
 */
export class SeenMessages {
  private readonly seen = new Set<string>();

  /** Keys kept at most: a service inventing new messages on every read must not grow memory. */
  static readonly LIMIT = 20_000;

  fresh(current: Snapshot): NewMessage[] {
    const found: NewMessage[] = [];
    const visit = (where: string, stepName: string | undefined, messages: Message[]) => {
      for (const m of messages) {
        const key = `${where}\u0001${m.level}\u0001${m.text}`;
        if (!m.text || this.seen.has(key)) continue;
        this.seen.add(key);
        // The oldest are forgotten first (a Set keeps insertion order).
        if (this.seen.size > SeenMessages.LIMIT) this.seen.delete(this.seen.values().next().value!);
        found.push(stepName === undefined ? { message: m } : { stepName, message: m });
      }
    };
    visit('', undefined, current.messages);
    for (const step of current.steps) visit(step.id, step.name, step.messages);
    return found;
  }
}

/** The status and step lines to log for a read; empty when nothing changed since the previous read. */
export function changeLines(previous: Snapshot | undefined, current: Snapshot): string[] {
  if (!previous) {
    const reported =
      current.status === current.reported.value
        ? ''
        : ` (the offer itself reports ${current.reported.value})`;
    return [
      `${marker(current.status)} Status: ${current.status}${reported}`,
      ...current.steps.map((s) => `  ${stepLine(s)}`),
    ];
  }
  const lines: string[] = [];
  if (previous.status !== current.status) {
    lines.push(`${marker(current.status)} Status: ${previous.status} → ${current.status}`);
  }
  const before = new Map(previous.steps.map((s) => [s.id, s]));
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
    if (changes.length > 0) {
      lines.push(`  ${marker(step.status)} ${step.name} (${step.id}): ${changes.join(', ')}`);
    }
  }
  return lines;
}
