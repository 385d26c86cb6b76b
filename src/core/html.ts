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

/** The readable text of an HTML fragment: tags dropped, entities decoded, whitespace tidied. */
export function htmlToText(html: string): string {
  // The sanitizer does the parsing (and drops script/style content); only block tags survive, as
  // attribute-free tags, to become line breaks.
  const blocks = sanitizeHtml(html, {
    allowedTags: BLOCK_TAGS,
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template'],
  });
  const text = blocks
    .replace(BLOCK_TAG, '\n')
    .replace(/&(?:lt|gt|quot|amp);/g, (e) => ESCAPED[e] ?? e);
  return tidy(text);
}

// Control characters can forge terminal escapes or break a table; tab and newline are tidied apart.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Removes control characters and folds runs of blanks and blank lines. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_CHARS, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/** Makes a single line of text, e.g. for a table cell or a log line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
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
