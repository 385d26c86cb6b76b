/**
 * Why a publish or a write failed, in the user's words: a failed publish whose reads name no error
 * gets its configure job's errors, and a job's errors name the plan, version or file the user
 * wrote instead of the resource's durable id.
 */
import type { Adapter } from '../adapters/adapter.js';
import { explainJobErrors } from '../core/configure/errors.js';
import { ConfigureError } from '../core/configure/plan.js';
import type { ChangePlan } from '../core/configure/types.js';
import type { End } from '../core/end.js';
import { escapeHtml } from '../core/html.js';
import { textMessage, toMessage, type Message, type Snapshot } from '../core/model.js';
import { writeNoun, type WriteName } from '../core/started.js';
import type { Runner } from '../github/runner.js';
import { ApiError } from '../http/api-error.js';
import type { CallOptions } from '../http/client.js';
import { InputError } from '../inputs/index.js';

/**
 * A failed publish whose reads name no error (ingestion's submissions say only `failed`): the
 * errors of the configure job `jobId` that started it (this step's, the one followed, or the one
 * the last tracked run recorded), added to the offer's messages and logged. Without a job, or when
 * it names no error, a note says so and links the offer's page, where the certification report is.
 */
export async function explainFailure(
  adapter: Adapter,
  runner: Runner,
  end: End,
  snapshot: Snapshot | undefined,
  call: CallOptions,
  jobId: string,
): Promise<Snapshot | undefined> {
  if (!adapter.reasons || !snapshot) return snapshot;
  if (end.kind !== 'fail-on' && end.kind !== 'end-state') return snapshot;
  const failed = snapshot.status === 'failed' || snapshot.steps.some((s) => s.status === 'failed');
  const said = [snapshot.messages, ...snapshot.steps.map((s) => s.messages)].some((ms) =>
    ms.some((m) => m.level === 'error'),
  );
  if (!failed || said) return snapshot;
  const page = snapshot.offerUrl || adapter.offerPage?.();
  const where = page
    ? ` Partner Center shows why, with the certification report: <a href="${escapeHtml(page)}">the offer in Partner Center</a>.`
    : " Partner Center shows why, with the certification report, on the offer's page.";
  let reasons: Message[] = [];
  let note = '';
  if (jobId) {
    try {
      reasons = await adapter.reasons(call, jobId);
      if (reasons.length === 0) {
        note = `Configure job ${escapeHtml(jobId)} lists no errors.${where}`;
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      note = `Could not read configure job ${escapeHtml(jobId)} for its errors (${escapeHtml(why)}).${where}`;
    }
  } else {
    note =
      'No configure job is known for this publish, so its errors cannot be read here (with ' +
      'track: deployment, a run that starts the publish records its job for later runs).' +
      where;
  }
  const title = jobId ? `Marketplace: configure job ${jobId}` : 'Marketplace offer';
  for (const m of reasons) runner.error(m.text, title);
  const added = note ? [...reasons, toMessage('warning', note)] : reasons;
  if (note) runner.warning(added.at(-1)!.text, title);
  return { ...snapshot, messages: [...snapshot.messages, ...added] };
}

/** Why a write (or the change's planning) failed, for the log and the summary. */
export function writeFailure(name: WriteName, error: unknown, plan?: ChangePlan): string {
  if (error instanceof ApiError || error instanceof InputError || error instanceof ConfigureError) {
    return plan ? explainJobErrors([error.message], plan)[0]! : error.message;
  }
  return `Unexpected error while sending the ${writeNoun(name)}: ${error instanceof Error ? error.message : String(error)}`;
}

/** The snapshot with each message that names a planned resource said in the user's words. */
export function inUserWords(snapshot: Snapshot, plan: ChangePlan): Snapshot {
  const relabel = (m: Message): Message => {
    const [text] = explainJobErrors([m.text], plan);
    return text === m.text ? m : textMessage(m.level, text!, m.timestamp);
  };
  return {
    ...snapshot,
    messages: snapshot.messages.map(relabel),
    steps: snapshot.steps.map((step) => ({ ...step, messages: step.messages.map(relabel) })),
  };
}
