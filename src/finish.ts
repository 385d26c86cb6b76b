/**
 * The end of the step, whatever ended it: outputs, the job summary, and the step's result with a
 * closing message. One offer reads as it always has; several get a rollup.
 */
import type { OfferOutcome } from './core/outcome.js';
import { toOutputs } from './core/outputs.js';
import { closingMessage, closingMessageOffers } from './core/stop-rules.js';
import { renderSummary } from './core/summary.js';
import { renderOffersSummary } from './core/summary-offers.js';
import type { BoundedRunner } from './github/bounded.js';

export interface Finish {
  /** The API's title, or the input as given when it was not valid. */
  api: string;
  publisherId: string;
  outcomes: OfferOutcome[];
  waitedMs: number;
  /** The end of the step (ms since the epoch). */
  now: number;
  /** An error of the whole step (an input, the sign-in): said once, not per offer. */
  stepError?: string;
  /** `dry-run: true`: the summary says so. */
  dryRun?: boolean;
}

export async function finish(runner: BoundedRunner, f: Finish): Promise<void> {
  const { outcomes } = f;
  const failed = outcomes.some((o) => o.failed);
  for (const [name, value] of Object.entries(toOutputs(outcomes))) runner.setOutput(name, value);

  try {
    const runUrl = await runner.runUrl();
    const [only] = outcomes;
    const html =
      outcomes.length === 1 && only
        ? renderSummary({
            api: f.api,
            publisherId: f.publisherId,
            offerId: only.offerId,
            operationId: only.operationId,
            started: only.started,
            snapshot: only.snapshot,
            end: only.end,
            failed,
            waitedMs: f.waitedMs,
            reads: only.reads,
            runUrl,
            tracking: only.tracking,
            now: f.now,
            ...(only.plan ? { plan: only.plan } : {}),
            ...(only.release ? { release: only.release } : {}),
            dryRun: Boolean(f.dryRun),
          })
        : renderOffersSummary({
            api: f.api,
            publisherId: f.publisherId,
            offers: outcomes,
            failed,
            waitedMs: f.waitedMs,
            runUrl,
            now: f.now,
            dryRun: Boolean(f.dryRun),
          });
    await runner.writeSummary(html);
  } catch (error) {
    // The summary is a courtesy; its failure must not change the step's result.
    runner.endWarning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const [only] = outcomes;
  const message =
    f.stepError ??
    (outcomes.length === 1 && only
      ? closingMessage(only.end, only.snapshot, only.started)
      : closingMessageOffers(outcomes));
  const timedOut = outcomes.some((o) => o.end.kind === 'timeout');
  if (failed) runner.setFailed(message);
  else if (timedOut) runner.endWarning(`${message} (fail-on-timeout is false)`);
  else runner.info(message);
}
