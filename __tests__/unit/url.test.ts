import { describe, expect, test } from '@jest/globals';
import { apiUrl } from '../../src/http/url.js';

const CPP = { 'api-version': '2017-10-31' };
const INGESTION = { $version: '2022-07-01' };

describe('apiUrl', () => {
  test.each([
    ['https://cloudpartner.azure.com', '/api/publishers/p/offers'],
    ['https://cloudpartner.azure.com/', '/api/publishers/p/offers'],
    [
      'https://graph.microsoft.com/rp/product-ingestion',
      '/rp/product-ingestion/api/publishers/p/offers',
    ],
    [
      'https://graph.microsoft.com/rp/product-ingestion//',
      '/rp/product-ingestion/api/publishers/p/offers',
    ],
    ['http://127.0.0.1:8080', '/api/publishers/p/offers'],
  ])('segments follow the base %s, with or without its trailing slash', (base, path) => {
    const url = apiUrl(new URL(base), ['api', 'publishers', 'p', 'offers'], CPP);
    expect(url.pathname).toBe(path);
    expect(url.origin).toBe(new URL(base).origin);
  });

  test('each id stays one segment: spaces, slashes and the rest are encoded', () => {
    const url = apiUrl(new URL('https://x.test'), ['submission', 'a b/c?d#e%f'], INGESTION);
    expect(url.pathname).toBe('/submission/a%20b%2Fc%3Fd%23e%25f');
  });

  test("the query keeps its order; names as written ($version keeps its '$'), values encoded", () => {
    const url = apiUrl(new URL('https://x.test/rp'), ['product'], {
      ...INGESTION,
      externalId: 'a b&c=d',
      targetType: 'draft',
    });
    expect(url.href).toBe(
      'https://x.test/rp/product?$version=2022-07-01&externalId=a%20b%26c%3Dd&targetType=draft',
    );
  });

  test('the CPP version as the service expects it', () => {
    const url = apiUrl(new URL('https://cloudpartner.azure.com'), ['api', 'publishers'], CPP);
    expect(url.href).toBe('https://cloudpartner.azure.com/api/publishers?api-version=2017-10-31');
  });

  test('the base is left as it was', () => {
    const base = new URL('https://x.test/rp/');
    apiUrl(base, ['product'], INGESTION);
    expect(base.href).toBe('https://x.test/rp/');
  });
});
