import { describe, expect, test } from '@jest/globals';
import { escapeHtml, htmlToText, sanitizeServiceHtml } from '../../src/core/html.js';
import { Redactor } from '../../src/github/redact.js';
import { renderSummary, type SummaryInput } from '../../src/core/summary.js';
import { SUMMARY_LIMIT_BYTES } from '../../src/core/summary-cells.js';
import { STEP_IDS, fixtures } from '../../simulator/scenarios.js';
import { snapshot, snapshotOf } from './helpers.js';

const base: SummaryInput = {
  api: 'Cloud Partner Portal API',
  publisherId: 'contoso',
  offerId: 'contoso-vm',
  operationId: '5a63deb5-925b-4ee0-938b-7c86fbf287c5',
  snapshot: undefined,
  end: { kind: 'review' },
  failed: false,
  waitedMs: 3_723_000,
  reads: 63,
  runUrl: 'https://github.com/contoso/release/actions/runs/4242',
};

describe('the job summary', () => {
  test('shows offer, publisher, final status, why the wait ended, how long and how many reads', () => {
    const html = renderSummary({
      ...base,
      snapshot: snapshotOf(fixtures.offerStatus()),
      end: { kind: 'end-state', status: 'succeeded' },
    });
    expect(html).toMatch(/^## ✅ Marketplace publish: contoso \/ contoso-vm/);
    expect(html).toContain('<td><strong>Status</strong></td><td><code>succeeded</code></td>');
    expect(html).toContain('The offer is live: the publish succeeded.');
    expect(html).toContain('<td>1h2m3s (63 reads)</td>');
    expect(html).toContain('<code>5a63deb5-925b-4ee0-938b-7c86fbf287c5</code>');
    expect(html).toContain('href="https://github.com/contoso/release/actions/runs/4242"');
  });

  test('a table of steps: marker, name, status, progress, estimated time, latest message', () => {
    const html = renderSummary({
      ...base,
      snapshot: snapshotOf(fixtures.operation()),
      end: {
        kind: 'fail-on',
        status: 'blocked',
        stepId: 'displaycertify',
        stepName: 'Certification',
      },
      failed: true,
    });
    expect(html).toMatch(/^## ❌/);
    expect(html).toContain(
      '<tr><td>⛔</td><td>Certification</td><td><code>blocked</code></td><td>0%</td><td>&lt; 5 day</td><td>This step has not started yet.</td></tr>',
    );
    expect(html).toContain('<details><summary>All messages (3)</summary>');
    expect(html).toContain(
      '<li><strong>error</strong>: No virtual machine image was found for the plan contoso. <sub>2017-03-28T19:50:39.5506018Z</sub></li>',
    );
  });

  test('everything from the service is escaped or sanitized', () => {
    const s = snapshot('failed', {
      displaydummycertify: {
        status: 'failed',
        messages: [
          {
            level: 'error',
            html: '<script>alert(1)</script><img src=x onerror="alert(2)">Bad | pipe <a href="javascript:alert(3)">click</a> <a href="https://example.invalid/ok" onclick="x()">ok</a>',
          },
        ],
      },
    });
    const withName = {
      ...s,
      steps: s.steps.map((x, i) => (i === 1 ? { ...x, name: '<b onmouseover=1>Cert</b> | x' } : x)),
    };
    const html = renderSummary({
      ...base,
      snapshot: withName,
      end: { kind: 'fail-on', status: 'failed' },
      failed: true,
    });
    expect(html).not.toMatch(/<script|<img|javascript:/i);
    // No tag carries an event handler (escaped text may mention one: it is not markup).
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain('<td>&lt;b onmouseover=1&gt;Cert&lt;/b&gt; &#124; x</td>');
    expect(html).toContain('<a href="https://example.invalid/ok" rel="noopener noreferrer">ok</a>');
    // The latest-message cell keeps the sanitized HTML's links, on one line.
    expect(html).toContain(
      '<td>Bad &#124; pipe click <a href="https://example.invalid/ok" rel="noopener noreferrer">ok</a></td>',
    );
  });

  test('ids from inputs are escaped too', () => {
    const html = renderSummary({ ...base, offerId: '<i>x</i>' });
    expect(html).toContain('contoso / &lt;i&gt;x&lt;/i&gt;');
  });

  test('stays under the 1 MiB limit whatever the service sends, with a note', () => {
    const huge = 'A'.repeat(300_000);
    const s = snapshot(
      'running',
      Object.fromEntries(
        STEP_IDS.map((id) => [
          id,
          {
            status: 'inProgress',
            messages: Array.from({ length: 4 }, (_, i) => ({
              level: 'information',
              html: `${i}${huge}`,
            })),
          },
        ]),
      ),
    );
    const html = renderSummary({ ...base, snapshot: s });
    expect(Buffer.byteLength(html)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(html).toContain('… (truncated from 300001 characters)');
    expect(html).toContain('<table>');
  });

  test('without any read the summary still says why the wait ended', () => {
    const html = renderSummary({
      ...base,
      end: { kind: 'error', message: "Input 'timeout': 'soon' is not a duration." },
      failed: true,
      reads: 0,
    });
    expect(html).toContain('<em>not read</em>');
    expect(html).toContain('Input &#39;timeout&#39;: &#39;soon&#39; is not a duration.');
    expect(html).not.toContain('### Steps');
  });
});

describe('html', () => {
  test.each([
    ['Step completed.', 'Step completed.'],
    ['a<br>b', 'a\nb'],
    ['<p>x</p><p>y &amp; z</p>', 'x\ny & z'],
    ['<script>alert(1)</script>ok &lt;tag&gt; &#39;q&#39;', "ok <tag> 'q'"],
    ['line\u0007bell \u001b[31mred', 'line bell [31mred'],
    ['::error::forged', '::error::forged'],
  ])('htmlToText(%j) is %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  test('the sanitizer keeps formatting and http(s) links only', () => {
    expect(
      sanitizeServiceHtml(
        '<b>ok</b><iframe src="https://x"></iframe><a href="data:text/html,x">d</a><a href="//evil.example">p</a>',
      ),
    ).toBe('<b>ok</b><a rel="noopener noreferrer">d</a><a rel="noopener noreferrer">p</a>');
  });

  test('escapeHtml covers HTML and table syntax', () => {
    expect(escapeHtml(`<a href="x">'&'|\``)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&#124;&#96;',
    );
  });
});

describe('the 1 MiB guard', () => {
  test('when even clipped messages are too many, the details go first, with a note', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      level: 'information',
      html: `${i} ${'B'.repeat(3990)}`,
    }));
    const s = snapshot('running', { displaycertify: { status: 'inProgress', messages: many } });
    const html = renderSummary({ ...base, snapshot: s });
    expect(Buffer.byteLength(html)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(html).toContain('The full messages were left out');
    expect(html).toContain('<td>Certification</td>');
  });
});

describe('redaction', () => {
  test('registered secrets, bearer tokens and JWTs are replaced', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    r.add('ab'); // too short to redact without blanking ordinary text
    expect(r.redact('x s3cr3t-value y')).toBe('x *** y');
    expect(r.redact('Authorization: Bearer abc.def-123456789')).toBe('Authorization: Bearer ***');
    expect(r.redact('token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig_nature')).toBe(
      'token ***',
    );
    expect(r.redact('about a table')).toBe('about a table');
  });
});
