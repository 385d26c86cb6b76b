/**
 * What the user wrote, as the subject of a line: `plan gen2`, `file listing.json`,
 * `file offer.json (resource 2)` (counted from 1, shown when the file holds several). Pure.
 */
import { shown } from './display.js';
import type { PlannedChange } from './types.js';

export interface Subject {
  kind: 'plan' | 'file';
  /** The plan id or the file name, as one bounded line. */
  name: string;
  /** The resource's place in its file, counted from 1, when the file holds several. */
  resource?: number;
}

function subjectText(s: Subject): string {
  return `${s.kind} ${s.name}${s.resource ? ` (resource ${s.resource})` : ''}`;
}

export function planSubject(planId: string): string {
  return subjectText({ kind: 'plan', name: shown(planId, 100) });
}

function fileParts(file: string, index: number, several: boolean): Subject {
  const name = shown(file, 200);
  return several || index > 0
    ? { kind: 'file', name, resource: index + 1 }
    : { kind: 'file', name };
}

export function fileSubject(file: string, index: number, several: boolean): string {
  return subjectText(fileParts(file, index, several));
}

/** A change's subject, among the changes of its plan (to know if a file gave several). */
export function subjectParts(change: PlannedChange, changes: readonly PlannedChange[]): Subject {
  if (change.kind === 'vm-image-version') return { kind: 'plan', name: shown(change.planId, 100) };
  const several = changes.some(
    (c) => c.kind === 'resource' && c.file === change.file && c.index !== change.index,
  );
  return fileParts(change.file, change.index, several);
}

export function subjectOf(change: PlannedChange, changes: readonly PlannedChange[]): string {
  return subjectText(subjectParts(change, changes));
}
