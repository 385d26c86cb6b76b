/**
 * The inputs of the offer as code: `export` (reads only), `comment`, `fail-on-drift`, and resources
 * files routed to the offers they name, all checked before any request.
 */
import { describe, expect, test } from '@jest/globals';
import type { FileResource } from '../../src/core/configure/types.js';
import { readSettings } from '../../src/inputs/index.js';
import { resourcesByOffer } from '../../src/inputs/resource-files.js';
import { inputError, inputs } from './input-helpers.js';

const base = { 'offer-id': 'contoso-vm', 'access-token': 't' };
const read = (values: Record<string, string>) => readSettings(inputs({ ...base, ...values }));
const error = (values: Record<string, string>) => inputError(() => read(values)).message;

describe('export', () => {
  test('a folder and a target (draft by default); nothing else asked', () => {
    expect(read({ export: 'offer' }).export).toEqual({ folder: 'offer', target: 'draft' });
    expect(read({ export: 'offer', 'export-target': 'Live' }).export.target).toBe('live');
    expect(read({}).export).toEqual({ folder: '', target: 'draft' });
  });

  test.each([
    ['publish', 'true'],
    ['go-live', 'true'],
    ['resources', 'offer/**/*.json'],
    ['vm-image-deprecate', '1.2.0'],
  ])('not with %s: an export only reads', (name, value) => {
    expect(error({ export: 'offer', [name]: value })).toMatch(
      new RegExp(`^Input 'export': is set together with ${name}: an export only reads`),
    );
  });

  test('product-ingestion only; a target it knows', () => {
    expect(error({ export: 'offer', 'publisher-id': 'contoso' })).toMatch(
      /^Input 'export': exports an offer through the product-ingestion API only/,
    );
    expect(error({ export: 'offer', 'export-target': 'staging' })).toMatch(
      /^Input 'export-target'/,
    );
  });
});

describe('comment and fail-on-drift', () => {
  test('booleans, false by default', () => {
    expect(read({}).comment).toBe(false);
    expect(read({ comment: 'true' }).comment).toBe(true);
    expect(read({ resources: 'offer/*.json', 'fail-on-drift': 'true' }).failOnDrift).toBe(true);
  });

  test('fail-on-drift needs resources', () => {
    expect(error({ 'fail-on-drift': 'true' })).toMatch(/^Input 'fail-on-drift': needs resources/);
  });
});

const res = (file: string, product: unknown, schema = 'listing'): FileResource => ({
  file,
  index: 0,
  resource: {
    $schema: `https://schema.mp.microsoft.com/schema/${schema}/2022-07-01`,
    ...(schema === 'product' ? { identity: product } : { product }),
  },
});

describe('resources files, routed to the offers they name', () => {
  test('each to the offer its product reference (or a product identity) names', () => {
    const a = res('a/listing.json', { externalId: 'contoso-vm' });
    const b = res('b/listing.json', { externalId: 'contoso-app' });
    const p = res('b/product.json', { externalId: 'contoso-app' }, 'product');
    const routed = resourcesByOffer([a, b, p], ['contoso-vm', 'contoso-app']);
    expect(routed.get('contoso-vm')).toEqual([a]);
    expect(routed.get('contoso-app')).toEqual([b, p]);
  });

  test('one offer: a resource naming none, or a durable id, is that offer’s', () => {
    const none = res('listing.json', undefined);
    const durable = res('plan.json', 'product/e6b2b49b');
    expect(resourcesByOffer([none, durable], ['contoso-vm']).get('contoso-vm')).toEqual([
      none,
      durable,
    ]);
  });

  test('a file naming an offer not in offer-id is an input error naming it', () => {
    const stray = res('x/listing.json', { externalId: 'fabrikam-sql' });
    expect(() => resourcesByOffer([stray], ['contoso-vm'])).toThrow(
      "Input 'resources': x/listing.json (fabrikam-sql) names an offer not in offer-id (contoso-vm).",
    );
  });

  test('with several offers, a resource naming none is an input error', () => {
    expect(() =>
      resourcesByOffer([res('listing.json', undefined)], ['contoso-vm', 'contoso-app']),
    ).toThrow(/with several offers, each resource names its offer .*listing\.json names none/);
  });
});
