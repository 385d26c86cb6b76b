/**
 * What the log says after each read: the whole picture the first time, then only what changed
 * (the offer's status, a step's status or progress, new messages). Pure: snapshots in, lines out.
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

function messageKey(m: Message): string {
  return `${m.level}\u0000${m.timestamp}\u0000${m.text}`;
}

export function messageLine(m: Message): string {
  return `[${m.level}] ${oneLine(m.text)}`;
}

export interface NewMessage {
  /** The step's name, or undefined for a message on the offer itself. */
  stepName?: string;
  message: Message;
}

/** Messages in `current` that `previous` did not have (all of them on the first read). */
export function newMessages(previous: Snapshot | undefined, current: Snapshot): NewMessage[] {
  const seen = new Set<string>();
  if (previous) {
    for (const m of previous.messages) seen.add(`\u0001${messageKey(m)}`);
    for (const step of previous.steps) {
      for (const m of step.messages) seen.add(`${step.id}\u0001${messageKey(m)}`);
    }
  }
  const found: NewMessage[] = [];
  for (const m of current.messages) {
    if (!seen.has(`\u0001${messageKey(m)}`) && m.text) found.push({ message: m });
  }
  for (const step of current.steps) {
    for (const m of step.messages) {
      if (!seen.has(`${step.id}\u0001${messageKey(m)}`) && m.text) {
        found.push({ stepName: step.name, message: m });
      }
    }
  }
  return found;
}

function messageLines(messages: NewMessage[]): string[] {
  return messages.map(({ stepName, message }) =>
    stepName ? `  ${stepName}: ${messageLine(message)}` : `  Offer: ${messageLine(message)}`,
  );
}

/** The lines to log for a read; empty when nothing changed since the previous read. */
export function changeLines(previous: Snapshot | undefined, current: Snapshot): string[] {
  const messages = messageLines(newMessages(previous, current));
  if (!previous) {
    const reported =
      current.status === current.reported.value
        ? ''
        : ` (the offer itself reports ${current.reported.value})`;
    return [
      `${marker(current.status)} Status: ${current.status}${reported}`,
      ...current.steps.map((s) => `  ${stepLine(s)}`),
      ...messages,
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
  return [...lines, ...messages];
}
