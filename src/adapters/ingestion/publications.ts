/**
 * The listed preview and live submissions as the write rules and the planner see them: what runs,
 * what is new since a write, and where the latest preview stands.
 */
import type { PreviewState } from '../../core/release.js';
import type { Publication } from '../adapter.js';
import type { Submission } from './schemas.js';
import {
  goneLive,
  isDone,
  isTarget,
  latest,
  listedEntries,
  phaseOf,
  resultOf,
  word,
} from './words.js';

/**
 * The listed preview and live submissions as the write rules see them: what runs, and what is new
 * since a write. Once live, the preview's id stands for the live entry too, so the key is the
 * target and the id. An entry without id still counts as running (a publish would be refused);
 * it cannot be followed or pushed live.
 */
export function toPublications(entries: readonly Submission[]): Publication[] {
  return listedEntries(entries).map((entry) => {
    const target = isTarget('live')(entry) ? 'live' : 'preview';
    const id = entry.id ?? '';
    return {
      key: `${target}:${id || `(no id, created ${word(entry.created)})`}`,
      id,
      kind: target === 'live' ? 'go-live' : 'publish',
      running: phaseOf(entry.status) !== 'completed',
      label: `${target} submission ${id || '(no id)'}`,
    };
  });
}

/**
 * Where the latest preview stands, from the same entries: running, at its sign-off (completed and
 * succeeded, not the live one), live (its id is live's, completed), or failed (any other end, a
 * result no one documents included: a new publish is then allowed, as nothing runs).
 */
export function previewStateOf(entries: readonly Submission[]): {
  preview?: { id: string; state: PreviewState };
  live?: string;
} {
  const listed = listedEntries(entries);
  const preview = latest(listed.filter(isTarget('preview')));
  const lives = listed.filter(isTarget('live'));
  const liveNow = latest(lives.filter((s) => isDone(s) && resultOf(s.result) === 'succeeded'));
  const live = liveNow?.id ? { live: liveNow.id } : {};
  if (!preview) return live;
  const id = preview.id ?? '';
  let state: PreviewState;
  if (!isDone(preview)) state = 'running';
  else if (resultOf(preview.result) !== 'succeeded') state = 'failed';
  else state = liveNow && goneLive(liveNow, preview) ? 'live' : 'signoff';
  return { preview: { id, state }, ...live };
}
