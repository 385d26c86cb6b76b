/**
 * An unknown offer on product-ingestion is an empty `GET product?externalId=…`, not a 404. Say
 * which external ids the account has that come close, from `GET product` (its pages, bounded).
 */
import { closestOffers, quotedList } from '../../core/closest.js';
import { ApiError } from '../../http/api-error.js';
import type { CallOptions } from '../../http/client.js';
import type { IngestionClient } from './client.js';

export async function unknownProduct(
  client: IngestionClient,
  externalId: string,
  call: CallOptions,
): Promise<ApiError> {
  const endpoint = 'GET product';
  const first =
    `No product has the external id '${externalId}' (GET product?externalId=… listed none). ` +
    "Check offer-id: on product-ingestion it is the offer id shown in Partner Center (the product's " +
    'external id), not its name.';
  let known: { id: string; displayText: string }[];
  let complete: boolean;
  try {
    const all = await client.allProducts(call);
    complete = all.complete;
    known = all.products.flatMap((p) => {
      const id = p.identity?.externalId;
      return typeof id === 'string' && id
        ? [{ id, displayText: typeof p.alias === 'string' ? p.alias : '' }]
        : [];
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return new ApiError(`${first} (Listing the account's products to say more failed: ${why})`, {
      kind: 'http',
      endpoint,
      transient: false,
    });
  }
  const near = closestOffers(externalId, known);
  const hint = near.length > 0 ? ` Did you mean ${quotedList(near)}?` : '';
  const all =
    known.length > 0
      ? ` The account's products: ${quotedList(known.map((k) => k.id))}${complete ? '' : ' (and more)'}.`
      : ' The account lists no products.';
  return new ApiError(`${first}${hint}${all}`, { kind: 'http', endpoint, transient: false });
}
