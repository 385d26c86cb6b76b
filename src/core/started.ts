/**
 * The write table: every kind of write a step may send, in the order it sends them, and its
 * words; then what a step asked the API to start (the `started` output, the log and the summary).
 * A new kind of write starts here (docs/architecture.md, "Add a write").
 */

/** In the order a step sends them: a change, the publish, the go-live. */
const WRITES = ['configure', 'publish', 'go-live'] as const;
export type WriteName = (typeof WRITES)[number];

/** How the log says each write: what it is, and that it was sent to an offer. */
const WORDS: Record<WriteName, { noun: string; sent: string }> = {
  configure: { noun: 'change', sent: 'Sent the change to' },
  publish: { noun: 'publish', sent: 'Started a publish of' },
  'go-live': { noun: 'go-live', sent: 'Asked to go live:' },
};

/** `change`, `publish`, `go-live`: the write in a sentence (`while sending the change`). */
export function writeNoun(name: WriteName): string {
  return WORDS[name].noun;
}

/** `Started a publish of`, followed by the offer: the log's line for a write sent. */
export function sentWords(name: WriteName): string {
  return WORDS[name].sent;
}

/** The writes named, in the order a step sends them. */
export function inSendingOrder(names: ReadonlySet<WriteName>): WriteName[] {
  return WRITES.filter((n) => names.has(n));
}

export interface StartedWrite {
  name: WriteName;
  /** When it was sent (ms since the epoch). */
  at: number;
  /** The operation (CPP) or configure job (ingestion) it started; empty when unnamed. */
  operationId: string;
  /**
   * The request got no clear answer and the step could not tell whether it started (it was
   * cancelled, ran out of time, or could not read): it may be running.
   */
  uncertain?: boolean;
}

/** `configure,publish`, `go-live` … or empty: every write that started or may have, in order. */
export function startedOutput(started: readonly StartedWrite[]): string {
  return started.map((s) => s.name).join(',');
}

/** `publish at 2026-11-02T09:00:00.000Z (operation 5a63…)`, for the log and summary. */
export function describeStarted(s: StartedWrite): string {
  const what = s.uncertain ? 'no clear answer: it may have started' : s.operationId;
  return `${s.name} at ${new Date(s.at).toISOString()}${what ? ` (${what})` : ''}`;
}
