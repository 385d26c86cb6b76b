import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { VmImageSpec } from '../../src/core/configure/types.js';
import {
  describeSource,
  fromImageSource,
  parseVersion,
  parseVmImages,
  sasUris,
  toImageSource,
} from '../../src/core/configure/vm-image.js';
import { propertyRuns } from './helpers.js';

const SUB = '0a1b2c3d-0000-4000-8000-000000000001';
const GALLERY = `/subscriptions/${SUB}/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/1.4.0`;
const SECRET = 'SeCrEtSiGnAtUrE';
const SAS = `https://contosoacct.blob.core.windows.net/vhds/contoso-vm-1.4.0.vhd?sv=2022-11-02&sr=b&sp=r&sig=${SECRET}%3D`;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function images(raw: string): VmImageSpec[] {
  const parsed = parseVmImages(raw);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.images;
}

describe('parseVmImages', () => {
  test.each([
    ['a gallery id alone is x64Gen2', GALLERY, [['x64Gen2', 'gallery']]],
    ['a SAS URI alone is x64Gen2', SAS, [['x64Gen2', 'sas']]],
    ['imageType= picks the type', `x64Gen1=${GALLERY}`, [['x64Gen1', 'gallery']]],
    ['the type is read without case', `ARM64GEN2 = ${SAS}`, [['arm64Gen2', 'sas']]],
    [
      'one per line; blank lines, CRLF and blanks around are fine',
      `\r\n  x64Gen2=${GALLERY}  \r\n\r\nx64Gen1=${SAS}\n`,
      [
        ['x64Gen2', 'gallery'],
        ['x64Gen1', 'sas'],
      ],
    ],
    [
      "the provider's segment names are read without case",
      GALLERY.replace('Microsoft.Compute', 'microsoft.compute').replace(
        'resourceGroups',
        'resourcegroups',
      ),
      [['x64Gen2', 'gallery']],
    ],
  ])('%s', (_name, raw, expected) => {
    expect(images(raw).map((i) => [i.imageType, i.source.kind])).toEqual(expected);
  });

  test('a gallery source keeps the id as written; a SAS source the URI and what may be shown', () => {
    expect(images(`x64Gen1=${GALLERY}\n${SAS}`)).toEqual([
      { imageType: 'x64Gen1', source: { kind: 'gallery', resourceId: GALLERY } },
      {
        imageType: 'x64Gen2',
        source: { kind: 'sas', uri: SAS, shown: 'contosoacct/vhds/contoso-vm-1.4.0.vhd' },
      },
    ]);
  });

  test.each([
    ['', /^vm-image is empty: expected \[imageType=\]source/],
    ['\n  \n', /^vm-image is empty/],
    [`x64Gen3=${GALLERY}`, /^line 1: 'x64Gen3' is not an image type: expected/],
    [`\n\nfoo`, /^line 3: expected \[imageType=\]source: imageType x64Gen1, x64Gen2/],
    ['x64Gen1=', /^line 1: no source after 'x64Gen1='/],
    [`${GALLERY}\nx64Gen2=${SAS}`, /^lines 1 and 2 are both x64Gen2: give one image per/],
    [
      GALLERY.replace('/versions/1.4.0', ''),
      /^line 1: '\/subscriptions\/.*\/images\/contoso-vm' is not an Azure Compute Gallery image version id: expected \/subscriptions\/\{subscription id\}/,
    ],
    [GALLERY.replace(SUB, 'my-subscription'), /is not an Azure Compute Gallery image version id/],
    [
      SAS.replace('https:', 'http:'),
      /^line 1: the SAS URI of contosoacct\/vhds\/contoso-vm-1.4.0.vhd must use https$/,
    ],
    [
      SAS.slice(0, SAS.indexOf('?')),
      /line 1: the SAS URI of contosoacct\/vhds\/contoso-vm-1.4.0.vhd has no query/,
    ],
    [`${SAS.slice(0, SAS.indexOf('?'))}?`, /has no query/],
    [`https://contoso.example.com/vhds/a.vhd?sig=${SECRET}`, /line 1: the URI is not a blob URL/],
    [`https://contosoacct.blob.core.windows.net/vhds?sig=${SECRET}`, /not a blob URL/],
  ])('%j is refused: %s', (raw, message) => {
    const parsed = parseVmImages(raw);
    expect(parsed).toEqual({ error: expect.stringMatching(message) });
  });

  // Every way a line with a SAS URI can be wrong: the message never holds its query.
  test.each([
    `x64Gen3=${SAS}`,
    `${SAS}\n${SAS}`,
    SAS.replace('https:', 'http:'),
    SAS.replace('.blob.', '.files.'),
    SAS.replace('/contoso-vm-1.4.0.vhd', ''),
    `x64Gen2=sv=2022-11-02&sig=${SECRET}`,
    `sv=2022-11-02&sig=${SECRET}`,
    `the image: ${SAS}`,
    `/subscriptions/x?sig=${SECRET}`,
    `x64Gen2?sig=${SECRET}=${GALLERY}`,
    `ftp://contosoacct.blob.core.windows.net/vhds/a.vhd?sig=${SECRET}`,
  ])('no message shows a SAS query: %#', (raw) => {
    const parsed = parseVmImages(raw);
    expect('error' in parsed).toBe(true);
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
    expect(JSON.stringify(parsed)).not.toContain('sv=2022');
  });

  test('property: whatever surrounds a SAS URI, a message never holds its query', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('', ' ', '=', '/', '?', 'x64Gen1=', 'http', ':', '\n', 'a')),
        fc.array(fc.constantFrom('', ' ', '=', '/', '?', '&', '#', '\n', 'a', SAS)),
        (before, after) => {
          const parsed = parseVmImages(`${before.join('')}${SAS}${after.join('')}`);
          if ('error' in parsed) expect(parsed.error).not.toContain(SECRET);
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('parseVersion', () => {
  test.each([
    ['1.4.0', '1.4.0'],
    [' 10.20.300 ', '10.20.300'],
    ['0.0.0', '0.0.0'],
  ])('%j is %j', (raw, version) => {
    expect(parseVersion(raw)).toBe(version);
  });

  test.each(['1.4', '1.4.0.1', 'v1.4.0', '1.4.0-beta', '', '1.a.0', '1..0'])(
    '%j is refused',
    (raw) => {
      expect(parseVersion(raw)).toEqual({
        error: expect.stringContaining('is not major.minor.patch (digits only, e.g. 1.4.0)'),
      });
    },
  );

  test('a refusal is one bounded line', () => {
    const refused = parseVersion(`1.4\n::error::x${'9'.repeat(500)}`);
    expect(typeof refused === 'object' && refused.error).toMatch(
      /^vm-image-version '1.4 ::error::x9+…' is not/,
    );
    expect(JSON.stringify(refused).length).toBeLessThan(200);
  });
});

describe('describeSource', () => {
  test.each([
    [{ kind: 'gallery', resourceId: GALLERY }, 'gallery contoso/contoso-vm 1.4.0'],
    [
      { kind: 'gallery', resourceId: GALLERY.toLowerCase().replace('contoso-vm', 'Contoso-VM') },
      'gallery contoso/Contoso-VM 1.4.0',
    ],
    [
      { kind: 'sas', uri: SAS, shown: 'contosoacct/vhds/contoso-vm-1.4.0.vhd' },
      'VHD contosoacct/vhds/contoso-vm-1.4.0.vhd',
    ],
    [{ kind: 'gallery', resourceId: '/not/a/gallery' }, 'gallery image /not/a/gallery'],
  ] as const)('%j is %j', (source, text) => {
    expect(describeSource(source)).toBe(text);
  });
});

describe('toImageSource', () => {
  test('a gallery image: sharedImageGallery with the tenant and the id as written', () => {
    const [spec] = images(GALLERY);
    expect(toImageSource(spec!, TENANT)).toEqual({
      sourceType: 'sharedImageGallery',
      sharedImage: { tenantId: TENANT, resourceId: GALLERY },
    });
  });

  test('a VHD: sasUri with the whole URI as its OS disk and no data disks', () => {
    const [spec] = images(SAS);
    expect(toImageSource(spec!, TENANT)).toEqual({ sourceType: 'sasUri', osDisk: { uri: SAS } });
  });

  test('fromImageSource reads both back; other shapes are not ours', () => {
    const [gallery, sas] = images(`x64Gen1=${GALLERY}\n${SAS}`);
    expect(fromImageSource(toImageSource(gallery!, TENANT))).toEqual(gallery!.source);
    expect(fromImageSource(toImageSource(sas!, TENANT))).toEqual(sas!.source);
    expect(fromImageSource({ sourceType: 'other' })).toBeUndefined();
    expect(fromImageSource('sasUri')).toBeUndefined();
  });
});

describe('sasUris', () => {
  test('every http(s) URI with a query, each once, even when the value does not parse', () => {
    const other = 'https://other.blob.core.windows.net/c/b.vhd?sig=abc';
    const raw = `x64Gen2=${SAS}\nnot valid ${other} trailing\n${SAS}\n${GALLERY}\nhttp://h/p?q=1`;
    expect(sasUris(raw)).toEqual([SAS, other, 'http://h/p?q=1']);
  });

  test.each([GALLERY, '', 'https://contosoacct.blob.core.windows.net/vhds/a.vhd', 'sig=abc'])(
    'none in %j',
    (raw) => {
      expect(sasUris(raw)).toEqual([]);
    },
  );
});
