/**
 * The product-ingestion endpoints the action calls, on the shared HTTP layer. Every URL carries
 * `$version` (spelled with its `$`, as the docs do); ids are path segments, encoded.
 */
import type { CallOptions, HttpClient } from '../../http/client.js';
import { apiUrl } from '../../http/url.js';
import {
  JobSchema,
  ResourceTreeSchema,
  type ResourceTree,
  ProductsSchema,
  SubmissionsSchema,
  type Job,
  type Product,
  type Submission,
} from './schemas.js';

const CONFIGURE_SCHEMA = 'https://schema.mp.microsoft.com/schema/configure/2022-07-01';
export const SUBMISSION_SCHEMA =
  'https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2';

/** Pages of `GET product` read at most, to suggest ids on a miss (bounded, whatever the service says). */
const MAX_PAGES = 20;

export class IngestionClient {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: URL,
    private readonly version: string,
  ) {}

  /** `GET product?externalId=…`: the products with this external id (none, or one). */
  async productsByExternalId(externalId: string, call?: CallOptions): Promise<Product[]> {
    return (await this.http.get(this.url(['product'], { externalId }), ProductsSchema, call)).value;
  }

  /** `GET product`, following `@nextLink` on the same origin, for at most `MAX_PAGES` pages. */
  async allProducts(call?: CallOptions): Promise<{ products: Product[]; complete: boolean }> {
    const products: Product[] = [];
    let page: URL = this.url(['product']);
    for (let read = 0; read < MAX_PAGES; read++) {
      const body = await this.http.get(page, ProductsSchema, call);
      products.push(...body.value);
      const next = this.nextLink(body['@nextLink'], page);
      if (next === 'none') return { products, complete: true };
      if (next === 'refused') return { products, complete: false };
      page = next;
    }
    return { products, complete: false };
  }

  /** `GET submission/{productGuid}`: one entry per target (draft, preview, live). */
  async submissions(productGuid: string, call?: CallOptions): Promise<Submission[]> {
    return (await this.http.get(this.url(['submission', productGuid]), SubmissionsSchema, call))
      .value;
  }

  /** `POST configure` with these resources, in this order: the job that carries them out. */
  async configure(resources: Record<string, unknown>[], call?: CallOptions): Promise<Job> {
    const body = { $schema: CONFIGURE_SCHEMA, resources };
    return (await this.http.post(this.url(['configure']), body, JobSchema, call)).body;
  }

  /** `GET resource-tree/product/{guid}?targetType=…`: every resource of the product's target. */
  async resourceTree(
    productGuid: string,
    targetType: 'draft' | 'preview' | 'live',
    call?: CallOptions,
  ): Promise<ResourceTree> {
    return this.http.get(
      this.url(['resource-tree', 'product', productGuid], { targetType }),
      ResourceTreeSchema,
      call,
    );
  }

  /** `GET configure/{jobId}/status`. */
  job(jobId: string, call?: CallOptions): Promise<Job> {
    return this.http.get(this.url(['configure', jobId, 'status']), JobSchema, call);
  }

  /** An address of this API: `$version` first, then the call's query. */
  private url(segments: string[], query: Record<string, string> = {}): URL {
    return apiUrl(this.baseUrl, segments, { $version: this.version, ...query });
  }

  /**
   * The next page's address, resolved against the page that carried it; `refused` when it leads
   * to another origin (the token is never sent there).
   */
  private nextLink(raw: unknown, page: URL): URL | 'none' | 'refused' {
    if (typeof raw !== 'string' || raw.trim() === '') return 'none';
    let url: URL;
    try {
      url = new URL(raw, page);
    } catch {
      return 'refused';
    }
    if (url.origin !== this.baseUrl.origin) return 'refused';
    if (!/[?&](\$|%24)version=/.test(url.search)) {
      url.search = `${url.search ? `${url.search}&` : '?'}$version=${encodeURIComponent(this.version)}`;
    }
    return url;
  }
}
