/**
 * The `resources` files beyond their shape (change-inputs.test.ts): every SAS URI in them handed
 * over to be masked before anything about the file can be reported, and the retired schema host
 * read as the current one, said once for the whole step.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { readResourceFiles } from '../../src/inputs/resource-files.js';

const dir = mkdtempSync(join(tmpdir(), 'resource-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes `text` to a new file in `dir`; its name. */
function file(text: string, name = `f${++n}.json`): string {
  writeFileSync(join(dir, name), text);
  return name;
}

/** Reads the files; the URIs handed to `mask`, in order, and the result or the error. */
async function read(patterns: string[]) {
  const masked: string[] = [];
  try {
    const files = await readResourceFiles(patterns, dir, (uri) => masked.push(uri));
    return { masked, files, error: undefined };
  } catch (error) {
    return { masked, files: undefined, error: error as Error };
  }
}

const TECH = 'https://schema.mp.microsoft.com/schema/virtual-machine-plan-technical-configuration/';
const OS_DISK = 'https://acct.blob.core.windows.net/vhds/os.vhd?sv=2024-01-01&sr=b&sig=OsS1gn%3D';
const DATA_DISK = 'https://acct.blob.core.windows.net/vhds/data.vhd?sv=2024-01-01&sig=DataS1gn';
const OTHER = 'https://downloads.contoso.com/terms.pdf?token=T0ken';

describe('SAS URIs in the files are handed over to be masked', () => {
  const techConfig = {
    $schema: `${TECH}2022-03-01-preview5`,
    vmImageVersions: [
      {
        versionNumber: '1.4.0',
        vmImages: [
          {
            imageType: 'x64Gen2',
            source: {
              sourceType: 'sasUri',
              osDisk: { uri: OS_DISK },
              dataDisks: [{ lunNumber: 0, uri: DATA_DISK }],
            },
          },
        ],
      },
    ],
  };

  test("a sasUri source's osDisk and dataDisks, and any other URI with a query, once each", async () => {
    const name = file(JSON.stringify([techConfig, { ...techConfig, note: `see ${OTHER}` }]));
    const { masked, files, error } = await read([name]);
    expect(error).toBeUndefined();
    expect(masked).toEqual([OS_DISK, DATA_DISK, OTHER]);
    expect(files?.resources).toHaveLength(2);
  });

  test('a file that does not parse is masked all the same, and its error quotes none', async () => {
    const name = file(`{\n  "osDisk": {"uri": "${OS_DISK}"},\n  "oops"\n}`);
    const { masked, error } = await read([name]);
    expect(error?.message).toMatch(
      /^Input 'resources': f\d+\.json is not JSON: colon expected at line 4/,
    );
    expect(masked).toEqual([OS_DISK]);
    expect(error?.message).not.toContain('sig=');
  });

  test('a URI the JSON escapes is masked as written and as it decodes', async () => {
    const escaped = OS_DISK.replace(/\//g, '\\/').replace(/&/g, '\\u0026');
    const name = file(`{"$schema": "${TECH}2022-03-01-preview5", "osDisk": {"uri": "${escaped}"}}`);
    const { masked, error } = await read([name]);
    expect(error).toBeUndefined();
    // As written, the scheme's escaped slashes hide it from the text pass; decoded, it is whole.
    expect(masked).toContain(OS_DISK);
  });

  test('a later file that fails a check: the earlier files were masked before', async () => {
    const good = file(JSON.stringify(techConfig));
    const bad = file(JSON.stringify({ $schema: 'https://example.com/x', uri: OTHER }));
    const { masked, error } = await read([good, bad]);
    expect(error?.message).toMatch(/is not a product-ingestion schema/);
    expect(masked).toEqual([OS_DISK, DATA_DISK, OTHER]);
  });
});

describe('the retired schema host is read as the current one', () => {
  const RETIRED = 'https://product-ingestion.azureedge.net/schema/';
  const CURRENT = 'https://schema.mp.microsoft.com/schema/';

  test('each resource is read with the current host and the same path; one notice names the files', async () => {
    mkdirSync(join(dir, 'retired'));
    writeFileSync(
      join(dir, 'retired', 'a.json'),
      JSON.stringify({ $schema: `${RETIRED}listing/2022-03-01-preview3`, title: 'A' }),
    );
    // A configure body on the retired host, its resources on the current one: named too.
    writeFileSync(
      join(dir, 'retired', 'b.json'),
      JSON.stringify({
        $schema: `${RETIRED}configure/2022-07-01`,
        resources: [{ $schema: `${CURRENT}listing/2022-07-01` }],
      }),
    );
    writeFileSync(
      join(dir, 'retired', 'c.json'),
      JSON.stringify({ $schema: `${CURRENT}listing/2022-07-01` }),
    );
    const { files, error } = await read(['retired/*.json']);
    expect(error).toBeUndefined();
    expect(files!.resources.map((r) => r.resource.$schema)).toEqual([
      `${CURRENT}listing/2022-03-01-preview3`,
      `${CURRENT}listing/2022-07-01`,
      `${CURRENT}listing/2022-07-01`,
    ]);
    expect(files!.resources[0]!.resource).toEqual({
      $schema: `${CURRENT}listing/2022-03-01-preview3`,
      title: 'A',
    });
    expect(files!.notices).toEqual([
      'resources: 2 files name the retired schema host product-ingestion.azureedge.net ' +
        `(${join('retired', 'a.json')}, ${join('retired', 'b.json')}); read as ` +
        'https://schema.mp.microsoft.com, which is what is sent.',
    ]);
  });

  test('one file, on http and in any case, is one file', async () => {
    const name = file(
      JSON.stringify({
        $schema: 'HTTP://Product-Ingestion.AzureEdge.net/schema/listing/2022-07-01',
      }),
    );
    const { files } = await read([name]);
    expect(files!.resources[0]!.resource.$schema).toBe(`${CURRENT}listing/2022-07-01`);
    expect(files!.notices).toEqual([
      `resources: 1 file names the retired schema host product-ingestion.azureedge.net (${name}); ` +
        'read as https://schema.mp.microsoft.com, which is what is sent.',
    ]);
  });

  test('past ten files, the rest are counted', async () => {
    mkdirSync(join(dir, 'many'));
    for (let i = 10; i < 23; i++) {
      writeFileSync(
        join(dir, 'many', `${i}.json`),
        JSON.stringify({ $schema: `${RETIRED}listing/2022-07-01` }),
      );
    }
    const { files } = await read(['many/*.json']);
    expect(files!.notices).toHaveLength(1);
    expect(files!.notices[0]).toMatch(/^resources: 13 files name .*19\.json and 3 more\); read as/);
  });

  test('still a submission on the retired host is refused as one', async () => {
    const name = file(
      JSON.stringify({ $schema: `${RETIRED}submission/2022-03-01-preview2`, product: 'p' }),
    );
    const { error } = await read([name]);
    expect(error?.message).toMatch(/is a submission: publishing is what publish: true/);
  });

  test('the host named elsewhere than at the start is not a product-ingestion schema', async () => {
    const name = file(
      JSON.stringify({ $schema: `https://example.com/product-ingestion.azureedge.net/schema/x` }),
    );
    const { error } = await read([name]);
    expect(error?.message).toMatch(/is not a product-ingestion schema/);
  });
});
