/**
 * A change waits for the publish that runs to end before it is sent: sent during one, it would be
 * refused as product locked, or land half in that publish. The wait reads the listing each poll,
 * and ends, sending nothing, at cancellation or the deadline.
 */
import type { Publication } from '../adapters/adapter.js';
import { WriteStopped } from './writes.js';

export interface QuietDeps {
  now(): number;
  sleep(ms: number): Promise<void>;
  cancelled(): boolean;
  info(message: string): void;
  deadline: number;
  pollIntervalMs: number;
  /** Who is followed, for messages: `offer contoso/contoso-vm`. */
  offer: string;
}

/** The listing once no publish runs, and whether it had to wait; `list` reads it again. */
export async function awaitQuiet(
  deps: QuietDeps,
  listed: Publication[],
  list: () => Promise<Publication[]>,
): Promise<{ listed: Publication[]; waited: boolean }> {
  for (let waited = false; ; waited = true) {
    const running = listed.find((p) => p.running);
    if (!running) return { listed, waited };
    if (!waited) {
      deps.info(
        `A publish of ${deps.offer} runs (${running.label}): the change waits for it to end ` +
          'before it is sent (sent now, it would be refused as product locked, or land half in ' +
          'that publish).',
      );
    }
    const remaining = deps.deadline - deps.now();
    if (deps.cancelled()) {
      throw new WriteStopped('The workflow was cancelled while the change waited.', false);
    }
    if (remaining <= 0) {
      throw new WriteStopped(
        `The deadline came while the change waited for ${running.label} to end; nothing was sent.`,
        false,
      );
    }
    await deps.sleep(Math.min(deps.pollIntervalMs, remaining));
    listed = await list();
  }
}
