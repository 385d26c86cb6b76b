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

describe("timeout and the runner's limit", () => {
  const hosted = { RUNNER_ENVIRONMENT: 'github-hosted' };
  const HOSTED_MAX = 5 * 3_600_000 + 50 * 60_000;

  test.each(['5h50m', '5h', '21000'])('%s is taken on a GitHub-hosted runner', (timeout) => {
    expect(readSettings(inputs({ ...base, timeout }), hosted).timeoutMs).toBeLessThanOrEqual(
      HOSTED_MAX,
    );
  });

  test.each(['5h51m', '6h', '1d', '30d', '21001'])(
    '%s on a GitHub-hosted runner: the 6 h job limit, and the way to wait for days',
    (timeout) => {
      const error = inputError(() => readSettings(inputs({ ...base, timeout }), hosted));
      expect(error.input).toBe('timeout');
      expect(error.message).toBe(
        `Input 'timeout': '${timeout}' is longer than a GitHub-hosted job may run: GitHub stops ` +
          'it at 6 h, before this step could write its summary and outputs. Use at most 5h50m ' +
          'here. To wait for days (certification), start the publish with wait-until: none and ' +
          'track: deployment, and check the offer on a schedule: ' +
          'https://github.com/contoso/azure-marketplace-release/blob/main/docs/tracking.md#the-multi-day-pattern. ' +
          'A self-hosted runner allows up to 7d.',
      );
    },
  );

  test.each([
    ['self-hosted', { RUNNER_ENVIRONMENT: 'self-hosted' }],
    ['unset', {}],
    ['not given', undefined],
  ])('%s: up to 7d', (_name, env) => {
    expect(readSettings(inputs({ ...base, timeout: '7d' }), env).timeoutMs).toBe(7 * 86_400_000);
    expect(inputError(() => readSettings(inputs({ ...base, timeout: '8d' }), env)).message).toMatch(
      /at most 7d\./,
    );
  });

  test('what is not a duration is still said so on a hosted runner', () => {
    expect(
      inputError(() => readSettings(inputs({ ...base, timeout: 'soon' }), hosted)).message,
    ).toMatch(/'soon' is not a duration/);
  });
});

describe('preview-id', () => {
  const goLive = { ...base, 'go-live': 'true' };
  const ID = 'submission/8c1e5b3a-2f4d-4e6a-9b7c-0d1e2f3a4b5c/1152921515689848683';

  test('empty: none pinned', () => {
    expect(readSettings(inputs(goLive)).previewId).toBe('');
    expect(readSettings(inputs(base)).previewId).toBe('');
  });

  test('with go-live: the id as given, slashes included, trimmed', () => {
    expect(readSettings(inputs({ ...goLive, 'preview-id': ` ${ID} ` })).previewId).toBe(ID);
    expect(readSettings(inputs({ ...goLive, 'preview-id': 'op-7' })).previewId).toBe('op-7');
  });

  test('200 characters are taken', () => {
    const id = 'x'.repeat(200);
    expect(readSettings(inputs({ ...goLive, 'preview-id': id })).previewId).toBe(id);
  });

  test.each([
    [
      'without go-live',
      { ...base, 'preview-id': ID },
      "Input 'preview-id': pins the preview a go-live sends, but go-live is not true. Set " +
        'go-live: true, or leave preview-id empty.',
    ],
    [
      'with publish',
      { ...goLive, publish: 'true', 'preview-id': ID },
      "Input 'preview-id': is set together with publish: true. A publish starts a new preview, " +
        'and preview-id pins the one a person reviewed: go live with it in a step without ' +
        'publish: true, or leave preview-id empty.',
    ],
    [
      'with two offers',
      { ...goLive, 'offer-id': 'a, b', 'preview-id': ID },
      "Input 'preview-id': pins one offer's preview, but offer-id names 2. Give one offer-id, " +
        'or leave preview-id empty.',
    ],
  ])('%s', (_name, values, message) => {
    const error = inputError(() => readSettings(inputs(values)));
    expect(error.input).toBe('preview-id');
    expect(error.message).toBe(message);
  });

  test.each([
    ['a line break', 'op-7\n::error::x', `'op-7\\x0a::error::x' (15 characters)`],
    ['a control character', 'op\u00077', `'op\\x077' (4 characters)`],
    ['a C1 control character', 'op\u009b7', `'op\\x9b7' (4 characters)`],
    ['a line separator', 'op\u20287', `'op\\u20287' (4 characters)`],
    ['201 characters', 'x'.repeat(201), `'${'x'.repeat(77)}...' (201 characters)`],
  ])('%s is no preview id, shown printable', (_name, id, shown) => {
    const error = inputError(() => readSettings(inputs({ ...goLive, 'preview-id': id })));
    expect(error.input).toBe('preview-id');
    expect(error.message).toBe(
      `Input 'preview-id': ${shown} is not a preview id: one line of at most 200 characters, ` +
        "no control characters. Use the preview submission's id " +
        "(submission/<product-guid>/<number>) on product-ingestion, or the publish operation's " +
        'id on the Cloud Partner Portal.',
    );
  });
});
