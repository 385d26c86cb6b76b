/** How the wait on one offer ended: what outputs, summary and the closing message are made from. */
import type { ChangePlan } from './configure/types.js';
import type { Tracking } from './deployment.js';
import type { End } from './end.js';
import type { Snapshot } from './model.js';
import type { ReleasePlan } from './release.js';
import type { StartedWrite } from './started.js';

export interface OfferOutcome {
  offerId: string;
  /** The operation (CPP) or configure job (ingestion) followed, started or joined; or empty. */
  operationId: string;
  end: End;
  /** The last successful read, if any. */
  snapshot: Snapshot | undefined;
  reads: number;
  /** What this step asked the API to start for this offer. */
  started: StartedWrite[];
  /** Whether this offer's end fails the step (by `fail-on`, `fail-on-timeout`, an error). */
  failed: boolean;
  /** The change this step put (or, in a dry run, would put) into the offer, when asked. */
  plan?: ChangePlan;
  /** What the step decided to send (in a dry run: would send): the `plan` output. */
  release?: ReleasePlan;
  /** The preview waiting for the sign-off at the end (its id), else empty: `preview-id`. */
  previewId?: string;
  /**
   * With `resources`: whether its files differ from the offer's draft (what applying them would
   * change); undefined without `resources`, or when the draft could not be read.
   */
  drift?: boolean;
  /** With `track: deployment`: what the last run recorded. */
  tracking?: Tracking;
}

/** `true`/`false`: the status differs from what the last run recorded; empty when unknown. */
export function changed(o: OfferOutcome): '' | 'true' | 'false' {
  if (!o.tracking?.read || !o.snapshot) return '';
  return String(o.snapshot.status !== o.tracking.previousStatus) as 'true' | 'false';
}
