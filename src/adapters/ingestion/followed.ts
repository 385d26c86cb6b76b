/**
 * What product-ingestion's reads follow: the product's submissions, or a configure job first.
 * The adapter's own record: the caller holds it sealed (`Followed`) and never looks inside.
 */
import type { Snapshot } from '../../core/model.js';

export interface IngestionFollowed {
  /** The configure job followed, started or joined (the `operation-id` output); or empty. */
  readonly operationId: string;
  /** A configure job this step started, read until it has succeeded, then the submissions. */
  readonly job?: string;
  /** That job carries a change alone: read to its end, never on to the submissions. */
  readonly changeOnly?: boolean;
  /**
   * The read at the sign-off whose preview this step asked to go live, once the request was
   * accepted: from then on, reads never show it back at its sign-off (the live entry may be
   * listed later).
   */
  readonly goLiveOf?: Snapshot;
}
