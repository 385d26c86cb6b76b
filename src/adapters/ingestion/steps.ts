/**
 * The shape every product-ingestion read takes: three steps, `preview` (certification and preview
 * publish), `publisher-signoff` and `live`, or a configure job's one step, in a `Snapshot`. Which
 * submission or job a step is goes in its `detail`: the service sends no messages about them, and
 * none is made up here.
 */
import type { Snapshot, Step } from '../../core/model.js';
import type { Normalized } from '../../core/status.js';
import type { Submission } from './schemas.js';
import { word } from './words.js';

/** The steps' names: each said once, so the log prints no id beside it. */
export const STEP_NAMES = {
  preview: 'Preview',
  'publisher-signoff': 'Publisher sign-off',
  live: 'Live',
} as const;
type StepId = keyof typeof STEP_NAMES;

/** Which submission an entry is, and when it was created: `submission/<guid>/<n>, created …`. */
function submissionDetail(entry: Submission): string {
  const created = word(entry.created);
  return `${entry.id ?? 'submission (no id)'}${created ? `, created ${created}` : ''}`;
}

export function step(
  id: StepId,
  status: Normalized<string>,
  entry?: Submission | string,
  messages: Step['messages'] = [],
): Step {
  const detail = typeof entry === 'string' ? word(entry) : entry && submissionDetail(entry);
  return {
    id,
    name: STEP_NAMES[id],
    status: status.value,
    statusKnown: status.known,
    progress: status.value === 'complete' ? 100 : null,
    estimatedTimeFrame: '',
    messages,
    ...(detail ? { detail } : {}),
  };
}

export function snapshotOf(
  reported: Normalized<string>,
  steps: Step[],
  subject = '',
  notices: string[] = [],
  offerUrl = '',
): Snapshot {
  return {
    reported,
    status: reported.value,
    steps,
    messages: [],
    previewLinks: [],
    liveLinks: [],
    ...(offerUrl ? { offerUrl } : {}),
    subject: word(subject),
    ...(notices.length > 0 ? { notices } : {}),
  };
}
