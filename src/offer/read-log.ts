/**
 * One read in the log: what changed, then each message never shown before, once; warnings and
 * errors as annotations.
 */
import { changeLines, newMessageLine, type OfferMessages } from '../core/changes.js';
import { oneLine } from '../core/html.js';
import { unknownStatuses, type Snapshot } from '../core/model.js';
import type { Runner } from '../github/runner.js';

/** New messages printed per read; the rest are counted (the summary has them). */
const MESSAGES_PER_READ = 200;

/**
 * One read in the log: what changed, then each message never shown before, once. Warnings and
 * errors become annotations (the runner caps them), the rest plain lines.
 */
export function logRead(
  runner: Runner,
  previous: Snapshot | undefined,
  current: Snapshot,
  memory: { warned: Set<string>; seen: OfferMessages },
  heading: string,
): void {
  for (const notice of current.notices ?? []) {
    if (memory.warned.has(notice)) continue;
    memory.warned.add(notice);
    runner.warning(notice);
  }
  const fresh = memory.seen.fresh(current);
  const printed = fresh.slice(0, MESSAGES_PER_READ);
  const lines = [
    ...changeLines(previous, current),
    ...printed.filter((m) => !annotated(m.message.level)).map(newMessageLine),
  ];
  if (fresh.length > printed.length) {
    // The summary has them while they fit its 1 MiB; the `steps` output has each step's latest.
    lines.push(
      `  … and ${fresh.length - printed.length} more new messages, not printed to keep the log readable.`,
    );
  }
  if (lines.length > 0) runner.info([heading, ...lines].join('\n'));
  for (const { value, where } of unknownStatuses(current)) {
    if (memory.warned.has(value)) continue;
    memory.warned.add(value);
    runner.warning(
      `The service reported a status this action does not know: '${value}' (${where}). ` +
        'It is treated as still in progress.',
    );
  }
  for (const { stepName, message } of printed) {
    if (!annotated(message.level)) continue;
    const title = stepName ? `Marketplace: ${stepName}` : 'Marketplace offer';
    if (message.level === 'error') runner.error(oneLine(message.text), title);
    else runner.warning(oneLine(message.text), title);
  }
}

const annotated = (level: string) => level === 'error' || level === 'warning';
