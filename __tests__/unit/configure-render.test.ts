import { describe, expect, test } from '@jest/globals';
import {
  MAX_ROWS,
  changeLines,
  configuredIds,
  renderChanges,
} from '../../src/core/configure/render.js';
import type { ChangePlan, PlannedChange, VmImageSpec } from '../../src/core/configure/types.js';

const P = '11111111-2222-3333-4444-555555555555';
const SUB = '0a1b2c3d-0000-4000-8000-000000000001';
const SECRET = 'SeCrEtSiGnAtUrE';
const SAS = `https://contosoacct.blob.core.windows.net/vhds/contoso-vm-1.4.0.vhd?sv=2022-11-02&sig=${SECRET}`;
const gallery: VmImageSpec = {
  imageType: 'x64Gen2',
  source: {
    kind: 'gallery',
    resourceId: `/subscriptions/${SUB}/resourceGroups/images/providers/Microsoft.Compute/galleries/contoso/images/contoso-vm/versions/1.4.0`,
  },
};
const vhd: VmImageSpec = {
  imageType: 'x64Gen1',
  source: { kind: 'sas', uri: SAS, shown: 'contosoacct/vhds/contoso-vm-1.4.0.vhd' },
};

const tcId = (plan: string) => `virtual-machine-plan-technical-configuration/${P}/${plan}`;
const added: PlannedChange = {
  kind: 'vm-image-version',
  planId: 'gen2',
  resourceId: tcId('g2'),
  version: '1.4.0',
  images: [gallery, vhd],
  status: 'add',
  resource: { id: tcId('g2') },
};
const there: PlannedChange = {
  kind: 'vm-image-version',
  planId: 'gen1',
  resourceId: tcId('g1'),
  version: '1.4.0',
  images: [vhd],
  status: 'already-there',
};
const listingChange: PlannedChange = {
  kind: 'resource',
  file: 'listing.json',
  index: 0,
  resourceId: `listing/${P}/public/main/default/en-us`,
  label: "listing 'Contoso VM'",
  status: 'change',
  fields: [
    { path: 'title', before: '"Contoso VM"', after: '"Contoso VM Pro"' },
    { path: 'summary', before: '"A VM"' },
    { path: 'contact.email', after: '"a@contoso.com"' },
  ],
  fieldsLeftOut: 2,
  resource: {},
};
const newPlan: PlannedChange = {
  kind: 'resource',
  file: 'offer.json',
  index: 1,
  resourceId: '',
  label: "plan 'gen3'",
  status: 'new',
  fields: [{ path: 'alias', after: '"Gen 3"' }],
  resource: {},
};
const samePlan: PlannedChange = {
  kind: 'resource',
  file: 'offer.json',
  index: 0,
  resourceId: `plan/${P}/g1`,
  label: "plan 'gen1'",
  status: 'already-there',
  fields: [],
};
const plan: ChangePlan = {
  changes: [added, there, listingChange, samePlan, newPlan],
  dryRun: false,
};

describe('changeLines', () => {
  test('one line per change, one per field of a changed resource, in the user’s terms', () => {
    expect(changeLines(plan)).toEqual([
      '+ plan gen2: version 1.4.0: x64Gen2 from gallery contoso/contoso-vm 1.4.0, x64Gen1 from VHD contosoacct/vhds/contoso-vm-1.4.0.vhd',
      '= plan gen1: version 1.4.0 already there',
      `~ file listing.json: listing 'Contoso VM': title "Contoso VM" → "Contoso VM Pro"`,
      `~ file listing.json: listing 'Contoso VM': summary "A VM" → (removed)`,
      `~ file listing.json: listing 'Contoso VM': contact.email (none) → "a@contoso.com"`,
      `~ file listing.json: listing 'Contoso VM': and 2 more fields`,
      "= file offer.json (resource 1): plan 'gen1' already there",
      "+ file offer.json (resource 2): new plan 'gen3'",
    ]);
  });

  test('user and service text is flattened: no line break gets into a line', () => {
    const hostile: ChangePlan = {
      dryRun: false,
      changes: [
        { ...added, planId: 'gen2\n::error::boom' },
        {
          ...listingChange,
          file: 'a\r\nb.json',
          label: 'listing \u2028x',
          fields: [{ path: 'p\nq', before: '"a\nb"', after: `"${SAS}"` }],
          fieldsLeftOut: 0,
        },
      ],
    };
    const lines = changeLines(hostile);
    expect(lines).toEqual([
      expect.stringMatching(/^\+ plan gen2 ::error::boom: version 1\.4\.0: /),
      `~ file a b.json: listing x: p q "a b" → "https://contosoacct.blob.core.windows.net/vhds/contoso-vm-1.4.0.vhd?…"`,
    ]);
    for (const line of lines) expect(line).not.toMatch(/[\r\n\u2028\u2029]/);
  });

  test('a SAS query never reaches a line', () => {
    expect(changeLines({ dryRun: false, changes: [added, there] }).join('\n')).not.toContain(
      SECRET,
    );
  });
});

describe('renderChanges', () => {
  test('a heading, then a row per change: marker, plan or file, what changes', () => {
    const html = renderChanges(plan);
    expect(html).toMatch(/^<h3>Changes<\/h3>\n<table>/);
    expect(html).toContain(
      '<tr><td><code>+</code></td><td>plan <code>gen2</code></td><td>version 1.4.0: x64Gen2 from gallery contoso/contoso-vm 1.4.0, x64Gen1 from VHD contosoacct/vhds/contoso-vm-1.4.0.vhd</td></tr>',
    );
    expect(html).toContain(
      '<tr><td><code>=</code></td><td>plan <code>gen1</code></td><td>version 1.4.0 already there</td></tr>',
    );
    expect(html).toContain(
      '<tr><td><code>~</code></td><td>file <code>listing.json</code></td><td>listing &#39;Contoso VM&#39;' +
        '<br><code>title</code>: <code>&quot;Contoso VM&quot;</code> → <code>&quot;Contoso VM Pro&quot;</code>' +
        '<br><code>summary</code>: <code>&quot;A VM&quot;</code> → <em>(removed)</em>' +
        '<br><code>contact.email</code>: <em>(none)</em> → <code>&quot;a@contoso.com&quot;</code>' +
        '<br>and 2 more fields</td></tr>',
    );
    expect(html).toContain(
      '<td>file <code>offer.json</code> (resource 2)</td><td>new plan &#39;gen3&#39;<br><code>alias</code>: <code>&quot;Gen 3&quot;</code></td>',
    );
    expect(html).not.toContain(SECRET);
  });

  test('a dry run says nothing was sent', () => {
    expect(renderChanges({ ...plan, dryRun: true })).toMatch(
      /^<h3>Changes \(dry run: nothing was sent\)<\/h3>/,
    );
  });

  test('everything already there is said so; no changes at all too', () => {
    expect(renderChanges({ dryRun: false, changes: [there, samePlan] })).toContain(
      'Everything asked for is already in the draft',
    );
    expect(renderChanges({ dryRun: false, changes: [] })).toBe(
      '<h3>Changes</h3>\n<p><em>No changes were asked for.</em></p>',
    );
  });

  test('every value is escaped', () => {
    const html = renderChanges({
      dryRun: false,
      changes: [
        { ...added, planId: '<img src=x onerror=alert(1)>', version: '1.4.0|`x`' },
        {
          ...listingChange,
          file: '<b>x</b>.json',
          label: '<script>alert(1)</script>',
          fields: [{ path: '<i>', before: '"<a href=x>"', after: '"|`"' }],
        },
      ],
    });
    expect(html).not.toMatch(/<(img|script|b|i|a)[\s>]/);
    expect(html).toContain('plan <code>&lt;img src=x onerror=alert(1)&gt;</code>');
    expect(html).toContain('version 1.4.0&#124;&#96;x&#96;');
    expect(html).toContain('file <code>&lt;b&gt;x&lt;/b&gt;.json</code>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<code>&quot;&#124;&#96;&quot;</code>');
  });

  test(`at most ${MAX_ROWS} rows, then how many more`, () => {
    const many = Array.from({ length: MAX_ROWS + 7 }, (_, i) => ({ ...samePlan, index: i }));
    const html = renderChanges({ dryRun: false, changes: many });
    expect(html.match(/<tr><td>/g)).toHaveLength(MAX_ROWS);
    expect(html).toContain("<p><em>and 7 more (the step's log lists them all)</em></p>");
    expect(changeLines({ dryRun: false, changes: many })).toHaveLength(MAX_ROWS + 7);
  });
});

describe('configuredIds', () => {
  test('the durable ids added, new or changed, once each, in plan order', () => {
    expect(
      configuredIds({ dryRun: true, changes: [...plan.changes, { ...listingChange, index: 3 }] }),
    ).toEqual([tcId('g2'), `listing/${P}/public/main/default/en-us`]);
    expect(configuredIds({ dryRun: false, changes: [there, samePlan] })).toEqual([]);
  });
});
