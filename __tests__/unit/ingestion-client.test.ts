import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { MockAgent } from 'undici';
import { IngestionClient } from '../../src/adapters/ingestion/client.js';
import { productIngestion } from '../../src/adapters/ingestion/index.js';
import { unknownProduct } from '../../src/adapters/ingestion/not-found.js';
import { ApiError } from '../../src/http/api-error.js';
import { HttpClient, type TokenSource } from '../../src/http/client.js';

const ORIGIN = 'https://graph.microsoft.com';
const BASE = `${ORIGIN}/rp/product-ingestion`;
const PREFIX = '/rp/product-ingestion';
const V = '$version=2022-07-01';

let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

const tokens: TokenSource = { renewable: false, token: async () => 'tok' };

function client(): IngestionClient {
  const http = new HttpClient({ tokens, dispatcher: agent, retries: 0 });
  return new IngestionClient(http, new URL(BASE), '2022-07-01');
}

interface Seen {
  path: string;
  headers: Record<string, string>;
}

/** Answers every GET under the base with `answer(path)`, recording each request as sent. */
function serve(answer: (path: string) => object, origin = ORIGIN): Seen[] {
  const seen: Seen[] = [];
  agent
    .get(origin)
    .intercept({ path: (p: string) => p.startsWith(`${PREFIX}/`), method: 'GET' })
    .reply(200, (opts) => {
      const path = String(opts.path);
      seen.push({ path, headers: opts.headers as Record<string, string> });
      return answer(path);
    })
    .persist();
  return seen;
}

function product(externalId: string, alias = '') {
  return {
    id: `product/${externalId}-guid`,
    identity: { externalId },
    type: 'azureVirtualMachine',
    alias,
  };
}

const ids = (products: { identity?: { externalId?: unknown } | null }[]) =>
  products.map((p) => p.identity?.externalId);

describe('requests', () => {
  test('the product lookup sends $version (literal $) and externalId, a bearer token, JSON accept', async () => {
    const seen = serve(() => ({ value: [product('contoso-vm', 'Contoso VM')] }));
    const found = await client().productsByExternalId('contoso-vm');
    expect(seen.map((s) => s.path)).toEqual([`${PREFIX}/product?${V}&externalId=contoso-vm`]);
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer tok',
      accept: 'application/json',
    });
    expect(found).toEqual([product('contoso-vm', 'Contoso VM')]);
  });

  test('an empty value is no product', async () => {
    serve(() => ({ value: [] }));
    expect(await client().productsByExternalId('nope')).toEqual([]);
  });

  test('the external id is encoded in the query', async () => {
    const seen = serve(() => ({ value: [] }));
    await client().productsByExternalId('a b&c=d');
    expect(seen.map((s) => s.path)).toEqual([`${PREFIX}/product?${V}&externalId=a%20b%26c%3Dd`]);
  });

  test('submissions(guid) reads submission/{guid}', async () => {
    const entry = {
      id: 'submission/guid/0',
      product: 'product/guid',
      target: { targetType: 'draft' },
    };
    const seen = serve(() => ({ value: [entry] }));
    expect(await client().submissions('guid')).toEqual([entry]);
    expect(seen.map((s) => s.path)).toEqual([`${PREFIX}/submission/guid?${V}`]);
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer tok',
      accept: 'application/json',
    });
  });

  test('job(j1) reads configure/j1/status', async () => {
    const body = {
      jobId: 'j1',
      jobStatus: 'running',
      jobResult: 'pending',
      jobEnd: '0001-01-01T00:00:00',
      errors: [],
    };
    const seen = serve(() => body);
    expect(await client().job('j1')).toEqual(body);
    expect(seen.map((s) => s.path)).toEqual([`${PREFIX}/configure/j1/status?${V}`]);
  });

  test('ids are encoded as path segments', async () => {
    const seen = serve(() => ({ value: [] }));
    await client().submissions('a b/c');
    expect(seen.map((s) => s.path)).toEqual([`${PREFIX}/submission/a%20b%2Fc?${V}`]);
  });

  test('a base URL with a trailing slash gives the same paths', async () => {
    const seen = serve(() => ({ value: [] }));
    const http = new HttpClient({ tokens, dispatcher: agent, retries: 0 });
    await new IngestionClient(http, new URL(`${BASE}/`), '2022-07-01').submissions('guid');
    expect(seen.map((s) => s.path)).toEqual([`${PREFIX}/submission/guid?${V}`]);
  });
});

describe('allProducts', () => {
  test('follows @nextLink: relative to the root, then absolute on the same origin', async () => {
    const seen = serve((path) => {
      if (path === `${PREFIX}/product?${V}`) {
        return {
          value: [product('a'), product('b')],
          '@nextLink': `${PREFIX}/product?${V}&$skipToken=p2`,
        };
      }
      if (path === `${PREFIX}/product?${V}&$skipToken=p2`) {
        return {
          value: [product('c')],
          '@nextLink': `${BASE}/product?${V}&$skipToken=p3`,
        };
      }
      if (path === `${PREFIX}/product?${V}&$skipToken=p3`) return { value: [product('d')] };
      throw new Error(`unexpected ${path}`);
    });
    const { products, complete } = await client().allProducts();
    expect(ids(products)).toEqual(['a', 'b', 'c', 'd']);
    expect(complete).toBe(true);
    expect(seen.map((s) => s.path)).toEqual([
      `${PREFIX}/product?${V}`,
      `${PREFIX}/product?${V}&$skipToken=p2`,
      `${PREFIX}/product?${V}&$skipToken=p3`,
    ]);
  });

  test('a next link without $version gets it', async () => {
    const seen = serve((path) =>
      path.includes('skipToken')
        ? { value: [product('b')], '@nextLink': null }
        : { value: [product('a')], '@nextLink': `${PREFIX}/product?$skipToken=p2` },
    );
    const { products, complete } = await client().allProducts();
    expect(ids(products)).toEqual(['a', 'b']);
    expect(complete).toBe(true);
    expect(seen.map((s) => s.path)).toEqual([
      `${PREFIX}/product?${V}`,
      `${PREFIX}/product?$skipToken=p2&${V}`,
    ]);
  });

  test.each(['', '   '])('an empty @nextLink (%j) ends the list', async (link) => {
    const seen = serve(() => ({ value: [product('a')], '@nextLink': link }));
    expect(await client().allProducts()).toEqual({ products: [product('a')], complete: true });
    expect(seen).toHaveLength(1);
  });

  // RFC 3986: a relative reference resolves against the URL of the answer that carried it
  // (…/rp/product-ingestion/product), not against a base without a trailing slash, which drops
  // the last segment and sends the next request to /rp/product.
  test('a path-relative @nextLink stays under the API root', async () => {
    const seen = serve((path) =>
      path.includes('skipToken')
        ? { value: [product('b')] }
        : { value: [product('a')], '@nextLink': `product?${V}&$skipToken=p2` },
    );
    agent
      .get(ORIGIN)
      .intercept({ path: (p: string) => !p.startsWith(`${PREFIX}/`) })
      .reply(404, '')
      .persist();
    const { products } = await client().allProducts();
    expect(ids(products)).toEqual(['a', 'b']);
    expect(seen.map((s) => s.path)).toEqual([
      `${PREFIX}/product?${V}`,
      `${PREFIX}/product?${V}&$skipToken=p2`,
    ]);
  });

  test('a @nextLink on another origin is never requested', async () => {
    const seen = serve(() => ({
      value: [product('a')],
      '@nextLink': `https://graph.evil.example${PREFIX}/product?${V}&$skipToken=p2`,
    }));
    // No interceptor for the other origin: with net connect disabled, a request there would throw.
    const { products } = await client().allProducts();
    expect(ids(products)).toEqual(['a']);
    expect(seen.map((s) => s.path)).toEqual([`${PREFIX}/product?${V}`]);
  });

  test.each([
    `http://graph.microsoft.com${PREFIX}/product?${V}&$skipToken=p2`,
    `https://graph.microsoft.com:8443${PREFIX}/product?${V}&$skipToken=p2`,
    `//graph.evil.example${PREFIX}/product?${V}&$skipToken=p2`,
  ])('a @nextLink on another origin (%s) is never requested', async (link) => {
    const seen = serve(() => ({ value: [product('a')], '@nextLink': link }));
    expect(ids((await client().allProducts()).products)).toEqual(['a']);
    expect(seen).toHaveLength(1);
  });

  // The list was cut short (a next page exists but was not followed), so it is not complete.
  test('a @nextLink on another origin leaves the list incomplete', async () => {
    serve(() => ({
      value: [product('a')],
      '@nextLink': `https://graph.evil.example${PREFIX}/product?${V}&$skipToken=p2`,
    }));
    expect(await client().allProducts()).toEqual({ products: [product('a')], complete: false });
  });

  test('stops after 20 pages, incomplete, whatever the service says', async () => {
    const seen = serve((path) => {
      const n = Number(/skipToken=(\d+)/.exec(path)?.[1] ?? '1');
      return {
        value: [product(`p${n}`)],
        '@nextLink': `${PREFIX}/product?${V}&$skipToken=${n + 1}`,
      };
    });
    const { products, complete } = await client().allProducts();
    expect(seen).toHaveLength(20);
    expect(ids(products)).toEqual(Array.from({ length: 20 }, (_, i) => `p${i + 1}`));
    expect(complete).toBe(false);
    expect(seen[19]!.path).toBe(`${PREFIX}/product?${V}&$skipToken=20`);
  });

  test('exactly 20 pages, the last without a link, is complete', async () => {
    const seen = serve((path) => {
      const n = Number(/skipToken=(\d+)/.exec(path)?.[1] ?? '1');
      return {
        value: [product(`p${n}`)],
        '@nextLink': n < 20 ? `${PREFIX}/product?${V}&$skipToken=${n + 1}` : undefined,
      };
    });
    const { products, complete } = await client().allProducts();
    expect(seen).toHaveLength(20);
    expect(products).toHaveLength(20);
    expect(complete).toBe(true);
  });
});

describe('unknownProduct', () => {
  async function explain(answer: (path: string) => object): Promise<ApiError> {
    serve(answer);
    return unknownProduct(client(), 'contoso-vm', {});
  }

  const FIRST =
    "No product has the external id 'contoso-vm' (GET product?externalId=… listed none). " +
    "Check offer-id: on product-ingestion it is the offer id shown in Partner Center (the product's " +
    'external id), not its name.';

  test('names the external id and suggests the closest ones the account has', async () => {
    const error = await explain(() => ({
      value: [
        product('contoso-vm-gen2', 'Contoso VM Gen2'),
        product('contoso-vm2', 'Contoso VM 2'),
        product('fabrikam-app', 'Fabrikam App'),
      ],
    }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe(
      `${FIRST} Did you mean 'contoso-vm2'? ` +
        "The account's products: 'contoso-vm-gen2', 'contoso-vm2', 'fabrikam-app'.",
    );
    expect(error.details).toEqual({ kind: 'http', endpoint: 'GET product', transient: false });
  });

  test('suggestions are ranked closest first and bounded to three', async () => {
    const error = await explain(() => ({
      value: [
        product('fabrikam-app'),
        product('contoso-vm-gen2'),
        product('contoso-vmx'),
        product('contoso-v'),
        product('contoso-vm22'),
        product('contoso-vm2'),
      ],
    }));
    expect(error.message).toBe(
      `${FIRST} Did you mean 'contoso-v', 'contoso-vm2', 'contoso-vmx'? ` +
        "The account's products: 'fabrikam-app', 'contoso-vm-gen2', 'contoso-vmx', 'contoso-v', " +
        "'contoso-vm22', 'contoso-vm2'.",
    );
  });

  test('the alias counts too: a display name typed as the id', async () => {
    serve(() => ({ value: [product('cvm-2024', 'contoso-vm'), product('fabrikam-app')] }));
    const error = await unknownProduct(client(), 'contoso-vm', {});
    expect(error.message).toBe(
      `${FIRST} Did you mean 'cvm-2024'? The account's products: 'cvm-2024', 'fabrikam-app'.`,
    );
  });

  test('nothing close: no suggestion, still the list', async () => {
    const error = await explain(() => ({ value: [product('fabrikam-app')] }));
    expect(error.message).toBe(`${FIRST} The account's products: 'fabrikam-app'.`);
  });

  test('products without an external id are left out', async () => {
    const error = await explain(() => ({
      value: [{ id: 'product/x' }, { id: 'product/y', identity: { externalId: 7 } }],
    }));
    expect(error.message).toBe(`${FIRST} The account lists no products.`);
  });

  test('an account without products says so', async () => {
    const error = await explain(() => ({ value: [] }));
    expect(error.message).toBe(`${FIRST} The account lists no products.`);
  });

  test('an incomplete list says "(and more)"', async () => {
    const error = await explain((path) => {
      const n = Number(/skipToken=(\d+)/.exec(path)?.[1] ?? '1');
      return {
        value: [product(`p${n}`)],
        '@nextLink': `${PREFIX}/product?${V}&$skipToken=${n + 1}`,
      };
    });
    expect(error.message).toBe(
      `${FIRST} The account's products: ` +
        `${Array.from({ length: 10 }, (_, i) => `'p${i + 1}'`).join(', ')} and 10 more (and more).`,
    );
  });

  test('a failed listing is reported, not thrown', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: `${PREFIX}/product?${V}` })
      .reply(500, '');
    const error = await unknownProduct(client(), 'contoso-vm', {});
    expect(error.message).toBe(
      `${FIRST} (Listing the account's products to say more failed: ` +
        `GET ${PREFIX}/product answered HTTP 500 (no body).)`,
    );
    expect(error.details).toEqual({ kind: 'http', endpoint: 'GET product', transient: false });
  });
});

describe('submissions without an id', () => {
  test('an entry without id is read, not refused as JSON of an unexpected shape', async () => {
    const entries = [
      { id: 'submission/guid/0', product: 'product/guid', target: { targetType: 'draft' } },
      { product: 'product/guid', target: { targetType: 'preview' }, status: 'running' },
      { id: null, product: 'product/guid', target: { targetType: 'live' }, status: 'completed' },
    ];
    serve(() => ({ value: entries }));
    const read = await client().submissions('guid');
    expect(read.map((e) => [e.id, e.status])).toEqual([
      ['submission/guid/0', undefined],
      [undefined, 'running'],
      [undefined, 'completed'],
    ]);
  });
});

describe('the product lookup follows only the exact external id', () => {
  const GUIDS = (path: string) => path.match(/\/submission\/([^?]+)/)?.[1];

  /** Follows `contoso-vm` with `GET product?externalId=` answering `listed`; the paths read. */
  async function follow(listed: object[]): Promise<{ paths: string[]; error?: unknown }> {
    const seen = serve((path) =>
      path.includes('/submission/')
        ? { value: [] }
        : path.includes('externalId=')
          ? { value: listed }
          : { value: [product('fabrikam-app')] },
    );
    const http = new HttpClient({ tokens, dispatcher: agent, retries: 0 });
    const adapter = productIngestion.create(
      http,
      { publisherId: '', offerId: 'contoso-vm', operationId: '' },
      { baseUrl: new URL(BASE), version: '2022-07-01' },
    );
    try {
      await adapter.read({}, adapter.start, () => {});
      return { paths: seen.map((s) => s.path) };
    } catch (error) {
      return { paths: seen.map((s) => s.path), error };
    }
  }

  test.each([
    ['the only product, exactly', [product('contoso-vm')]],
    ['listed after a near match', [product('contoso-vm-gen2'), product('contoso-vm')]],
    ['listed before another', [product('contoso-vm'), product('contoso-vm2')]],
  ])('%s: its submissions are read', async (_name, listed) => {
    const { paths, error } = await follow(listed);
    expect(error).toBeUndefined();
    expect(paths.map(GUIDS).filter(Boolean)).toEqual(['contoso-vm-guid']);
  });

  test.each([
    ['only a near match (a filter the service ignored)', [product('contoso-vm2')]],
    ['another case', [product('Contoso-VM')]],
    ['blanks around it', [product(' contoso-vm ')]],
    ['no identity at all', [{ id: 'product/contoso-vm-guid', type: 'azureVirtualMachine' }]],
    ['an external id that is not text', [{ id: 'product/x-guid', identity: { externalId: 7 } }]],
  ])('%s: not found, and no submission is read', async (_name, listed) => {
    const { paths, error } = await follow(listed);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/^No product has the external id 'contoso-vm'/);
    expect(paths.map(GUIDS).filter(Boolean)).toEqual([]);
  });
});
