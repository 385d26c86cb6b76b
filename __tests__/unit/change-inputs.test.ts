/**
 * The change inputs (`plan-id`, `vm-image-version`, `vm-image`, `resources`, `dry-run`) and the
 * resource files: every rule an input error, naming the input, before any request.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { InputError, readSettings } from '../../src/inputs/index.js';
import { readResourceFiles } from '../../src/inputs/resource-files.js';

const GALLERY =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/1.4.0';

function read(inputs: Record<string, string>) {
  const all: Record<string, string> = {
    api: 'product-ingestion',
    'offer-id': 'contoso-vm',
    ...inputs,
  };
  return readSettings((name) => all[name] ?? '');
}

function error(inputs: Record<string, string>): string {
  try {
    read(inputs);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('no input error');
}

const VERSION = { 'plan-id': 'gen2, gen1', 'vm-image-version': '1.4.0', 'vm-image': GALLERY };

describe('the change inputs', () => {
  test('none: no change, dry-run false', () => {
    const s = read({});
    expect(s.change).toBeUndefined();
    expect(s.dryRun).toBe(false);
  });

  test('a version for two plans, with its image', () => {
    const s = read({ ...VERSION, 'dry-run': 'true' });
    expect(s.change).toEqual({
      planIds: ['gen2', 'gen1'],
      vmImageVersion: '1.4.0',
      vmImages: [{ imageType: 'x64Gen2', source: { kind: 'gallery', resourceId: GALLERY } }],
      lifecycle: [],
      resourcePatterns: [],
    });
    expect(s.dryRun).toBe(true);
  });

  test('versions to retire: deprecated by default, deleted when said; with or without a new version', () => {
    expect(
      read({ 'plan-id': 'gen2', 'vm-image-deprecate': '1.2.0\n1.1.0=deleted, 1.0.0=Deprecated' })
        .change,
    ).toMatchObject({
      planIds: ['gen2'],
      vmImageVersion: '',
      vmImages: [],
      lifecycle: [
        { version: '1.2.0', state: 'deprecated' },
        { version: '1.1.0', state: 'deleted' },
        { version: '1.0.0', state: 'deprecated' },
      ],
    });
    expect(read({ ...VERSION, 'vm-image-deprecate': '1.3.0' }).change).toMatchObject({
      vmImageVersion: '1.4.0',
      lifecycle: [{ version: '1.3.0', state: 'deprecated' }],
    });
  });

  test('resources files with several offers (each names its offer)', () => {
    expect(read({ resources: 'offers/**/*.json', 'offer-id': 'a, b' }).change).toMatchObject({
      resourcePatterns: ['offers/**/*.json'],
    });
  });

  test('resources alone, one pattern per line', () => {
    expect(read({ resources: 'listing.json\n\n  offer/*.json  ' }).change).toMatchObject({
      planIds: [],
      resourcePatterns: ['listing.json', 'offer/*.json'],
    });
  });

  test.each([
    [
      { api: 'cpp', 'publisher-id': 'contoso', ...VERSION },
      /^Input 'plan-id': .*api: product-ingestion/,
    ],
    [
      { api: 'cpp', 'publisher-id': 'contoso', resources: 'x.json' },
      /^Input 'resources': .*product-ingestion/,
    ],
    [{ 'plan-id': 'gen2' }, /^Input 'vm-image-version': is required with plan-id/],
    [{ 'plan-id': 'gen2', 'vm-image-version': '1.4.0' }, /^Input 'vm-image': is required/],
    [{ ...VERSION, 'vm-image-version': '1.4' }, /^Input 'vm-image-version': /],
    [{ ...VERSION, 'vm-image': 'x64Gen9=foo' }, /^Input 'vm-image': line 1: /],
    [{ ...VERSION, 'plan-id': 'gen2, gen2' }, /^Input 'plan-id': 'gen2' is listed twice/],
    [
      { ...VERSION, 'offer-id': 'a, b' },
      /^Input 'plan-id': changes one offer's plans, but offer-id names 2/,
    ],
    [
      { ...VERSION, 'operation-id': 'job-1' },
      /^Input 'operation-id': is set together with plan-id/,
    ],
    [{ 'dry-run': 'maybe' }, /^Input 'dry-run': 'maybe' is not a boolean/],
    [{ 'vm-image-deprecate': '1.2.0' }, /^Input 'plan-id': is required with vm-image-deprecate/],
    [
      { 'plan-id': 'gen2', 'vm-image-deprecate': '1.2' },
      /^Input 'vm-image-deprecate': '1\.2': version '1\.2' is not major\.minor\.patch/,
    ],
    [
      { 'plan-id': 'gen2', 'vm-image-deprecate': '1.2.0=gone' },
      /^Input 'vm-image-deprecate': '1\.2\.0=gone' is not a version to retire/,
    ],
    [
      { 'plan-id': 'gen2', 'vm-image-deprecate': '1.2.0, 1.2.0=deleted' },
      /^Input 'vm-image-deprecate': version 1\.2\.0 is listed twice/,
    ],
    [
      { ...VERSION, 'vm-image-deprecate': '1.4.0' },
      /^Input 'vm-image-deprecate': names 1\.4\.0, the version vm-image-version adds/,
    ],
    [
      { 'plan-id': 'gen2', 'vm-image-deprecate': '1.2.0', 'offer-id': 'a, b' },
      /^Input 'plan-id': changes one offer's plans/,
    ],
  ])('%j', (inputs, message) => {
    expect(error(inputs as Record<string, string>)).toMatch(message);
  });

  test('a SAS URI never shows in an input error', () => {
    const sas = 'http://acct.blob.core.windows.net/vhds/a.vhd?sv=1&sig=S3cr3t';
    const message = error({ ...VERSION, 'vm-image': sas });
    expect(message).not.toContain('S3cr3t');
    expect(message).not.toContain('sig=');
  });
});

describe('resource files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'resource-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const LISTING = {
    $schema: 'https://schema.mp.microsoft.com/schema/listing/2022-07-01',
    title: 'Contoso',
  };
  writeFileSync(join(dir, 'listing.json'), JSON.stringify(LISTING));
  mkdirSync(join(dir, 'offer'));
  writeFileSync(
    join(dir, 'offer', 'b.json'),
    JSON.stringify({
      $schema: 'https://schema.mp.microsoft.com/schema/configure/2022-07-01',
      resources: [LISTING, { ...LISTING, title: 'Two' }],
    }),
  );
  writeFileSync(join(dir, 'offer', 'a.json'), JSON.stringify([LISTING]));

  test('a file, and a glob in sorted order; a configure body gives its resources', async () => {
    const found = await readResourceFiles(['listing.json', 'offer/*.json'], dir, () => {});
    expect(found.notices).toEqual([]);
    expect(found.resources.map((f) => [f.file, f.index])).toEqual([
      ['listing.json', 0],
      [join('offer', 'a.json'), 0],
      [join('offer', 'b.json'), 1],
      [join('offer', 'b.json'), 2],
    ]);
  });

  test.each([
    ['{\n  "$schema": "x",\n  "title": oops\n}', /is not JSON: .*at line 3, column/],
    ['{"title": "no schema"}', /has no \$schema/],
    ['{"$schema": "https://example.com/schema/listing"}', /is not a product-ingestion schema/],
    [
      '{"$schema": "https://schema.mp.microsoft.com/schema/submission/2022-03-01-preview2", "target": {"targetType": "preview"}}',
      /is a submission: publishing is what publish: true/,
    ],
    ['"text"', /holds a string: expected a resource/],
    ['[]', /holds no resource/],
  ])('%s', async (text, message) => {
    writeFileSync(join(dir, 'bad.json'), text);
    await expect(readResourceFiles(['bad.json'], dir, () => {})).rejects.toThrow(message);
    await expect(readResourceFiles(['bad.json'], dir, () => {})).rejects.toThrow(
      /^Input 'resources': bad\.json/,
    );
  });

  test('a pattern that names no file is an error naming it', async () => {
    await expect(readResourceFiles(['nothing/*.json'], dir, () => {})).rejects.toThrow(
      /^Input 'resources': 'nothing\/\*\.json' names no file/,
    );
  });
});
