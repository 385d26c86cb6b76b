/**
 * The links and anchors of a Markdown file, read the way GitHub renders it, for
 * `npm run links` (scripts/check-links.ts). Pure: text in, links and anchors out.
 */

/** One link as written: its target and the line it is on (1-based). */
export interface Link {
  target: string;
  line: number;
}

/**
 * The text with fenced code blocks and inline code spans blanked out (same length, same line
 * breaks), so a link or heading shown as code is not read as one.
 */
export function withoutCode(text: string): string {
  // A code span: a run of backticks up to the next run of the same length (CommonMark).
  return withoutFences(text).replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (span) =>
    span.replace(/[^\n]/g, ' '),
  );
}

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, spaces to `-`. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** A heading's text as rendered: no markup, a link's text kept, code kept as its text. */
function rendered(heading: string): string {
  return heading
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*|\*|~~/g, '')
    .trim();
}

/**
 * Every anchor a link may name in the file: each heading's slug (a repeated one gets `-1`, `-2`,
 * as GitHub numbers them) and each `<a id>` / `<a name>`.
 */
export function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  // Headings are read with their code spans intact (their text is part of the anchor); only
  // fenced blocks are left out.
  const noFences = withoutFences(text);
  for (const line of noFences.split('\n')) {
    const heading = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!heading) continue;
    const base = slug(rendered(heading[1]!));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const a of withoutCode(text).matchAll(/<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi)) {
    found.add(a[1]!);
  }
  return found;
}

/** The text with only its fenced code blocks blanked out. */
function withoutFences(text: string): string {
  let fence: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (open && open[1]!.startsWith(fence)) fence = undefined;
        return '';
      }
      if (open) {
        fence = open[1]!;
        return '';
      }
      return line;
    })
    .join('\n');
}

/**
 * Every link target outside code: inline links and images `[text](target "title")`, reference
 * definitions `[name]: target`, and `href` / `src` of HTML tags.
 */
export function links(text: string): Link[] {
  const prose = withoutCode(text);
  const lineOf = (index: number) => prose.slice(0, index).split('\n').length;
  const found: Link[] = [];
  const patterns = [
    // `](target)` or `](<target>)`, with an optional title.
    /\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
    /^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)/gm,
    /<(?:a|img)\s[^>]*?\b(?:href|src)\s*=\s*["']([^"']*)["']/gi,
  ];
  for (const pattern of patterns) {
    for (const m of prose.matchAll(pattern)) {
      const target = m[1]!.replace(/^<|>$/g, '');
      found.push({ target, line: lineOf(m.index) });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** A link the checker leaves alone: another scheme (`https:`, `mailto:` …), or none at all. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//') || target === '';
}
