/**
 * Every message the docs quote as the action's is one the code says: the "you see" columns of
 * the troubleshooting tables (the faults table's included, generated from fault-cases.ts) and the
 * log excerpts (```text blocks). A quote the code no longer says fails with the page, the quote
 * and the code's closest message.
 */
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import {
  MessageIndex,
  messagesInSource,
  messagesUnder,
  quotesInDoc,
  quotesInDocs,
} from './doc-quotes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const index = new MessageIndex(messagesUnder(`${root}src`, 'src'));
const quotes = quotesInDocs(root);

describe('the docs quote the code', () => {
  it('finds the quotes (the tables and the log excerpts)', () => {
    const pages = [...new Set(quotes.map((q) => q.file))];
    expect(pages).toEqual(
      expect.arrayContaining(['docs/authentication.md', 'docs/troubleshooting.md']),
    );
    expect(quotes.length).toBeGreaterThan(20);
  });

  it.each(quotes.map((q) => [`${q.file}:${q.line}: ${q.text}`, q] as const))('%s', (_, quote) => {
    if (!index.matches(quote.text)) {
      throw new Error(
        `${quote.file}:${quote.line} quotes "${quote.text}" as the action's words, but the code ` +
          `does not say it. Closest in src/: "${index.closest(quote.text)}"`,
      );
    }
  });
});

describe('a quote and the messages', () => {
  const small = new MessageIndex([
    ...messagesInSource(
      'x.ts',
      [
        'const a = `The wait ran out of time after ${d} (timeout) while the publish was still under way.`;',
        "const b = `Input '${input}': ${message}`;",
        "const c = `'${raw}' is not a duration. Use e.g. 45s, 30m.`;",
        "const d = `${endpoint} failed: ${what}${code ? ` (${code})` : ''}.`;",
        "const e = { ECONNREFUSED: 'the connection was refused' };",
        "const f = 'The service answered HTTP ' + status + ' without the address';",
        "const g = 'timeout';",
        // A frame of holes: a `…` that elides its few words must not let it hold any prose.
        'const h = `${a} ${b} of ${c} did not end well — ${d}${e}`;',
      ].join('\n'),
    ),
  ]);

  it.each([
    'The wait ran out of time after 3s (timeout) while the publish was still under way.',
    'The wait ran out of time after … (timeout) …',
    "Input 'timeout': 'soon' is not a duration",
    'the connection was refused (ECONNREFUSED)',
    'GET /x failed: the connection was refused (ECONNREFUSED).',
    'The service answered HTTP 202 without the address',
    'ran out of time',
    '#1 2 of 3 did not end well — (timeout)',
  ])('matches %s', (quote) => {
    expect(small.matches(quote)).toBe(true);
  });

  it.each([
    ['another wording', 'Timed out after … (timeout) …'],
    ['words the code does not say in a hole', "Input 'timeout': soon is not a duration"],
    ['two words in one hole', "Input 'timeout': banana split"],
    [
      'a word changed',
      'The wait ran out of time after 3s (timeout) while the publish was under way.',
    ],
    ['an elision the code does not have', 'The wait ran out of time before … (timeout)'],
    ['prose in the holes of a frame', 'Timed out after … (timeout) …'],
    ['a plain word in a hole that is not quoted', 'Timed (timeout)'],
  ])('does not match %s: %s', (_, quote) => {
    expect(small.matches(quote)).toBe(false);
  });

  it('names the closest message', () => {
    expect(small.closest('Timed out after … (timeout) …')).toBe(
      'The wait ran out of time after … (timeout) while the publish was still under way.',
    );
  });
});

describe('quotesInDoc', () => {
  it('reads the "you see" column and ```text lines, not diagrams or other columns', () => {
    const page = [
      '| you see | cause |',
      '| --- | --- |',
      "| `Input 'timeout': …` (or another) | `not quoted` either |",
      '| `one-word` | x |',
      '| `left \\| right` | x |',
      '',
      '```text',
      'Got a token (valid for 59m59s).',
      '```',
      '```text',
      'src/ ─ a diagram',
      '```',
      '| input | what |',
      '| --- | --- |',
      '| `not a quote here` | x |',
    ].join('\n');
    expect(quotesInDoc('p.md', page)).toEqual([
      { file: 'p.md', line: 3, text: "Input 'timeout': …" },
      { file: 'p.md', line: 5, text: 'left | right' },
      { file: 'p.md', line: 8, text: 'Got a token (valid for 59m59s).' },
    ]);
  });

  it("checks only what comes before Entra's own words (an AADSTS code)", () => {
    const page = [
      '```text',
      'Microsoft Entra ID refused the sign-in: AADSTS7000215: Invalid client secret provided.',
      '```',
      '| you see |',
      '| --- |',
      '| `… AADSTS7000222 …` |',
    ].join('\n');
    expect(quotesInDoc('p.md', page)).toEqual([
      { file: 'p.md', line: 2, text: 'Microsoft Entra ID refused the sign-in: …' },
    ]);
  });
});
