/**
 * Text and HTML that came from the service. `messageHtml` is HTML from outside: log lines and
 * annotations get plain text, and the job summary gets either escaped text or HTML that passed an
 * allow-list sanitizer (`core.summary` escapes nothing itself).
 */
import sanitizeHtml from 'sanitize-html';

const BLOCK_TAGS = ['br', 'p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4'];
const BLOCK_TAG = new RegExp(`<\\/?(?:${BLOCK_TAGS.join('|')})\\s*\\/?>`, 'g');
// sanitize-html re-escapes text with exactly these four entities.
const ESCAPED: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' };

const LINK_TAG = /<a href="([^"]*)">([\s\S]*?)<\/a>/g;
const decode = (text: string) => text.replace(/&(?:lt|gt|quot|amp);/g, (e) => ESCAPED[e] ?? e);

/**
 * The readable text of an HTML fragment: tags dropped, entities decoded, whitespace tidied. A
 * link keeps its address after its text (`see the report (https://…)`), so the log has it too.
 */
export function htmlToText(html: string): string {
  // The sanitizer does the parsing (and drops script/style content); only block tags survive, as
  // attribute-free tags, to become line breaks, and http(s) links with their address alone.
  const blocks = sanitizeHtml(html, {
    allowedTags: [...BLOCK_TAGS, 'a'],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template'],
  });
  const text = blocks
    .replace(LINK_TAG, (_, href: string, inner: string) => {
      const url = decode(href).trim();
      const shown = decode(inner.replace(/<[^>]*>/g, '')).trim();
      if (!/^https?:\/\//i.test(url) || shown === url) return inner;
      return `${inner} (${escapeBack(url)})`;
    })
    .replace(/<\/?a\b[^>]*>/g, '')
    .replace(BLOCK_TAG, '\n');
  return tidy(decode(text));
}

/** Escapes the four entities again, so the text is decoded once with the rest. */
function escapeBack(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`,
  );
}

/**
 * Service HTML for one table cell: the allow-listed inline tags only (links, emphasis, code), on
 * one line; block structure becomes blanks.
 */
export function inlineServiceHtml(html: string): string {
  const inline = sanitizeHtml(html, {
    allowedTags: ['a', 'b', 'strong', 'i', 'em', 'code', 'span'],
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  });
  // A link whose address was refused keeps its text only; a pipe or backtick is escaped, as in
  // every other cell.
  return oneLine(inline)
    .replace(/<a rel="noopener noreferrer">([\s\S]*?)<\/a>/g, '$1')
    .replace(/[|`]/g, (c) => (c === '|' ? '&#124;' : '&#96;'));
}

// Control characters (C0, DEL, C1) can forge terminal escapes, break a table or end a log line;
// tab, CR and LF are tidied apart. U+2028/U+2029 (and NEL) separate lines as much as LF does.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g;
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;

/** Turns control characters into blanks, folds runs of blanks and blank lines; keeps line breaks. */
export function tidy(text: string): string {
  return text
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROL_CHARS, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

// Everything that ends, breaks or spaces a line, and every other control character.
// eslint-disable-next-line no-control-regex
const BREAKS_AND_CONTROLS = /[\s\u0000-\u001f\u007f-\u009f]+/g;

/**
 * Makes a single line of text, e.g. for a table cell or a log line: CR, LF, U+2028/U+2029 and
 * every other control character become one blank (runs collapsed), and the ends are trimmed.
 * Text from a service passes here before it reaches a snapshot, so it can never start a line of
 * the log (where the runner would read `::error::…` as a command).
 */
export function oneLine(text: string): string {
  return text.replace(BREAKS_AND_CONTROLS, ' ').trim();
}

/** A service's value as one line of text; anything but a string is no text (empty). */
export function lineOf(raw: unknown): string {
  return typeof raw === 'string' ? oneLine(raw) : '';
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;', // a pipe would split a Markdown table cell
  '`': '&#96;',
};

/** Escapes text for HTML and Markdown table cells. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'|`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * HTML from the service reduced to an allow-list: inline formatting and http(s) links only; no
 * scripts, styles, event handlers, images or forms. Links open with `rel="noopener noreferrer"`.
 */
export function sanitizeServiceHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [
      'a',
      'b',
      'strong',
      'i',
      'em',
      'code',
      'pre',
      'br',
      'p',
      'ul',
      'ol',
      'li',
      'span',
    ],
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https'],
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
  });
}
