/**
 * Two changes to one resource in one configure request: each sends the resource whole, so one
 * would silently undo the other. Pure.
 */
import { ConfigureError } from './configure-error.js';
import { shown } from './display.js';
import { subjectOf } from './subjects.js';
import type { PlannedChange } from './types.js';

/** The first pair of sent changes (not `already-there`) to the same durable id, as an error. */
export function findOverlap(changes: readonly PlannedChange[]): ConfigureError | undefined {
  const seen = new Map<string, PlannedChange>();
  for (const change of changes) {
    if (change.status === 'already-there' || !change.resourceId) continue;
    const key = change.resourceId.toLowerCase();
    const first = seen.get(key);
    if (first) {
      const subject = subjectOf(first, changes);
      return new ConfigureError(
        `${subject} and ${subjectOf(change, changes)} both change ${shown(change.resourceId, 200)}: ` +
          'each sends the whole resource, so give it once',
        subject,
      );
    }
    seen.set(key, change);
  }
  return undefined;
}
