/**
 * Where a product's publish stands, from `GET submission/{productGuid}`: its submissions (one
 * entry per target: draft, preview, live) as the three steps and an offer status in the model's
 * vocabulary. Which entry decides: one going live, else a preview under way, else the live one
 * (when it is the latest preview's), else the latest preview's end, else nothing published.
 */
import type { Snapshot } from '../../core/model.js';
import type { Normalized } from '../../core/status.js';
import type { Submission } from './schemas.js';
import { snapshotOf, step } from './steps.js';
import {
  STEP_OF_PHASE,
  STEP_OF_RESULT,
  endedResult,
  goneLive,
  isDone,
  isTarget,
  known,
  latest,
  listedEntries,
  missingIds,
  phaseOf,
  unknown,
} from './words.js';

/** What the adapter knows beside the answer it maps. */
export interface ReadContext {
  /**
   * The preview submission this step asked to go live (its go-live request was accepted): a read
   * that still shows that preview at its sign-off is going live, not waiting for the publisher.
   */
  goLiveOf?: string;
  /** The offer's page for people (`offerOverviewUrl`), once the product is known. */
  offerUrl?: string;
}

/** Makes the snapshot of one read: its status, its steps and the submission it shows. */
type Shown = (reported: Normalized<string>, steps: Snapshot['steps'], subject?: string) => Snapshot;

const notStarted = () => known('notStarted');

/** A live entry not yet completed: the preview is going live. */
function goingLiveOf(shown: Shown, goingLive: Submission, preview?: Submission): Snapshot {
  const phase = phaseOf(goingLive.status);
  return shown(
    phase ? known('running') : unknown(goingLive.status),
    [
      step('preview', known('complete'), preview),
      step('publisher-signoff', known('complete')),
      step('live', phase ? known(STEP_OF_PHASE[phase]) : unknown(goingLive.status), goingLive),
    ],
    goingLive.id,
  );
}

/** A preview not yet completed: in certification and preview publish. */
function previewUnderWay(shown: Shown, preview: Submission): Snapshot {
  const phase = phaseOf(preview.status);
  return shown(
    phase ? known(phase) : unknown(preview.status),
    [
      step('preview', phase ? known(STEP_OF_PHASE[phase]) : unknown(preview.status), preview),
      step('publisher-signoff', notStarted()),
      step('live', notStarted()),
    ],
    preview.id,
  );
}

/** The live entry, the latest preview's (or with no preview listed): how its go-live ended. */
function liveOf(shown: Shown, live: Submission, preview?: Submission): Snapshot {
  const ended = endedResult(live.result);
  return shown(
    ended ? known(ended) : unknown(live.result),
    [
      step('preview', known('complete'), preview),
      step('publisher-signoff', known('complete')),
      step('live', ended ? known(STEP_OF_RESULT[ended]) : unknown(live.result), live),
    ],
    live.id,
  );
}

/** The latest preview has completed: at its sign-off, going live by this step, or ended so. */
function previewEnded(shown: Shown, preview: Submission, goLiveOf?: string): Snapshot {
  const ended = endedResult(preview.result);
  const ready = ended === 'succeeded';
  if (ready && preview.id && preview.id === goLiveOf) {
    // This step asked it to go live; the live entry is not listed yet. Going live, not back at
    // the sign-off: the go-live request was accepted.
    return shown(
      known('running'),
      [
        step('preview', known('complete'), preview),
        step('publisher-signoff', known('complete')),
        step('live', known('inProgress')),
      ],
      preview.id,
    );
  }
  return shown(
    ready ? known('waitingForPublisherReview') : ended ? known(ended) : unknown(preview.result),
    [
      step('preview', ended ? known(STEP_OF_RESULT[ended]) : unknown(preview.result), preview),
      step('publisher-signoff', ready ? known('waitingForPublisherReview') : notStarted()),
      step('live', notStarted()),
    ],
    preview.id,
  );
}

/** Where a product's publish stands, from `GET submission/{productGuid}`. */
export function submissionsToSnapshot(all: Submission[], context: ReadContext = {}): Snapshot {
  const entries = listedEntries(all);
  const notices = missingIds(entries);
  const shown: Shown = (reported, steps, subject) =>
    snapshotOf(reported, steps, subject, notices, context.offerUrl);
  const preview = latest(entries.filter(isTarget('preview')));
  const lives = entries.filter(isTarget('live'));
  // While going live, the old live entry may still be listed as completed beside the new one.
  const goingLive = lives.find((s) => !isDone(s));
  const live = goingLive ?? latest(lives);

  if (goingLive) return goingLiveOf(shown, goingLive, preview);
  if (preview && !isDone(preview)) return previewUnderWay(shown, preview);
  // Once a preview goes live, one submission stands for both: equal ids mean live.
  if (live && (!preview || goneLive(live, preview))) return liveOf(shown, live, preview);
  if (preview) return previewEnded(shown, preview, context.goLiveOf);
  // Only a draft (and entries without a status): the product was never published.
  return shown(
    known('neverPublished'),
    [
      step('preview', notStarted()),
      step('publisher-signoff', notStarted()),
      step('live', notStarted()),
    ],
    '',
  );
}
