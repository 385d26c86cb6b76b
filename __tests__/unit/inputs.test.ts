import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import {
  DEFAULTS,
  MAX_OFFERS,
  parseBaseUrl,
  parseFailOn,
  readSettings,
} from '../../src/inputs/index.js';
import { inputError, inputs } from './input-helpers.js';

const base = { 'publisher-id': 'contoso', 'offer-id': 'contoso-vm', 'access-token': 't' };

describe('durations', () => {
  test.each([
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h 30m 15s', 5_415_000],
    ['1d', 86_400_000],
    ['1.5h', 5_400_000],
    ['90', 90_000],
    ['2.5', 2_500],
    [' 10M ', 600_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['', 'soon', '10x', '-5s', '30m1h', '1h1h', 'h', '1h30', '5 s s'])(
    '%j is not a duration',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  test.each([
    [250, '250ms'],
    [45_000, '45s'],
    [5_400_000, '1h30m'],
    [90_061_000, '1d1h1m1s'],
  ])('%d ms prints as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('settings', () => {
  test('the defaults of action.yml apply to empty inputs', () => {
    const s = readSettings(inputs(base));
    expect(s).toMatchObject({
      // api: auto, and a publisher-id is given.
      api: 'cloud-partner-portal',
      apiReason: 'api: auto, publisher-id given',
      publisherId: 'contoso',
      offerIds: ['contoso-vm'],
      operationId: '',
      waitUntil: 'review',
      // Below the 6 h limit of GitHub-hosted jobs, so the summary is written before it.
      timeoutMs: 5 * 3_600_000 + 50 * 60_000,
      pollIntervalMs: 60_000,
      failOnTimeout: true,
      maxFailedReads: 5,
      apiVersion: '2017-10-31',
    });
    expect(s.baseUrl.href).toBe('https://cloudpartner.azure.com/');
    expect([...s.failOn.offer].sort()).toEqual(['canceled', 'failed', 'neverPublished']);
    expect([...s.failOn.step].sort()).toEqual(['blocked', 'canceled', 'failed', 'rejected']);
  });

  test("the code's defaults are the ones action.yml declares", () => {
    const yml = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
    for (const [name, value] of Object.entries(DEFAULTS)) {
      const block = new RegExp(
        `\\n  ${name}:\\n(?:    .*\\n|      .*\\n)*?    default: (.*)\\n`,
      ).exec(yml);
      expect([name, block?.[1]?.replace(/^'(.*)'$/, '$1')]).toEqual([name, value]);
    }
  });

  test('wait-until is read in any case', () => {
    expect(readSettings(inputs({ ...base, 'wait-until': 'Completion' })).waitUntil).toBe(
      'completion',
    );
  });

  test.each([
    ['publisher-id', { api: 'cpp', 'publisher-id': '' }, /Input 'publisher-id': is required/],
    ['offer-id', { 'offer-id': ' ' }, /Input 'offer-id': is required/],
    [
      'wait-until',
      { 'wait-until': 'forever' },
      /'forever' is not one of: review, completion, none/,
    ],
    ['timeout', { timeout: 'soon' }, /'soon' is not a duration\. Use e\.g\. 45s, 30m, 2h, 1h30m/],
    ['poll-interval', { 'poll-interval': '0.5s' }, /at least 1s/],
    ['timeout', { timeout: '30d' }, /'30d' is out of range: use at least 1s and at most 7d\./],
    ['fail-on-timeout', { 'fail-on-timeout': 'maybe' }, /use true or false/],
    ['max-failed-reads', { 'max-failed-reads': '0' }, /whole number from 1 to 1000/],
    ['fail-on', { 'fail-on': 'failed, exploded' }, /'exploded' is not a status/],
    ['api-version', { 'api-version': '2017/10/31' }, /not an API version/],
    ['publisher-id', { 'publisher-id': 'contoso/offers' }, /must not contain/],
    ['offer-id', { 'offer-id': '../x' }, /must not contain/],
    ['offer-id', { 'offer-id': 'a?b' }, /must not contain/],
    ['offer-id', { 'offer-id': 'a#b' }, /must not contain/],
    ['operation-id', { 'operation-id': 'a b' }, /must not contain/],
    ['offer-id', { 'offer-id': 'a\u0007b' }, /'a\\x07b'/],
  ])('a bad %s names the input and the expected form', (input, values, message) => {
    const error = inputError(() => readSettings(inputs({ ...base, ...values })));
    expect(error.input).toBe(input);
    expect(error.message).toMatch(message);
  });

  test('fail-on takes commas or newlines, any case, either vocabulary', () => {
    const f = parseFailOn('FAILED\nBlocked , completed');
    expect(f.entries).toEqual(['FAILED', 'Blocked', 'completed']);
    expect([...f.offer].sort()).toEqual(['failed', 'succeeded']);
    expect([...f.step].sort()).toEqual(['blocked', 'complete', 'failed']);
  });
});

describe('offer-id', () => {
  const offers = (n: number, separator = ',') =>
    Array.from({ length: n }, (_, i) => `offer-${i}`).join(separator);

  test.each([1, 2, 255, 256])('%i offers are followed, in the order given', (n) => {
    const s = readSettings(inputs({ ...base, 'offer-id': offers(n, '\n') }));
    expect(s.offerIds).toHaveLength(n);
    expect(s.offerIds[n - 1]).toBe(`offer-${n - 1}`);
  });

  test('empty entries do not count', () => {
    const raw = `${offers(MAX_OFFERS)},, \n ,`;
    expect(readSettings(inputs({ ...base, 'offer-id': raw })).offerIds).toHaveLength(256);
  });

  test.each([257, 1_000, 100_000])(
    '%i offers are too many: the error says how many, the limit, and what to do',
    (n) => {
      const error = inputError(() => readSettings(inputs({ ...base, 'offer-id': offers(n) })));
      expect(error.input).toBe('offer-id');
      expect(error.message).toBe(
        `Input 'offer-id': names ${n} offers, but one step follows at most 256. Split the ` +
          'offers over several steps or jobs (e.g. a matrix), at most 256 in each.',
      );
    },
  );

  test('an id listed twice is named', () => {
    const error = inputError(() =>
      readSettings(inputs({ ...base, 'offer-id': `${offers(200)},offer-7` })),
    );
    expect(error.message).toBe(
      "Input 'offer-id': 'offer-7' is listed twice. List each offer once.",
    );
  });
});

describe('base-url', () => {
  test.each([
    'https://cloudpartner.azure.com',
    'https://proxy.contoso.com/cpp/',
    'http://127.0.0.1:8080',
    'http://localhost:1',
    'http://[::1]:9',
  ])('%s is accepted', (url) => {
    expect(parseBaseUrl(url).protocol).toMatch(/^https?:$/);
  });

  test('a trailing slash on a path prefix is dropped', () => {
    expect(parseBaseUrl('https://proxy.contoso.com/cpp/').pathname).toBe('/cpp');
  });

  test.each([
    ['http://cloudpartner.azure.com', /must use https/],
    ['http://10.0.0.5', /must use https/],
    ['ftp://127.0.0.1', /must use https/],
    ['cloudpartner.azure.com', /is not a URL/],
    ['https://user:pw@cloudpartner.azure.com', /without credentials/],
  ])('%s is refused', (url, message) => {
    expect(inputError(() => parseBaseUrl(url)).message).toMatch(message);
  });
});
