/**
 * The product-ingestion adapter: follows a product's submissions (`GET submission/{productGuid}`)
 * or one configure job (`configure/{jobId}/status`), and sends its writes as configure requests.
 */
import type { Resource } from '../../core/configure/types.js';
import { textMessage, type Message, type Snapshot } from '../../core/model.js';
import type { CallOptions, HttpClient } from '../../http/client.js';
import type {
  Adapter,
  OfferChanges,
  Publication,
  PublishState,
  Started,
  Target,
} from '../adapter.js';
import { IngestionClient } from './client.js';
import { flattenErrors } from './errors.js';
import type { IngestionFollowed } from './followed.js';
import { Product } from './product.js';
import { previewStateOf, toPublications } from './publications.js';
import { readFollowed, readSubmissions, type ReadDeps } from './read.js';
import { configureChange, goLive, startPublish } from './writes.js';

export class IngestionAdapter implements Adapter<IngestionFollowed> {
  private readonly client: IngestionClient;
  private readonly product: Product;
  private readonly deps: ReadDeps;
  readonly following: string;
  readonly start: IngestionFollowed;

  constructor(http: HttpClient, target: Target, base: { baseUrl: URL; version: string }) {
    this.client = new IngestionClient(http, base.baseUrl, base.version);
    this.product = new Product(this.client, target.offerId);
    this.deps = { client: this.client, product: this.product, asked: target.operationId };
    this.start = { operationId: target.operationId };
    this.following = target.operationId
      ? `configure job ${target.operationId} of product ${target.offerId}`
      : `the submissions of product ${target.offerId}`;
  }

  async prepare(_call: CallOptions, followed: IngestionFollowed): Promise<IngestionFollowed> {
    return followed;
  }

  read(
    call: CallOptions,
    followed: IngestionFollowed,
    moveOn: (next: IngestionFollowed) => void,
  ): Promise<Snapshot> {
    return readFollowed(this.deps, call, followed, moveOn);
  }

  async reasons(call: CallOptions, operationId: string): Promise<Message[]> {
    const job = await this.client.job(operationId, call);
    return flattenErrors(job.errors ?? []).map((e) => textMessage('error', e));
  }

  offerPage(): string | undefined {
    return this.product.offerUrl();
  }

  async publications(call: CallOptions): Promise<Publication[]> {
    return toPublications(await readSubmissions(this.deps, call));
  }

  async publishState(call: CallOptions): Promise<PublishState> {
    const submissions = await readSubmissions(this.deps, call);
    const publications = toPublications(submissions);
    const running = publications.find((p) => p.running);
    return {
      publications,
      ...(running ? { running } : {}),
      known: true,
      ...previewStateOf(submissions),
    };
  }

  follow(followed: IngestionFollowed): IngestionFollowed {
    // The product's submissions show the publication, whoever started it.
    return { ...followed, job: undefined };
  }

  startPublish(
    call: CallOptions,
    followed: IngestionFollowed,
  ): Promise<Started<IngestionFollowed>> {
    return startPublish(this.deps, call, followed);
  }

  goLive(
    call: CallOptions,
    followed: IngestionFollowed,
    signoff: Snapshot,
  ): Promise<Started<IngestionFollowed>> {
    return goLive(this.deps, call, followed, signoff);
  }

  readonly changes: OfferChanges<IngestionFollowed> = {
    readDraft: async (call, target = 'draft') => {
      const guid = await this.product.guid(call);
      const tree = await this.client.resourceTree(guid, target, call);
      return {
        product: { id: `product/${guid}`, externalId: this.product.externalId },
        resources: tree.resources as Resource[],
      };
    },
    configure: (call, followed, resources) => configureChange(this.deps, call, followed, resources),
  };
}
