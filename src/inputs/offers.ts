/** The `offer-id` input: one offer, or several followed side by side. */
import { InputError, printable } from './errors.js';
import { listOf, pathSegment } from './fields.js';

/**
 * Offers one step follows at most. They share one client with a few requests in flight: 256 offers
 * polled every minute are already about 4 reads a second to one service, and one log and one 1 MiB
 * summary for all of them; past that, several steps or jobs serve the offers better.
 */
export const MAX_OFFERS = 256;

/** Offer ids, comma- or newline-separated, in the order given; a repeated id is a mistake. */
export function parseOfferIds(raw: string): string[] {
  const listed = listOf(raw);
  if (listed.length === 0) throw new InputError('offer-id', 'is required but empty.');
  // Counted first: the checks below then run on a bounded list.
  if (listed.length > MAX_OFFERS) {
    throw new InputError(
      'offer-id',
      `names ${listed.length} offers, but one step follows at most ${MAX_OFFERS}. Split the ` +
        `offers over several steps or jobs (e.g. a matrix), at most ${MAX_OFFERS} in each.`,
    );
  }
  const ids = listed.map((id) => pathSegment('offer-id', id));
  const once = new Set<string>();
  const repeated = ids.find((id) => once.size === once.add(id).size);
  if (repeated) {
    throw new InputError(
      'offer-id',
      `'${printable(repeated)}' is listed twice. List each offer once.`,
    );
  }
  return ids;
}
