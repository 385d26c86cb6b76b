import { describe, expect, test } from '@jest/globals';
import type { End } from '../../src/core/end.js';
import type { Snapshot } from '../../src/core/model.js';
import type { OfferOutcome } from '../../src/core/outcome.js';
import { closingMessageOffers } from '../../src/core/stop-rules.js';
import { SUMMARY_LIMIT_BYTES } from '../../src/core/summary-cells.js';
import { renderOffersSummary, type OffersSummaryInput } from '../../src/core/summary-offers.js';
import { STEP_IDS } from '../../simulator/scenarios.js';
import { snapshot, snapshotOf } from './helpers.js';
import {
  LIVE,
  PREVIEW,
  TIMEOUT,
  certifying,
  complete,
  live,
  outcome,
  write,
} from './offers-fixtures.js';

const certFailed = (): Snapshot =>
  snapshot('failed', {
    ...complete(['displaydummycertify']),
    displaycertify: {
      status: 'failed',
      messages: [{ level: 'error', html: 'The image <b>contoso-app</b> failed the malware scan.' }],
    },
  });

const inReview = (): Snapshot =>
  snapshot(
    'running',
    {
      ...complete(STEP_IDS.slice(0, 4)),
      'publisher-signoff': { status: 'waitingForPublisherReview', progress: 0 },
    },
    { previewLinks: [PREVIEW] },
  );

const CERT_FAILED: End = {
  kind: 'fail-on',
  status: 'failed',
  stepId: 'displaycertify',
  stepName: 'Certification',
};
const LIVE_END: End = { kind: 'end-state', status: 'succeeded' };

/** The offers of one step, in input order, each with its exact overview row and section title. */
const SIX = () => [
  {
    o: outcome('contoso-vm', certifying(), TIMEOUT, {
      operationId: 'op-a',
      started: [write('publish', 'op-a')],
    }),
    row: '<tr><td>⌛</td><td><code>contoso-vm</code></td><td><code>running</code></td><td>Certification (60%)</td><td>The wait ran out of time after 1h (timeout) while the publish was still under way.</td></tr>',
    title: '⏳ contoso-vm: running',
  },
  {
    o: outcome('contoso-app', certFailed(), CERT_FAILED, { operationId: 'op-b', failed: true }),
    row: '<tr><td>❌</td><td><code>contoso-app</code></td><td><code>failed</code></td><td>Certification (0%)</td><td>The step Certification failed (fail-on lists failed).</td></tr>',
    title: '❌ contoso-app: failed',
  },
  {
    o: outcome('contoso-review', inReview(), { kind: 'review' }),
    row: '<tr><td>👀</td><td><code>contoso-review</code></td><td><code>waitingForPublisherReview</code></td><td>Publisher signoff (0%)</td><td>The preview is ready and waits for the publisher sign-off; the wait stops there (wait-until: review).</td></tr>',
    title: '👀 contoso-review: waitingForPublisherReview',
  },
  {
    o: outcome('contoso-saas', live(), LIVE_END),
    row: '<tr><td>✅</td><td><code>contoso-saas</code></td><td><code>succeeded</code></td><td></td><td>The offer is live: the publish succeeded.</td></tr>',
    title: '✅ contoso-saas: succeeded',
  },
  {
    o: outcome(
      'contoso-gone',
      undefined,
      { kind: 'error', message: 'GET …/offers/contoso-gone/status answered HTTP 404 (<b>no</b>)' },
      { failed: true },
    ),
    row: '<tr><td>❌</td><td><code>contoso-gone</code></td><td><em>not read</em></td><td></td><td>GET …/offers/contoso-gone/status answered HTTP 404 (&lt;b&gt;no&lt;/b&gt;)</td></tr>',
    title: '❌ contoso-gone: not read',
  },
  {
    o: outcome('contoso-queued', snapshot('Queued', {}), { kind: 'single-read' }),
    row: '<tr><td>❔</td><td><code>contoso-queued</code></td><td><code>Queued</code></td><td>Validate Pre-Requisites (0%)</td><td>The offer was read once, as wait-until: none asks.</td></tr>',
    title: '❔ contoso-queued: Queued',
  },
];

const base: Omit<OffersSummaryInput, 'offers'> = {
  api: 'Cloud Partner Portal API',
  publisherId: 'contoso',
  failed: false,
  waitedMs: 3_723_000,
  runUrl: 'https://github.com/contoso/release/actions/runs/4242',
};

/** The offers' own sections (not the nested "All messages" ones), in order. */
function sections(html: string): string[] {
  return [...html.matchAll(/<details><summary>(?!All messages)(.*?)<\/summary>/g)].map(
    (m) => m[1]!,
  );
}

describe('renderOffersSummary', () => {
  test('heading, facts, one overview row per offer in input order, one section per offer', () => {
    const six = SIX();
    const html = renderOffersSummary({ ...base, offers: six.map((x) => x.o), failed: true });
    expect(html.startsWith('## ❌ Marketplace publish: 6 offers — failed\n\n<table>\n')).toBe(true);
    expect(html).toContain(
      '<tr><td><strong>API</strong></td><td>Cloud Partner Portal API</td></tr>\n' +
        '<tr><td><strong>Publisher</strong></td><td><code>contoso</code></td></tr>\n' +
        '<tr><td><strong>Waited</strong></td><td>1h2m3s</td></tr>\n' +
        '<tr><td><strong>Run</strong></td><td><a href="https://github.com/contoso/release/actions/runs/4242">https://github.com/contoso/release/actions/runs/4242</a></td></tr>',
    );
    expect(html).toContain(
      '### Offers\n\n<table>\n<tr><th></th><th>Offer</th><th>Status</th><th>Current step</th><th>Why its wait ended</th></tr>\n' +
        six.map((x) => x.row).join('\n') +
        '\n</table>\n\n<details>',
    );
    expect(sections(html)).toEqual(six.map((x) => x.title));
    // The overview comes before every section.
    expect(html.indexOf('### Offers')).toBeLessThan(html.indexOf('<details>'));
    expect(html.endsWith('</details>\n')).toBe(true);
  });

  test.each([
    [
      'contoso-vm',
      0,
      [
        '<p>The wait ran out of time after 1h (timeout) while the publish was still under way.</p>',
        '<p>Operation: <code>op-a</code></p>',
        '<p>Started by this step: publish at 2026-11-02T09:00:00.000Z (op-a)</p>',
        '<tr><td>⏳</td><td>Certification</td><td><code>inProgress</code></td><td>60%</td><td>~2-3 days</td><td>Plan <b>contoso-vm</b> has no <i>support</i> link.</td></tr>',
        '<details><summary>All messages (2)</summary>',
        '<li><strong>warning</strong>: Plan <b>contoso-vm</b> has no <i>support</i> link. <sub>',
      ],
    ],
    [
      'contoso-app',
      1,
      [
        '<p>The step Certification failed (fail-on lists failed).</p>',
        '<p>Operation: <code>op-b</code></p>',
        '<tr><td>❌</td><td>Certification</td><td><code>failed</code></td><td>0%</td><td>~2-3 days</td><td>The image <b>contoso-app</b> failed the malware scan.</td></tr>',
        '<details><summary>All messages (2)</summary>',
        '<li><strong>error</strong>: The image <b>contoso-app</b> failed the malware scan. <sub>',
      ],
    ],
    [
      'contoso-review',
      2,
      [
        '<tr><td>👀</td><td>Publisher signoff</td><td><code>waitingForPublisherReview</code></td><td>0%</td><td>&lt; 1 hour</td><td></td></tr>',
        `<p><strong>Preview links</strong></p>\n<ul>\n<li><a href="${PREVIEW}">${PREVIEW}</a></li>\n</ul>`,
        '<details><summary>All messages (4)</summary>',
      ],
    ],
    [
      'contoso-saas',
      3,
      [
        `<p><strong>Live links</strong></p>\n<ul>\n<li><a href="${LIVE}">${LIVE}</a></li>\n</ul>`,
        '<details><summary>All messages (6)</summary>',
      ],
    ],
    [
      'contoso-gone',
      4,
      [
        '<p>GET …/offers/contoso-gone/status answered HTTP 404 (&lt;b&gt;no&lt;/b&gt;)</p>\n\n</details>',
      ],
    ],
    [
      'contoso-queued',
      5,
      [
        '<p>The offer was read once, as wait-until: none asks.</p>',
        '<tr><td>⚪</td><td>Validate Pre-Requisites</td><td><code>notStarted</code></td><td>0%</td><td>&lt; 15 min</td><td></td></tr>',
      ],
    ],
  ] as [string, number, string[]][])(
    "%s's section has its steps table and messages",
    (offerId, index, parts) => {
      const six = SIX();
      const html = renderOffersSummary({ ...base, offers: six.map((x) => x.o) });
      const start = html.indexOf(`<details><summary>${six[index]!.title}</summary>`);
      const next = six[index + 1]
        ? html.indexOf(`<details><summary>${six[index + 1]!.title}</summary>`)
        : html.length;
      expect(start).toBeGreaterThan(0);
      const section = html.slice(start, next);
      for (const part of parts) expect(section).toContain(part);
      // Nothing of another offer's in it.
      for (const other of six) {
        if (other.o.offerId !== offerId) expect(section).not.toContain(`${other.o.offerId}:`);
      }
    },
  );

  test.each([
    ['any failed', [0, 1, 2, 3], true, '## ❌ Marketplace publish: 4 offers — failed'],
    ['the step failed, all live', [3, 3], true, '## ❌ Marketplace publish: 2 offers — succeeded'],
    ['all live', [3, 3], false, '## ✅ Marketplace publish: 2 offers — succeeded'],
    [
      'review and live',
      [2, 3],
      false,
      '## 👀 Marketplace publish: 2 offers — waitingForPublisherReview',
    ],
    ['one still running', [0, 2, 3], false, '## ⏳ Marketplace publish: 3 offers — running'],
    ['an unknown status', [5, 3], false, '## ⏳ Marketplace publish: 2 offers — running'],
    ['none read', [4, 4], false, '## ❔ Marketplace publish: 2 offers\n'],
  ] as [string, number[], boolean, string][])('heading: %s', (_, picks, failed, heading) => {
    const six = SIX();
    const offers = picks.map((i, n) => ({ ...six[i]!.o, offerId: `offer-${n}` }));
    const html = renderOffersSummary({ ...base, offers, failed });
    expect(html.startsWith(heading)).toBe(true);
  });

  test.each([
    ['progress known', 60, 'Certification (60%)'],
    ['progress rounded', 33.4, 'Certification (33%)'],
    ['no progress', null, 'Certification'],
  ] as [string, number | null, string][])('current step cell: %s', (_, progress, cell) => {
    const s = certifying();
    const snap = {
      ...s,
      steps: s.steps.map((x) => (x.id === 'displaycertify' ? { ...x, progress } : x)),
    };
    const html = renderOffersSummary({
      ...base,
      offers: [outcome('a', snap, TIMEOUT), outcome('b', live(), LIVE_END)],
    });
    expect(html).toContain(
      `<td><code>running</code></td><td>${cell}</td><td>The wait ran out of time`,
    );
  });

  test('everything from outside is escaped or sanitized', () => {
    const s = snapshot('<svg onload=alert(1)>', {
      displaydummycertify: {
        status: 'inProgress',
        progress: 10,
        messages: [
          {
            level: '<i>error</i>',
            html: '<script>alert(1)</script><img src=x onerror="alert(2)">Bad | pipe <a href="javascript:alert(3)">click</a> <a href="https://example.invalid/ok" onclick="x()">ok</a>',
          },
        ],
      },
    });
    const hostileStep = {
      ...s,
      steps: s.steps.map((x, i) => (i === 0 ? { ...x, name: '<b onmouseover=1>Cert</b> | x' } : x)),
    };
    const id = '<img src=x onerror=alert(4)>|`x`';
    const html = renderOffersSummary({
      ...base,
      publisherId: '<script>p</script>',
      offers: [
        outcome(id, hostileStep, { kind: 'error', message: '<script>alert(5)</script> | x' }),
        outcome('contoso-saas', live(), LIVE_END),
      ],
    });
    expect(html).not.toMatch(/<script|<img|<svg|javascript:/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain(
      '<tr><td>❔</td><td><code>&lt;img src=x onerror=alert(4)&gt;&#124;&#96;x&#96;</code></td>' +
        '<td><code>&lt;svg onload=alert(1)&gt;</code></td>' +
        '<td>&lt;b onmouseover=1&gt;Cert&lt;/b&gt; &#124; x (10%)</td>' +
        '<td>&lt;script&gt;alert(5)&lt;/script&gt; &#124; x</td></tr>',
    );
    expect(html).toContain(
      '<details><summary>❔ &lt;img src=x onerror=alert(4)&gt;&#124;&#96;x&#96;: &lt;svg onload=alert(1)&gt;</summary>',
    );
    expect(html).toContain(
      '<td><strong>Publisher</strong></td><td><code>&lt;script&gt;p&lt;/script&gt;</code></td>',
    );
    expect(html).toContain('<a href="https://example.invalid/ok" rel="noopener noreferrer">ok</a>');
    expect(html).toContain(
      '<td>Bad &#124; pipe click <a href="https://example.invalid/ok" rel="noopener noreferrer">ok</a></td>',
    );
    expect(html).toContain('<li><strong>&lt;i&gt;error&lt;/i&gt;</strong>: ');
  });
});

/** A realistic message of about 300 characters, distinct per offer and number. */
function realistic(offer: number, n: number): string {
  return (
    `Plan <b>contoso-vm-gen2-${offer}</b>: the image <code>contoso-vm-2026.11.${n}</code> passed ` +
    `the malware scan. The <a href="https://learn.microsoft.com/partner-center/marketplace/azure-vm-certification-faq">certification checklist</a> ` +
    `notes that SSH password authentication is enabled (check ${n}); disable it before go-live.`
  );
}

function hundredRealistic(): OfferOutcome[] {
  return Array.from({ length: 100 }, (_, i) =>
    outcome(
      `contoso-offer-${String(i).padStart(3, '0')}`,
      snapshot('running', {
        ...complete(['displaydummycertify']),
        displaycertify: {
          status: 'inProgress',
          progress: 40,
          messages: Array.from({ length: 12 }, (_, n) => ({
            level: 'warning',
            html: realistic(i, n),
          })),
        },
        displayprovision: {
          status: 'inProgress',
          progress: 10,
          messages: Array.from({ length: 7 }, (_, n) => ({
            level: 'information',
            html: realistic(i, 100 + n),
          })),
        },
      }),
      TIMEOUT,
      { operationId: `5a63deb5-925b-4ee0-938b-7c86fbf2${String(i).padStart(4, '0')}` },
    ),
  );
}

const rowOf = (o: OfferOutcome, step: string) =>
  `<tr><td>⌛</td><td><code>${o.offerId}</code></td><td><code>running</code></td><td>${step}</td><td>The wait ran out of time after 1h (timeout) while the publish was still under way.</td></tr>`;

const MESSAGES_NOTE =
  "<p><em>The offers' messages were left out: they exceed the job summary's 1 MiB limit.</em></p>";
const STEPS_NOTE =
  "<p><em>The offers' steps were left out: they exceed the job summary's 1 MiB limit.</em></p>";

describe('renderOffersSummary under the 1 MiB cap', () => {
  test('100 offers with 20 realistic messages each fit, messages and all', () => {
    const offers = hundredRealistic();
    const html = renderOffersSummary({ ...base, offers });
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(html.startsWith('## ⏳ Marketplace publish: 100 offers — running\n')).toBe(true);
    for (const o of offers) expect(html).toContain(rowOf(o, 'Certification (40%)'));
    expect(sections(html)).toEqual(offers.map((o) => `⏳ ${o.offerId}: running`));
    expect(html.match(/<details><summary>All messages \(20\)<\/summary>/g)).toHaveLength(100);
    expect(html).not.toContain(MESSAGES_NOTE);
    expect(html).not.toContain(STEPS_NOTE);
  });

  const FLOOD_TEXT = 'the image failed a check; '.repeat(37);
  /** 100 offers, `steps` steps each, 300 messages of 1 kB spread over the steps. */
  function flood(steps: number): OfferOutcome[] {
    const perStep = Math.ceil(300 / steps);
    return Array.from({ length: 100 }, (_, i) =>
      outcome(
        `flood-${i}`,
        snapshotOf({
          status: 'running',
          steps: Array.from({ length: steps }, (_, j) => ({
            id: `step-${j}`,
            stepName: `Step ${j}`,
            status: 'inProgress',
            progressPercentage: 50,
            estimatedTimeFrame: '< 1 day',
            messages: Array.from({ length: perStep }, (_, n) => ({
              level: 'warning',
              messageHtml: `${i}.${j}.${n} Plan <b>contoso</b>: ${FLOOD_TEXT} <a href="https://example.invalid/x">details</a>`,
              timestamp: '2026-11-02T09:00:00Z',
            })),
          })),
        }),
        TIMEOUT,
      ),
    );
  }

  test.each([
    // steps per offer, sections kept, note
    ['the messages go first', 6, true, MESSAGES_NOTE],
    ['then the sections; the overview stays', 60, false, STEPS_NOTE],
  ] as [string, number, boolean, string][])('a flood: %s', (_, steps, sectionsKept, note) => {
    const offers = flood(steps);
    const html = renderOffersSummary({ ...base, offers });
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(html.startsWith('## ⏳ Marketplace publish: 100 offers — running\n')).toBe(true);
    // The overview, whole.
    for (const o of offers) expect(html).toContain(rowOf(o, 'Step 0 (50%)'));
    expect(html).not.toContain('All messages');
    expect(html).not.toContain('<li>');
    expect(html.endsWith(`${note}\n`)).toBe(true);
    expect(html).not.toContain(note === MESSAGES_NOTE ? STEPS_NOTE : MESSAGES_NOTE);
    if (sectionsKept) {
      expect(sections(html)).toEqual(offers.map((o) => `⏳ ${o.offerId}: running`));
      // The steps tables stay, their latest-message cells cut short.
      expect(html.match(/<tr><td>⏳<\/td><td>Step 5<\/td>/g)).toHaveLength(100);
    } else {
      expect(html).not.toContain('<details>');
      expect(html.indexOf(STEPS_NOTE)).toBeGreaterThan(
        html.indexOf(rowOf(offers[99]!, 'Step 0 (50%)')),
      );
    }
  });

  test('a service that sends huge step names cannot push the overview over the cap', () => {
    // The "Why its wait ended" cell is cut to 200 characters; the current step's name is not, and
    // the overview is kept whatever its size.
    const offers = Array.from({ length: 100 }, (_, i) => {
      const s = certifying();
      return outcome(
        `offer-${i}`,
        {
          ...s,
          steps: s.steps.map((x) =>
            x.id === 'displaycertify' ? { ...x, name: `Certification ${'n'.repeat(20_000)}` } : x,
          ),
        },
        TIMEOUT,
      );
    });
    const html = renderOffersSummary({ ...base, offers });
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    for (const o of offers) expect(html).toContain(`<td><code>${o.offerId}</code></td>`);
  });
});

describe('closingMessageOffers', () => {
  const pick = (...indices: number[]) => indices.map((i) => SIX()[i]!.o);

  test.each([
    [
      'a timeout and a fail-on, with the reasons',
      pick(0, 1, 3),
      '3 offers, status failed. 2 of 3 did not end well — ' +
        'contoso-vm: Status: running. The wait ran out of time after 1h (timeout) while the publish was still under way. ' +
        'This step started: publish at 2026-11-02T09:00:00.000Z (op-a); it goes on, nothing was cancelled.' +
        ' || contoso-app: Status: failed. The step Certification failed (fail-on lists failed). ' +
        'Errors: Certification: The image contoso-app failed the malware scan.',
    ],
    [
      'an error and a cancel',
      [
        SIX()[4]!.o,
        outcome('contoso-vm', certifying(), { kind: 'cancelled' }, { failed: true }),
        SIX()[2]!.o,
      ],
      '3 offers, status running. 2 of 3 did not end well — ' +
        'contoso-gone: GET …/offers/contoso-gone/status answered HTTP 404 (<b>no</b>) || ' +
        'contoso-vm: Status: running. The workflow was cancelled; this is what was seen until then. The publish itself goes on.',
    ],
    [
      'all well',
      pick(3, 2, 5),
      "3 offers, status running. Every offer's wait ended well " +
        '(contoso-saas: succeeded, contoso-review: waitingForPublisherReview, contoso-queued: Queued).',
    ],
    [
      'all well, twelve of them',
      Array.from({ length: 12 }, (_, i) => outcome(`offer-${i + 1}`, live(), LIVE_END)),
      "12 offers, status succeeded. Every offer's wait ended well (" +
        Array.from({ length: 10 }, (_, i) => `offer-${i + 1}: succeeded`).join(', ') +
        ', and 2 more).',
    ],
  ] as [string, OfferOutcome[], string][])('%s', (_, outcomes, expected) => {
    expect(closingMessageOffers(outcomes)).toBe(expected);
  });

  test('names 10 unwell offers at most, each reason cut to 400 characters, then "and N more"', () => {
    const errors = Array.from({ length: 6 }, (_, n) => ({
      level: 'error',
      html: `Error ${n}: ${'the image failed a check. '.repeat(30)}`,
    }));
    const outcomes = [
      outcome('well-1', live(), LIVE_END),
      ...Array.from({ length: 15 }, (_, i) =>
        outcome(
          `bad-${i + 1}`,
          snapshot('failed', { displaycertify: { status: 'failed', messages: errors } }),
          CERT_FAILED,
          { failed: true },
        ),
      ),
      outcome('well-2', live(), LIVE_END),
    ];
    const message = closingMessageOffers(outcomes);
    const head = '17 offers, status failed. 15 of 17 did not end well — ';
    expect(message.startsWith(head)).toBe(true);
    const parts = message.slice(head.length).split(' || ');
    expect(parts).toHaveLength(11);
    expect(parts.at(-1)).toBe('and 5 more (in the summary)');
    parts.slice(0, 10).forEach((part, i) => {
      const prefix = `bad-${i + 1}: `;
      expect(part.startsWith(prefix)).toBe(true);
      expect(part.length - prefix.length).toBe(400);
      expect(part.endsWith('…')).toBe(true);
      expect(part).toContain('Status: failed. The step Certification failed');
    });
    expect(message).not.toContain('well-');
    expect(message.length).toBeLessThan(head.length + 10 * (8 + 400 + 4) + 40);
  });
});
