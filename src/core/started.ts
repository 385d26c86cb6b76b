/** What a step asked the API to start: the `started` output and the words for log and summary. */

/** In the order a step sends them: a change, the publish, the go-live. */
export type WriteName = 'configure' | 'publish' | 'go-live';

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
