/**
 * Writing an export to the workspace (src/offer/export.ts), in a temporary folder: folders made,
 * unchanged files left untouched, no path out of the folder, a sub-folder per offer; and the
 * whole round trip through real files: read back by the `resources` input, nothing changes.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planResources } from '../../src/core/configure/diff.js';
import { exportOffer } from '../../src/core/configure/export.js';
import type { Resource } from '../../src/core/configure/types.js';
import { readResourceFiles } from '../../src/inputs/resource-files.js';
import { writeExport } from '../../src/offer/export.js';

const top = mkdtempSync(join(tmpdir(), 'export-writer-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(top, `case-${++n}`);

const files = [
  { path: 'product.json', text: '{"a":1}\n' },
  { path: 'plans/gen2/plan.json', text: '{"b":2}\n' },
];

describe('writeExport', () => {
  test('writes each file, making its folders; says what it wrote', async () => {
    const folder = fresh();
    const written = await writeExport(folder, files);
    expect(written).toEqual({
      folder,
      written: ['plans/gen2/plan.json', 'product.json'],
      unchanged: [],
      stale: [],
    });
    expect(readFileSync(join(folder, 'plans', 'gen2', 'plan.json'), 'utf8')).toBe('{"b":2}\n');
  });

  test('a file that already holds its text is not rewritten; a changed one is', async () => {
    const folder = fresh();
    await writeExport(folder, files);
    const path = join(folder, 'product.json');
    utimesSync(path, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const before = statSync(path).mtimeMs;
    const again = await writeExport(folder, [files[0]!, { ...files[1]!, text: '{"b":3}\n' }]);
    expect(again.written).toEqual(['plans/gen2/plan.json']);
    expect(again.unchanged).toEqual(['product.json']);
    expect(statSync(path).mtimeMs).toBe(before);
    // No temporary file is left behind.
    expect(readdirSync(join(folder, 'plans', 'gen2'))).toEqual(['plan.json']);
  });

  test('with several offers, each writes to its own path-safe sub-folder', async () => {
    const folder = fresh();
    const written = await writeExport(folder, files, { offerId: '../contoso vm' });
    expect(written.folder).toBe(join(folder, '%2E.%2Fcontoso%20vm'));
    expect(existsSync(join(folder, '%2E.%2Fcontoso%20vm', 'product.json'))).toBe(true);
  });

  test.each([
    ['../outside.json'],
    ['plans/../../outside.json'],
    ['/etc/outside.json'],
    ['plans//plan.json'],
    ['plans\\..\\outside.json'],
    ['C:outside.json'],
    [''],
  ])('refuses %j before writing anything', async (path) => {
    const folder = fresh();
    await expect(writeExport(folder, [...files, { path, text: 'x' }])).rejects.toThrow(
      /^Export: file '.*' is not a plain relative path: it could leave the folder; nothing more is written\.$/,
    );
    expect(existsSync(folder)).toBe(false);
  });

  test('refuses two paths a case-blind file system would write to one file', async () => {
    await expect(
      writeExport(fresh(), [...files, { path: 'Product.json', text: 'x' }]),
    ).rejects.toThrow("Export: file 'Product.json' is twice; nothing more is written.");
  });

  test('never writes through a link already in the folder', async () => {
    const outside = fresh();
    mkdirSync(outside);
    const folder = fresh();
    mkdirSync(folder);
    symlinkSync(outside, join(folder, 'plans'));
    await expect(writeExport(folder, files)).rejects.toThrow(
      "Export: file 'plans/gen2/plan.json' would be written through a link",
    );
    expect(readdirSync(outside)).toEqual([]);

    const other = fresh();
    mkdirSync(other);
    writeFileSync(join(outside, 'target.json'), 'kept');
    symlinkSync(join(outside, 'target.json'), join(other, 'product.json'));
    await expect(writeExport(other, files)).rejects.toThrow(
      "Export: file 'product.json' is a link, never written through",
    );
    expect(readFileSync(join(outside, 'target.json'), 'utf8')).toBe('kept');
  });

  test('JSON files the export does not hold are named, and left alone', async () => {
    const folder = fresh();
    mkdirSync(join(folder, 'plans', 'old'), { recursive: true });
    writeFileSync(join(folder, 'plans', 'old', 'plan.json'), '{}');
    writeFileSync(join(folder, 'README.md'), 'notes');
    const written = await writeExport(folder, files);
    expect(written.stale).toEqual(['plans/old/plan.json']);
    expect(existsSync(join(folder, 'plans', 'old', 'plan.json'))).toBe(true);
  });
});

describe('the round trip through files', () => {
  const fixture = JSON.parse(
    readFileSync(
      new URL('../../simulator/fixtures/ingestion/resource-tree.json', import.meta.url),
      'utf8',
    ),
  ) as { root: string; resources: Resource[] };
  const product = { id: fixture.root, externalId: 'contoso-vm' };
  // A SAS URI in the draft, where an export writes a placeholder.
  const SAS = 'https://contosodocs.blob.core.windows.net/legal/terms.pdf?sv=1&sig=S1gNaTuRe';
  const tree = fixture.resources.map((r) =>
    String(r.id).startsWith('property/') ? { ...r, termsOfUseUrl: SAS } : r,
  );

  test('exported, written, read as `resources`: every file is already there', async () => {
    const folder = fresh();
    const exported = exportOffer(tree, product);
    const written = await writeExport(folder, exported.files);
    expect(written.written).toHaveLength(exported.files.length);
    const masked: string[] = [];
    const read = await readResourceFiles(['**/*.json'], folder, (uri) => masked.push(uri));
    // Nothing in the files is a URI to mask: no SAS URI was written.
    expect(masked).toEqual([]);
    const changes = planResources(tree, read.resources, product);
    expect(changes).toHaveLength(exported.files.length);
    expect(changes.filter((c) => c.status !== 'already-there')).toEqual([]);
    // A second export of the same offer rewrites nothing.
    const again = await writeExport(folder, exportOffer(tree, product).files);
    expect(again.written).toEqual([]);
  });
});
