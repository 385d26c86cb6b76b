/**
 * The plan as a pull request comment: what each offer would change, push and start, "No changes"
 * when nothing, every outside text escaped on one line, the whole bounded under GitHub's limit.
 */
import { describe, expect, test } from '@jest/globals';
import { MAX_COMMENT_CHARS, planCommentMarker, renderPlanComment } from '../../src/core/comment.js';
import type { ChangePlan, PlannedChange } from '../../src/core/configure/types.js';
import type { End } from '../../src/core/end.js';
import type { OfferOutcome } from '../../src/core/outcome.js';
import { nothingPlanned, type ReleasePlan } from '../../src/core/release.js';
import { outcome } from './offers-fixtures.js';

const P = '11111111-2222-3333-4444-555555555555';
const SECRET = 'SeCrEtSiGnAtUrE';
const SAS = `https://contosoacct.blob.core.windows.net/vhds/contoso-vm-1.4.0.vhd?sv=2022-11-02&sig=${SECRET}`;
const READ: End = { kind: 'single-read' };
const MARKER = planCommentMarker(['contoso-vm', 'contoso-saas']);

const added: PlannedChange = {
  kind: 'vm-image-version',
  planId: 'gen2',
  resourceId: `virtual-machine-plan-technical-configuration/${P}/g2`,
  version: '1.4.0',
  images: [
    {
      imageType: 'x64Gen1',
      source: { kind: 'sas', uri: SAS, shown: 'contosoacct/vhds/contoso-vm-1.4.0.vhd' },
    },
  ],
  status: 'add',
};
const listing: PlannedChange = {
  kind: 'resource',
  file: 'listing.json',
  index: 0,
  resourceId: `listing/${P}/public/main/default/en-us`,
  label: "listing 'Contoso VM'",
  status: 'change',
  fields: [
    { path: 'title', before: '"Contoso VM"', after: '"Contoso VM Pro"' },
    { path: 'summary', before: '"A VM"' },
  ],
  fieldsLeftOut: 2,
};
const samePlan: PlannedChange = {
  kind: 'resource',
  file: 'plan.json',
  index: 0,
  resourceId: `plan/${P}/g1`,
  label: "plan 'gen1'",
  status: 'already-there',
  fields: [],
};

const release = (more: Partial<ReleasePlan> = {}): ReleasePlan => ({
  configure: [`listing/${P}/public/main/default/en-us`],
  publish: 'start',
  goLive: 'none',
  pushes: ['listing title', 'plan gen2 version 1.4.0'],
  ...more,
});
const plan = (...changes: PlannedChange[]): ChangePlan => ({ changes, dryRun: true });

function render(outcomes: OfferOutcome[], dryRun = true): string {
  return renderPlanComment({
    outcomes,
    dryRun,
    marker: MARKER,
    runUrl: 'https://github.com/contoso/release/actions/runs/7',
  });
}

describe('renderPlanComment', () => {
  test('per offer: each field the change sets, what the publish pushes, what would be started', () => {
    const body = render([
      outcome('contoso-vm', undefined, READ, {
        plan: plan(added, listing, samePlan),
        release: release({ goLive: 'send' }),
      }),
      outcome('contoso-saas', undefined, READ, { release: nothingPlanned() }),
    ]);
    expect(
      body.startsWith(`${MARKER}\n\n<h2>🔍 Marketplace plan: 1 of 2 offers would change</h2>`),
    ).toBe(true);
    expect(body).toContain('Dry run: nothing was sent.');
    expect(body).toContain(
      '<h3>🔸 <code>contoso-vm</code>: would send the change (1 resource), then start a publish, then go live at the sign-off</h3>',
    );
    expect(body).toContain(
      '<tr><td><code>~</code></td><td>file <code>listing.json</code></td><td><code>listing &#39;Contoso VM&#39;</code>' +
        '<br><code>title</code>: <code>&quot;Contoso VM&quot;</code> → <code>&quot;Contoso VM Pro&quot;</code>' +
        '<br><code>summary</code>: <code>&quot;A VM&quot;</code> → <em>(removed)</em>' +
        '<br>and 2 more fields</td></tr>',
    );
    expect(body).toContain(
      '<td>plan <code>gen2</code></td><td>version <code>1.4.0</code>: <code>x64Gen1 from VHD contosoacct/vhds/contoso-vm-1.4.0.vhd</code></td>',
    );
    expect(body).toContain('<code>plan &#39;gen1&#39;</code> already there');
    expect(body).toContain(
      '<p><strong>The publish would push</strong> over the latest preview:</p>\n<ul>\n<li>listing title</li>\n<li>plan gen2 version 1.4.0</li>\n</ul>',
    );
    // The offer with nothing to do is named once, not given a section.
    expect(body).toContain(
      '<p>No changes in <code>contoso-saas</code>: nothing to change, publish or go live.</p>',
    );
    expect(body).not.toContain('<h3>🔸 <code>contoso-saas</code>');
    expect(body).toContain('<a href="https://github.com/contoso/release/actions/runs/7">');
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain('No changes</h2>');
  });

  test('a real run says what it sends, not what it would', () => {
    const body = render(
      [outcome('contoso-vm', undefined, READ, { plan: plan(listing), release: release() })],
      false,
    );
    expect(body).toContain('<h2>🔍 Marketplace plan: 1 offer with changes</h2>');
    expect(body).toContain('<code>contoso-vm</code>: send the change (1 resource)');
    expect(body).toContain('<strong>The publish pushes</strong>');
    expect(body).not.toContain('would');
  });

  test('"No changes" in the heading when no offer has anything to change, publish or go live', () => {
    const body = render([
      outcome('contoso-vm', undefined, READ, { plan: plan(samePlan), release: nothingPlanned() }),
      outcome('contoso-saas', undefined, READ, { release: nothingPlanned() }),
    ]);
    expect(body).toMatch(/^<!-- [^\n]* -->\n\n<h2>✅ Marketplace plan: No changes<\/h2>\n/);
    expect(body).toContain('No changes in <code>contoso-vm</code>, <code>contoso-saas</code>');
    expect(body).not.toContain('<h3>');
  });

  test.each<[string, Partial<ReleasePlan>]>([
    ['a publish alone', { configure: [], pushes: [] }],
    ['a go-live alone', { configure: [], publish: 'none', pushes: [] }],
  ])('%s is a change', (_, more) => {
    const body = render([
      outcome('contoso-vm', undefined, READ, { release: release({ goLive: 'send', ...more }) }),
    ]);
    expect(body).not.toContain('No changes');
    expect(body).toContain('<h3>🔸 <code>contoso-vm</code>: would ');
  });

  test('an offer that could not be planned is no "No changes": its reason is told', () => {
    const body = render([
      outcome(
        'contoso-vm',
        undefined,
        { kind: 'error', message: 'GET product answered HTTP 403.' },
        {
          failed: true,
        },
      ),
      outcome('contoso-saas', undefined, READ, { release: nothingPlanned() }),
    ]);
    expect(body).toContain('<h2>⚠️ Marketplace plan: 1 of 2 offers with a problem</h2>');
    expect(body).toContain(
      '<h3>⚠️ <code>contoso-vm</code>: no plan</h3>\n\n<p>GET product answered HTTP 403.</p>',
    );
    expect(body).not.toContain('No changes</h2>');
  });

  test('hostile text is escaped, on one line, and can neither end the marker nor mention anyone', () => {
    const evil = '--> <!-- x --> @octocat #12 | ` *b* <script>alert(1)</script>\n## Forged\r\n';
    const body = renderPlanComment({
      dryRun: true,
      marker: planCommentMarker([`vm${evil}`]),
      outcomes: [
        outcome(
          `vm${evil}`,
          undefined,
          { kind: 'error', message: `Service said: ${evil}` },
          {
            failed: true,
            plan: plan({
              ...listing,
              file: `f${evil}.json`,
              label: `listing ${evil}`,
              fields: [{ path: `p${evil}`, before: `"${evil}"`, after: `"${SAS}"` }],
            }),
            release: release({ pushes: [`listing ${evil}`] }),
          },
        ),
      ],
    });
    // One comment opener and one closer: the marker's.
    expect(body.match(/<!--/g)).toHaveLength(1);
    expect(body.match(/-->/g)).toHaveLength(1);
    expect(body.split('\n')[0]).toMatch(/^<!-- marketplace-plan: [^ <>]+ -->$/);
    expect(body).not.toContain('<script');
    expect(body).not.toMatch(/^## Forged/m);
    expect(body).not.toMatch(/[\r\u2028\u2029]/);
    // In prose (the reason, the pushes), an @mention and a #reference are broken up.
    expect(body).toContain('@\u200boctocat #\u200b12');
    expect(body).not.toMatch(/@octocat(?![^<]*<\/code>)/);
    // Inside code, GitHub mentions no one: the text stays as it was, escaped.
    expect(body).toContain('<code>listing --&gt; &lt;!-- x --&gt; @octocat #12 &#124; &#96; *b*');
    expect(body).not.toContain(SECRET);
  });

  test('bounded: fields go first, and a line says details were left out', () => {
    const wide: PlannedChange = {
      ...listing,
      fields: Array.from({ length: 40 }, (_, i) => ({
        path: `field${i}`,
        before: `"${'b'.repeat(300)}"`,
        after: `"${'a'.repeat(300)}"`,
      })),
    };
    const changes = Array.from({ length: 60 }, (_, i) => ({ ...wide, index: i }));
    const body = render([
      outcome('contoso-vm', undefined, READ, { plan: plan(...changes), release: release() }),
    ]);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain('<h2>🔍 Marketplace plan: 1 offer would change</h2>');
    expect(body).toContain("Details were left out: they exceed GitHub's limit on a comment.");
    // Each change still has its line, with its field count.
    expect(body).toContain('(42 fields)');
    expect(body).toContain('and 10 more</td>');
  });

  test('bounded with many offers: a line each, then as many as fit and the count of the rest', () => {
    const ids = Array.from({ length: 256 }, (_, i) => `offer-${i}-${'x'.repeat(200)}`);
    const big: PlannedChange = {
      ...listing,
      fields: [{ path: 'title', before: `"${'b'.repeat(200)}"`, after: `"${'a'.repeat(200)}"` }],
    };
    const planned = (id: string, more: Partial<OfferOutcome> = {}) =>
      outcome(id, undefined, READ, {
        plan: plan(...Array.from({ length: 50 }, (_, i) => ({ ...big, index: i }))),
        release: release({ pushes: Array.from({ length: 20 }, () => 'p'.repeat(200)) }),
        ...more,
      });
    // A line per offer fits: every offer is still named.
    const lines = renderPlanComment({
      outcomes: ids.map((id) => planned(id)),
      dryRun: true,
      marker: planCommentMarker(ids),
    });
    expect(lines.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(lines).toContain('<h2>🔍 Marketplace plan: 256 of 256 offers would change</h2>');
    expect(lines).toContain('<code>offer-255-');
    expect(lines).not.toContain('<table>');
    expect(lines).toContain('Details were left out');
    // With each offer's reason too, they do not: the first ones, then a count of the rest.
    const failed = renderPlanComment({
      outcomes: ids.map((id) =>
        planned(id, { failed: true, end: { kind: 'error', message: 'e'.repeat(1000) } }),
      ),
      dryRun: true,
      marker: planCommentMarker(ids),
    });
    expect(failed.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(failed.length).toBeGreaterThan(MAX_COMMENT_CHARS - 1000);
    expect(failed).toContain(
      '<h2>⚠️ Marketplace plan: 256 of 256 offers would change, 256 with a problem</h2>',
    );
    expect(failed).toContain('<code>offer-0-');
    expect(failed).toMatch(
      /<p>and \d+ more offers with a plan\.<\/p>\n\n<p><em>Details were left out/,
    );
  });
});

describe('planCommentMarker', () => {
  test('names the offers, whatever their order; other offers get another marker', () => {
    expect(planCommentMarker(['b', 'a'])).toBe('<!-- marketplace-plan: a b -->');
    expect(planCommentMarker(['a', 'b'])).toBe(planCommentMarker(['b', 'a']));
    expect(planCommentMarker(['a'])).not.toBe(planCommentMarker(['a', 'b']));
    // A marker is never the start of another's: the next run finds only its own comment.
    expect(planCommentMarker(['a', 'b']).startsWith(planCommentMarker(['a']))).toBe(false);
  });

  test('an offer id cannot end the comment early; a long list is counted and digested', () => {
    expect(planCommentMarker(['a-->b <x>'])).toBe('<!-- marketplace-plan: a--%3Eb%20%3Cx%3E -->');
    const many = Array.from({ length: 256 }, (_, i) => `offer-${i}`);
    const marker = planCommentMarker(many);
    expect(marker).toMatch(/^<!-- marketplace-plan: 256 offers [0-9a-f]+ -->$/);
    expect(marker).toBe(planCommentMarker([...many].reverse()));
    expect(marker).not.toBe(planCommentMarker([...many.slice(1), 'offer-x']));
  });
});
