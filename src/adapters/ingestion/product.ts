/**
 * The product followed, by its external id (`offer-id`): its GUID, looked up once on the first
 * call that needs it, and its page for people.
 */
import type { CallOptions } from '../../http/client.js';
import type { IngestionClient } from './client.js';
import { unknownProduct } from './not-found.js';

/** The offer's page for people: Partner Center's overview of the product. */
export function offerOverviewUrl(productGuid: string): string {
  return `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${encodeURIComponent(productGuid)}/overview`;
}

export class Product {
  /** A fact about the account, not about what is followed: kept so each read is one request. */
  private productGuid: string | undefined;

  constructor(
    private readonly client: IngestionClient,
    readonly externalId: string,
  ) {}

  /** The product's GUID, looked up on the first call. */
  async guid(call: CallOptions): Promise<string> {
    this.productGuid ??= await this.lookUp(call);
    return this.productGuid;
  }

  /** The GUID, if it was looked up already. */
  get known(): string | undefined {
    return this.productGuid;
  }

  /** Partner Center's overview of the product, once it was looked up. */
  offerUrl(): string | undefined {
    return this.productGuid ? offerOverviewUrl(this.productGuid) : undefined;
  }

  /**
   * `product/<guid>` → `<guid>`, for the offer's external id. Only the product whose
   * `identity.externalId` is exactly the offer id: any other product in the answer (a filter the
   * service ignored, a near match) is never followed.
   */
  private async lookUp(call: CallOptions): Promise<string> {
    const offerId = this.externalId;
    const products = await this.client.productsByExternalId(offerId, call);
    const product = products.find((p) => p.identity?.externalId === offerId);
    if (!product) throw await unknownProduct(this.client, offerId, call);
    return product.id.replace(/^product\//, '');
  }
}
