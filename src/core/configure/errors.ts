/**
 * A job's errors in the user's terms: a line about a resource the step changed starts with what
 * the user wrote (`plan gen2, version 1.4.0: …`, `file listing.json (resource 2): …`). Pure.
 */
import { shown } from './display.js';
import { subjectOf } from './subjects.js';
import type { ChangePlan } from './types.js';

// `[Certification failed: ]resourceId: code: message`, as the job's errors are flattened.
const LINE = /^(?:Certification failed: )?([^\s:][^:]*?): /;
const TECH_CONFIG_ID = /^(?:core-)?virtual-machine-plan-technical-configuration\/(.+)$/i;

/** What each changed durable id (lower case) stands for in the user's words. */
function subjectsById(plan: ChangePlan): Map<string, string> {
  const byId = new Map<string, string>();
  const add = (id: string, subject: string) => {
    const key = id.toLowerCase();
    // One resource changed twice is refused when planning; should it happen, name both.
    const known = byId.get(key);
    if (known !== subject) byId.set(key, known ? `${known}; ${subject}` : subject);
  };
  for (const change of plan.changes) {
    if (!change.resourceId) continue;
    const subject = subjectOf(change, plan.changes);
    if (change.kind === 'resource') {
      add(change.resourceId, subject);
      continue;
    }
    // The version only when it was sent: an error then may be about it.
    add(
      change.resourceId,
      change.status === 'add' && change.version && change.versionStatus !== 'already-there'
        ? `${subject}, version ${shown(change.version, 40)}`
        : subject,
    );
    // An error on the plan itself (`plan/<product>/<plan>`) is about the same plan.
    const planId = TECH_CONFIG_ID.exec(change.resourceId)?.[1];
    if (planId && !byId.has(`plan/${planId}`.toLowerCase())) add(`plan/${planId}`, subject);
  }
  return byId;
}

export function explainJobErrors(errors: string[], plan: ChangePlan): string[] {
  const byId = subjectsById(plan);
  if (byId.size === 0) return errors;
  return errors.map((line) => {
    const id = LINE.exec(line)?.[1];
    const subject = id ? byId.get(id.toLowerCase()) : undefined;
    return subject ? `${subject}: ${line}` : line;
  });
}
