import { describe, expect, it } from '@jest/globals';
import { anchors, isExternal, links, slug } from '../../scripts/markdown-links.js';

describe('slug: the anchor GitHub gives a heading', () => {
  it.each([
    [
      'Before any way, on product-ingestion: add the app in Partner Center',
      'before-any-way-on-product-ingestion-add-the-app-in-partner-center',
    ],
    ['Re-runs', 're-runs'],
    ['What `track: deployment` records', 'what-track-deployment-records'],
    ['A — B', 'a--b'],
    ['snake_case and 2 numbers', 'snake_case-and-2-numbers'],
  ])('%s', (heading, expected) => {
    expect(slug(heading.replace(/`/g, ''))).toBe(expected);
  });
});

describe('anchors', () => {
  it('has each heading once, a repeat numbered, code and links as their text', () => {
    const page = [
      '# Title',
      '## Use `go-live`',
      '## Notes',
      '### Notes',
      '## See [the docs](x.md) ##',
      '<a id="sas"></a>',
    ].join('\n');
    expect([...anchors(page)].sort()).toEqual(
      ['notes', 'notes-1', 'sas', 'see-the-docs', 'title', 'use-go-live'].sort(),
    );
  });

  it('skips headings and anchors inside fenced code', () => {
    const page = ['```sh', '# a comment, not a heading', '<a id="x">', '```', '## Real'].join('\n');
    expect([...anchors(page)]).toEqual(['real']);
  });
});

describe('links', () => {
  it('finds inline links, images, titles, reference definitions and HTML, with their lines', () => {
    const page = [
      'See [a](docs/a.md) and ![logo](img/logo.png "Logo").',
      '',
      'Then [b](<docs/b c.md#part>) and [c][ref].',
      '[ref]: docs/c.md#top',
      '<a href="docs/d.md">d</a>',
    ].join('\n');
    expect(links(page)).toEqual([
      { target: 'docs/a.md', line: 1 },
      { target: 'img/logo.png', line: 1 },
      { target: 'docs/b c.md#part', line: 3 },
      { target: 'docs/c.md#top', line: 4 },
      { target: 'docs/d.md', line: 5 },
    ]);
  });

  it('leaves links shown as code alone', () => {
    const page = [
      'Write `[x](nowhere.md)` in a file,',
      '```md',
      '[y](nowhere-either.md)',
      '```',
      'or ``[z](not-here.md)``, then [real](real.md).',
    ].join('\n');
    expect(links(page)).toEqual([{ target: 'real.md', line: 5 }]);
  });
});

describe('isExternal', () => {
  it.each(['https://example.com/x.md', 'http://x', 'mailto:a@b.c', '//cdn.example/x'])(
    '%s is not followed',
    (target) => {
      expect(isExternal(target)).toBe(true);
    },
  );

  it.each(['docs/a.md', '#anchor', '../README.md#inputs'])('%s is checked', (target) => {
    expect(isExternal(target)).toBe(false);
  });
});
