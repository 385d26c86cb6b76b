/**
 * A 404 says only "not found". Users need to know *what* was not found: the publisher, the offer
 * (and which ids they may have meant), or the operation. One extra read of the publisher's offers
 * (`GET /api/publishers/{p}/offers`) tells them apart.
 */
import { closestOffers, quotedList as list, type KnownOffer } from '../../core/closest.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions } from '../../http/client.js';
import type { Target } from '../adapter.js';
import type { CppClient } from './client.js';

/** A clearer error for a 404 of the status or operation read; the original when nothing is learnt. */
export async function explainNotFound(
  client: CppClient,
  ids: Target,
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
