/**
 * Text and HTML that came from the service. `messageHtml` is HTML from outside: log lines and
 * annotations get plain text, and the job summary gets either escaped text or HTML that passed an
 * allow-list sanitizer (`core.summary` escapes nothing itself).
 */
import { Parser } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';

const BLOCK_TAGS = new Set(['br', 'p', 'div', 'li', 'tr', 'ul', 'ol', 'table', 'h1', 'h2', 'h3']);
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'title']);

/** The readable text of an HTML fragment: tags dropped, entities decoded, whitespace tidied. */
export function htmlToText(html: string): string {
  let text = '';
  let skipping = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIPPED_TAGS.has(name)) skipping++;
        else if (BLOCK_TAGS.has(name)) text += '\n';
      },
      onclosetag(name) {
        if (SKIPPED_TAGS.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BLOCK_TAGS.has(name)) text += '\n';
      },
      ontext(data) {
        if (skipping === 0) text += data;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return tidy(text);
}

/** Removes control characters (they can forge log commands or break tables) and folds blank runs. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '')
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
