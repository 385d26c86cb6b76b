/**
 * What the docs quote as the action's words, and whether the code says them
 * (docs-messages.test.ts).
 *
 * The code's messages are its string literals, templates and `+` chains, each a list of literal
 * text and holes (`${…}`, or an operand that is not a string). A quote matches when it reads as
 * the code could print it: its prose is the literal text of one or more messages, a `…` in the
 * quote stands for any elided text, and a message's hole holds data (`5`, `59m59s`,
 * `NotFound:`), a quoted name (`'timeout'`) or another message, as messages are built from
 * messages.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { distance } from 'fastest-levenshtein';
import ts from 'typescript';
import { projectPages } from '../../scripts/project-pages.js';

/** A `${…}` of a message, or what a quote's `…` left out. */
const HOLE = null;
type Part = string | typeof HOLE;

/** One message of the code: literal text and holes, whitespace collapsed. */
export interface CodeMessage {
  parts: Part[];
  where: string;
}

/** One quote of the action's words in the docs, `…` where the doc elides. */
export interface Quote {
  file: string;
  line: number;
  text: string;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

/** Adjacent texts joined, whitespace collapsed; adjacent holes stay apart (each its own value). */
function tidy(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (part === HOLE) out.push(HOLE);
    else if (part !== '') {
      if (typeof last === 'string') out[out.length - 1] = flat(last + part);
      else out.push(flat(part));
    }
  }
  return out;
}

/** The parts of a string-valued expression, or undefined when it is not one. */
function partsOf(node: ts.Node): Part[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.flatMap((s) => [HOLE, s.literal.text])];
  }
  if (ts.isParenthesizedExpression(node)) return partsOf(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = partsOf(node.left);
    const right = partsOf(node.right);
    if (!left && !right) return undefined;
    return [...(left ?? [HOLE]), ...(right ?? [HOLE])];
  }
  return undefined;
}

const isPlus = (node: ts.Node | undefined) =>
  !!node && ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken;

/** Every message of one source file: each string-valued expression, a `+` chain as one. */
export function messagesInSource(path: string, text: string): CodeMessage[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: CodeMessage[] = [];
  const visit = (node: ts.Node) => {
    const parent = node.parent;
    const insideChain =
      isPlus(parent) || (parent && ts.isParenthesizedExpression(parent) && isPlus(parent.parent));
    const parts = insideChain ? undefined : partsOf(node);
    if (parts) {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ parts: tidy(parts), where: `${path}:${line}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((m) => m.parts.some((p) => p !== HOLE && /\p{L}/u.test(p)));
}

/** Every message of the `.ts` files under a folder. */
export function messagesUnder(folder: string, shownAs: string): CodeMessage[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .flatMap((f) => messagesInSource(`${shownAs}/${f}`, readFileSync(join(folder, f), 'utf8')));
}

/**
 * A quote as the test reads it: one line, `...` as `…`. Entra's own words start at an AADSTS
 * code and pass through unchanged (docs/authentication.md): only what comes before is checked.
 */
function asQuote(raw: string): string {
  const text = flat(raw)
    .replace(/\.\.\./g, '…')
    .trim();
  const service = /AADSTS\d+/.exec(text);
  return service ? `${text.slice(0, service.index)}…` : text;
}

/** Whether a quote keeps any words of the action once its elisions are set aside. */
const hasWords = (quote: string) => /\p{L}{2,}/u.test(quote);

/** A cell's code spans: `a \| b` is `a | b` in a table. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\\\|/g, '|'));
}

const splitRow = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/);

/**
 * The quotes of one Markdown page:
 * - in a table with a "you see" column, each code span of more than one word in that column;
 * - each line of a ```text block (a diagram, drawn with box characters, is not a log).
 */
export function quotesInDoc(file: string, text: string): Quote[] {
  const lines = text.split('\n');
  const quotes: Quote[] = [];
  const add = (raw: string, line: number) => {
    const quote = asQuote(raw);
    if (hasWords(quote)) quotes.push({ file, line, text: quote });
  };
  let fence: { marker: string; log: boolean; lines: [string, number][] } | undefined;
  let column: number | undefined;
  lines.forEach((line, i) => {
    const open = /^ {0,3}(`{3,}|~{3,})\s*(\S*)/.exec(line);
    if (fence) {
      if (open && open[1]!.startsWith(fence.marker) && !open[2]) {
        const block = fence.lines.map(([l]) => l).join('\n');
        if (fence.log && !/[│├└┌─]/.test(block)) {
          for (const [l, n] of fence.lines) if (l.trim()) add(l, n);
        }
        fence = undefined;
      } else fence.lines.push([line, i + 1]);
      return;
    }
    if (open) {
      fence = { marker: open[1]!, log: open[2] === 'text', lines: [] };
      return;
    }
    if (!line.trim().startsWith('|')) {
      column = undefined;
      return;
    }
    const cells = splitRow(line);
    if (column === undefined) {
      const header = cells.findIndex((c) => /\byou see\b/i.test(c));
      const separator = lines[i + 1] ?? '';
      if (header >= 0 && /^\s*\|?\s*:?-{3,}/.test(separator)) column = header;
      return;
    }
    for (const span of codeSpans(cells[column] ?? '')) if (/\S\s+\S/.test(span)) add(span, i + 1);
  });
  return quotes;
}

/** The quotes of the README, CONTRIBUTING and docs/*.md. */
export function quotesInDocs(root: string): Quote[] {
  const pages = projectPages(root, ['README.md', 'CONTRIBUTING.md']);
  return pages.flatMap((page) => quotesInDoc(page, readFileSync(join(root, page), 'utf8')));
}

// --- Matching --------------------------------------------------------------------------------

/** A token of a quote (a character, or GAP for `…`) or of a message (a character, or HOLE). */
const GAP = null;
type Token = string | null;

const tokens = (parts: Part[]): Token[] => parts.flatMap((p) => (p === HOLE ? [HOLE] : [...p]));
const words = (text: string) => text.match(/\p{L}{3,}/gu) ?? [];
const isLetter = (t: Token) => t !== null && /\p{L}/u.test(t);
const isSpace = (t: Token) => t === ' ';
const QUOTE_MARKS = new Set(["'", '"', '`']);

/**
 * A value that reads as data, not prose: it has a digit or punctuation (`59m59s`,
 * `(ECONNREFUSED)`, `NotFound:`), or capitals inside (`API`). A plain word is prose, `…` or not.
 */
function isData(value: Token[]): boolean {
  const text = value.filter((t) => t !== GAP).join('');
  return /[^\p{L}]/u.test(text) || /.\p{Lu}/u.test(text);
}

/**
 * Quotes against the code's messages. Each message that matches part of a quote must say
 * something there: three letters in a row of its own text line up with the quote's.
 */
export class MessageIndex {
  private readonly messages: { parts: Part[]; tokens: Token[]; words: Set<string> }[];

  constructor(messages: CodeMessage[]) {
    this.messages = messages.map((m) => ({
      parts: m.parts,
      tokens: tokens(m.parts),
      words: new Set(m.parts.flatMap((p) => (p === HOLE ? [] : words(p)))),
    }));
  }

  /** Whether the code could print the quote (`…` in it elides anything). */
  matches(quote: string): boolean {
    return new QuoteMatch(this.messages, quote).matches();
  }

  /** The message that reads most like the quote, with `…` for its holes, for a failure. */
  closest(quote: string): string {
    const quoted = new Set(words(quote));
    let best: { text: string; shared: number; distance: number } | undefined;
    for (const m of this.messages) {
      const text = m.parts.map((p) => (p === HOLE ? '…' : p)).join('');
      const shared = [...m.words].filter((w) => quoted.has(w)).length;
      if (best && shared < best.shared) continue;
      const d = distance(text, quote);
      if (!best || shared > best.shared || d < best.distance) best = { text, shared, distance: d };
    }
    return best?.text ?? '';
  }
}

/** One quote's match against the messages, memoized by position. */
class QuoteMatch {
  private readonly q: Token[];
  private readonly candidates: Token[][];
  private readonly ends = new Map<string, Set<number>>();
  private readonly holeEnds = new Map<string, Set<number>>();

  constructor(messages: { tokens: Token[]; words: Set<string> }[], quote: string) {
    // The quote is an excerpt: whatever the message says before and after it is elided.
    this.q = [GAP, ...[...quote].map((c) => (c === '…' ? GAP : c)), GAP];
    // A message that shares no word with the quote cannot say three letters of it.
    const quoted = new Set(words(quote));
    this.candidates = messages
      .filter((m) => [...m.words].some((w) => quoted.has(w)))
      .map((m) => m.tokens);
  }

  matches(): boolean {
    return this.sequence(0, 'top').has(this.q.length);
  }

  /**
   * Where a run of segments from `start` can end: messages, spaces, and values (no space) that
   * read as data. At the top, at least one message. In a hole, anything but two data values
   * side by side without a message; and a hole the message quotes (`'${id}'`) may hold one plain
   * word (`'soon'`). Prose anywhere else is the code's to say.
   */
  private sequence(start: number, where: 'top' | 'hole' | 'quoted hole'): Set<number> {
    const q = this.q;
    const ends = new Set<number>();
    // State: position, a message seen, data values (0, 1, 2+).
    const seen = new Set<string>();
    const stack: [number, boolean, number][] = [[start, false, 0]];
    while (stack.length > 0) {
      const state = stack.pop()!;
      const key = state.join();
      if (seen.has(key)) continue;
      seen.add(key);
      const [pos, message, data] = state;
      if (where === 'top' ? message : message || data <= 1) ends.add(pos);
      if (pos >= q.length) continue;
      if (isSpace(q[pos]!)) stack.push([pos + 1, message, data]);
      for (let end = pos + 1; end <= q.length && !isSpace(q[end - 1]!); end++) {
        const value = q.slice(pos, end);
        if (!value.some(isLetter)) stack.push([end, message, data]);
        else if (isData(value)) stack.push([end, message, Math.min(2, data + 1)]);
        else if (where === 'quoted hole' && pos === start) ends.add(end);
      }
      for (let m = 0; m < this.candidates.length; m++) {
        for (const end of this.messageEnds(m, pos)) if (end > pos) stack.push([end, true, data]);
      }
    }
    return ends;
  }

  /** Where the quote can end when message `m` starts at `start` and is read to its end. */
  private messageEnds(m: number, start: number): Set<number> {
    const key = `${m}:${start}`;
    const known = this.ends.get(key);
    if (known) return known;
    const ends = new Set<number>();
    // Set first: a message that reaches itself through its holes matches nothing more there.
    this.ends.set(key, ends);
    const q = this.q;
    const t = this.candidates[m]!;
    // State: quote position, message position, letters in a row matched (3: it says something).
    const seen = new Set<number>();
    const stack: [number, number, number][] = [[start, 0, 0]];
    const width = t.length + 1;
    while (stack.length > 0) {
      const [qi, ti, run] = stack.pop()!;
      const id = (qi * width + ti) * 4 + run;
      if (seen.has(id)) continue;
      seen.add(id);
      const said = run === 3 ? 3 : 0;
      if (ti === t.length) {
        if (run === 3) ends.add(qi);
        continue;
      }
      const token = t[ti]!;
      if (qi < q.length && q[qi] === GAP) {
        stack.push([qi, ti + 1, said]); // the `…` elides this token of the message
        stack.push([qi + 1, ti, run]); // the `…` ends here
      }
      if (token === HOLE) {
        stack.push([qi, ti + 1, said]); // an empty hole
        const quoted = QUOTE_MARKS.has(t[ti - 1] ?? '') && t[ti - 1] === t[ti + 1];
        for (const end of this.holeContents(qi, quoted)) {
          if (end > qi) stack.push([end, ti + 1, said]);
        }
      } else if (qi < q.length && q[qi] === token) {
        stack.push([qi + 1, ti + 1, run === 3 ? 3 : isLetter(token) ? run + 1 : 0]);
      }
    }
    return ends;
  }

  /** Where a hole's content starting at `start` can end. */
  private holeContents(start: number, quoted: boolean): Set<number> {
    const key = `${start}:${quoted}`;
    const known = this.holeEnds.get(key);
    if (known) return known;
    const ends = new Set<number>();
    this.holeEnds.set(key, ends);
    for (const end of this.sequence(start, quoted ? 'quoted hole' : 'hole')) ends.add(end);
    return ends;
  }
}
