/**
 * One status for several offers, for the `status` output and the summary's heading. Pure.
 *
 * The first of these that applies: `failed`, `canceled`, `neverPublished` (any offer in that
 * state), then `running` (any offer still on its way: `notStarted`, `running`, or a status no
 * vocabulary knows), then `waitingForPublisherReview` (any waiting for the sign-off), then
 * `succeeded` (all live).
 */
const FIRST = ['failed', 'canceled', 'neverPublished'] as const;
const ON_ITS_WAY = new Set(['notStarted', 'running']);
const REVIEW = 'waitingForPublisherReview';

/** `undefined` stands for an offer that was never read: it adds nothing. Empty when none was read. */
export function rollupStatus(statuses: readonly (string | undefined)[]): string {
  const read = statuses.filter((s): s is string => s !== undefined && s !== '');
  if (read.length === 0) return '';
  for (const status of FIRST) if (read.includes(status)) return status;
  const known = new Set([...ON_ITS_WAY, REVIEW, 'succeeded']);
  if (read.some((s) => ON_ITS_WAY.has(s) || !known.has(s))) return 'running';
  if (read.includes(REVIEW)) return REVIEW;
  return 'succeeded';
}
