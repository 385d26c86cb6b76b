/**
 * A 404 says only "not found". Users need to know *what* was not found: the publisher, the offer
 * (and which ids they may have meant), or the operation. One extra read of the publisher's offers
 * (`GET /api/publishers/{p}/offers`) tells them apart.
 */
import { distance } from 'fastest-levenshtein';
import { ApiError } from './api-error.js';
import type { CallOptions, CppClient } from './cpp-client.js';

export interface KnownOffer {
  id: string;
  displayText: string;
}

/**
 * Up to `max` offer ids close to what the user typed: same id in another case, an id or display
 * name within a few edits, or a display name equal to the input (a common mix-up).
 */
export function closestOffers(wanted: string, offers: KnownOffer[], max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored = offers
    .map((o) => {
      const byId = distance(w, o.id.toLowerCase());
      const byName = o.displayText ? distance(w, o.displayText.toLowerCase()) : Infinity;
      return { id: o.id, score: Math.min(byId, byName) };
    })
    .filter((o) => o.score <= Math.max(2, Math.floor(w.length / 3)))
    .sort((a, b) => a.score - b.score || a.id.localeCompare(b.id));
  return scored.slice(0, max).map((o) => o.id);
}

function list(ids: string[], limit = 10): string {
  const shown = ids.slice(0, limit).map((id) => `'${id}'`);
  return ids.length > limit
    ? `${shown.join(', ')} and ${ids.length - limit} more`
    : shown.join(', ');
}

export interface Ids {
  publisherId: string;
  offerId: string;
  operationId: string;
}

/** A clearer error for a 404 of the status or operation read; the original when nothing is learnt. */
export async function explainNotFound(
  client: CppClient,
  ids: Ids,
  original: ApiError,
  call: CallOptions,
): Promise<ApiError> {
  const permanent = (message: string) =>
    new ApiError(message, { ...original.details, transient: false });
  let offers: KnownOffer[];
  try {
    offers = (await client.offers(ids.publisherId, call)).map((o) => ({
      id: o.id,
      displayText: typeof o.definition?.displayText === 'string' ? o.definition.displayText : '',
    }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return permanent(
        `Publisher '${ids.publisherId}' was not found (${original.details.endpoint} and ` +
          `${error.details.endpoint} answered HTTP 404). Check publisher-id: it is the publisher ` +
          "namespace (e.g. 'contoso'), not its display name.",
      );
    }
    const why = error instanceof Error ? error.message : String(error);
    return permanent(
      `${original.message} (Listing the publisher's offers to say more failed: ${why})`,
    );
  }
  if (!offers.some((o) => o.id === ids.offerId)) {
    const near = closestOffers(ids.offerId, offers);
    const hint = near.length > 0 ? ` Did you mean ${list(near)}?` : '';
    const all =
      offers.length > 0 ? ` Its offers: ${list(offers.map((o) => o.id))}.` : ' It lists no offers.';
    return permanent(
      `Offer '${ids.offerId}' was not found under publisher '${ids.publisherId}'.${hint}${all} ` +
        'Check offer-id: it is the offer id, not its display name.',
    );
  }
  if (ids.operationId) {
    return permanent(
      `Operation '${ids.operationId}' was not found for offer ${ids.publisherId}/${ids.offerId} ` +
        `(${original.details.endpoint} answered HTTP 404). Check operation-id, or leave it empty to ` +
        "follow the offer's status.",
    );
  }
  return permanent(
    `Offer ${ids.publisherId}/${ids.offerId} exists, but its status was not found ` +
      `(${original.details.endpoint} answered HTTP 404): it may never have been published.`,
  );
}
