import { describe, expect, test } from '@jest/globals';
import { InputError, chooseApi, parseApi, readSettings } from '../../src/inputs/index.js';
import { inputError, inputs } from './input-helpers.js';

const USE =
  'is not an API. Use auto (the default: cloud-partner-portal when publisher-id is given, else ' +
  'product-ingestion), cloud-partner-portal (alias cpp) or product-ingestion (alias ingestion).';

describe('parseApi', () => {
  test.each([
    ['cloud-partner-portal', 'cloud-partner-portal'],
    ['product-ingestion', 'product-ingestion'],
    ['cpp', 'cloud-partner-portal'],
    ['ingestion', 'product-ingestion'],
    ['Cloud-Partner-Portal', 'cloud-partner-portal'],
    ['PRODUCT-INGESTION', 'product-ingestion'],
    ['CPP', 'cloud-partner-portal'],
    ['Ingestion', 'product-ingestion'],
    ['  cpp  ', 'cloud-partner-portal'],
    ['\tProduct-Ingestion\n', 'product-ingestion'],
    [' INGESTION ', 'product-ingestion'],
  ])('%j is %s', (raw, api) => {
    expect(parseApi(raw)).toBe(api);
  });

  test.each([
    ['auto', '', 'product-ingestion', 'api: auto, no publisher-id given'],
    ['', '', 'product-ingestion', 'api: auto, no publisher-id given'],
    ['  AUTO ', '   ', 'product-ingestion', 'api: auto, no publisher-id given'],
    ['auto', 'contoso', 'cloud-partner-portal', 'api: auto, publisher-id given'],
    ['', 'contoso', 'cloud-partner-portal', 'api: auto, publisher-id given'],
    ['cpp', '', 'cloud-partner-portal', 'api: cpp'],
    ['Ingestion', 'contoso', 'product-ingestion', 'api: ingestion'],
  ])('api %j with publisher-id %j is %s (%s)', (raw, publisherId, api, reason) => {
    expect(chooseApi(raw, publisherId)).toEqual({ api, reason });
    expect(parseApi(raw, publisherId)).toBe(api);
  });

  test.each([
    ['graph', "'graph'"],
    ['cloud partner portal', "'cloud partner portal'"],
    ['product_ingestion', "'product_ingestion'"],
    ['productingestion', "'productingestion'"],
    ['cpp2', "'cpp2'"],
    ['c pp', "'c pp'"],
    ['partner-center', "'partner-center'"],
    ['toString', "'toString'"],
  ])('%j is rejected, naming the input api', (raw, quoted) => {
    const error = inputError(() => parseApi(raw));
    expect(error.input).toBe('api');
    expect(error.message).toBe(`Input 'api': ${quoted} ${USE}`);
  });

  // API_ALIASES is a plain object literal: `constructor` and `__proto__` are found on its
  // prototype, so parseApi returns Object (or Object.prototype) instead of throwing.
  test.each(['constructor', '__proto__', ' Constructor '])(
    '%j (an Object.prototype member) is rejected too',
    (raw) => {
      const error = inputError(() => parseApi(raw));
      expect(error.input).toBe('api');
    },
  );
});

describe('readSettings and the api input', () => {
  const offer = { 'offer-id': 'contoso-vm' };

  test.each(['product-ingestion', 'ingestion', ' Ingestion '])(
    'api %j needs no publisher-id and defaults base-url and api-version',
    (api) => {
      const s = readSettings(inputs({ ...offer, api }));
      expect(s.api).toBe('product-ingestion');
      expect(s.publisherId).toBe('');
      expect(s.offerIds).toEqual(['contoso-vm']);
      expect(s.baseUrl.href).toBe('https://graph.microsoft.com/rp/product-ingestion');
      expect(s.apiVersion).toBe('2022-07-01');
    },
  );

  test('product-ingestion keeps a publisher-id that is given', () => {
    const s = readSettings(
      inputs({ ...offer, api: 'product-ingestion', 'publisher-id': 'contoso' }),
    );
    expect(s.publisherId).toBe('contoso');
  });

  test('product-ingestion still checks a publisher-id that is given', () => {
    const error = inputError(() =>
      readSettings(inputs({ ...offer, api: 'product-ingestion', 'publisher-id': 'a/b' })),
    );
    expect(error.input).toBe('publisher-id');
  });

  test.each([
    ['cpp', {}],
    ['cloud-partner-portal', {}],
    ['CPP', { 'publisher-id': '   ' }],
  ])('api %j with an empty publisher-id names publisher-id', (api, extra) => {
    const error = inputError(() => readSettings(inputs({ ...offer, api, ...extra })));
    expect(error).toBeInstanceOf(InputError);
    expect(error.input).toBe('publisher-id');
    expect(error.message).toBe(
      "Input 'publisher-id': is required for api cloud-partner-portal but empty.",
    );
  });

  test.each(['', 'auto', 'Auto'])(
    'api %j (auto) follows product-ingestion without a publisher-id, CPP with one',
    (api) => {
      const pi = readSettings(inputs({ ...offer, api }));
      expect(pi.api).toBe('product-ingestion');
      expect(pi.apiReason).toBe('api: auto, no publisher-id given');
      expect(pi.baseUrl.href).toBe('https://graph.microsoft.com/rp/product-ingestion');
      const cpp = readSettings(inputs({ ...offer, api, 'publisher-id': 'contoso' }));
      expect(cpp.api).toBe('cloud-partner-portal');
      expect(cpp.apiReason).toBe('api: auto, publisher-id given');
      expect(cpp.baseUrl.href).toBe('https://cloudpartner.azure.com/');
    },
  );

  test('auto with a publisher-id and a change input says why the change cannot be sent', () => {
    const error = inputError(() =>
      readSettings(inputs({ ...offer, 'publisher-id': 'contoso', resources: 'listing.json' })),
    );
    expect(error.input).toBe('resources');
    expect(error.message).toContain(
      'api: auto chose the Cloud Partner Portal API because publisher-id is given',
    );
  });

  test('cpp defaults to its own base-url and api-version', () => {
    const s = readSettings(inputs({ ...offer, api: 'cpp', 'publisher-id': 'contoso' }));
    expect(s.api).toBe('cloud-partner-portal');
    expect(s.publisherId).toBe('contoso');
    expect(s.baseUrl.href).toBe('https://cloudpartner.azure.com/');
    expect(s.apiVersion).toBe('2017-10-31');
  });

  test('explicit base-url and api-version win over the product-ingestion defaults', () => {
    const s = readSettings(
      inputs({
        ...offer,
        api: 'product-ingestion',
        'base-url': ' https://proxy.contoso.com/pi/ ',
        'api-version': ' 2022-03-01-preview3 ',
      }),
    );
    expect(s.baseUrl.href).toBe('https://proxy.contoso.com/pi');
    expect(s.apiVersion).toBe('2022-03-01-preview3');
  });

  test('explicit base-url and api-version win over the cpp defaults', () => {
    const s = readSettings(
      inputs({
        ...offer,
        api: 'cpp',
        'publisher-id': 'contoso',
        'base-url': 'http://127.0.0.1:8080/cpp',
        'api-version': '2018-01-01',
      }),
    );
    expect(s.baseUrl.href).toBe('http://127.0.0.1:8080/cpp');
    expect(s.apiVersion).toBe('2018-01-01');
  });

  test('an unknown api names the input api', () => {
    const error = inputError(() => readSettings(inputs({ ...offer, api: 'graph' })));
    expect(error.input).toBe('api');
    expect(error.message).toBe(`Input 'api': 'graph' ${USE}`);
  });

  test('a bad api-version on product-ingestion cites its own default as the example', () => {
    const error = inputError(() =>
      readSettings(inputs({ ...offer, api: 'ingestion', 'api-version': '2022/07/01' })),
    );
    expect(error.input).toBe('api-version');
    expect(error.message).toBe(
      "Input 'api-version': '2022/07/01' is not an API version, e.g. 2022-07-01.",
    );
  });
});
