/**
 * Keeps secrets out of what the runner does not mask: outputs and the job summary. (`core.setSecret`
 * masks log lines only.) Besides the registered secrets it removes anything shaped like a bearer
 * token or a JWT, and every SAS signature, because error bodies echoed from a service can carry
 * tokens and SAS URIs we never saw (a job error quoting the VHD it could not read).
 */
import { blobLocation } from '../core/configure/sas.js';

const TOKEN_SHAPES = [
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
];

// A run of text a URI may span: up to a blank, a quote or an angle bracket, raw or as the
// summary's HTML escapes them. Each run is looked at once, so the pass stays linear whatever the
// text (a regex over the URI's parts could backtrack over a long hostile line).
const RUN = /(?:(?!&(?:quot|#39|lt|gt);)[^\s"'<>])+/g;
const SCHEME = /https?:\/\//i;
// A SAS signature among the query's parameters (`&amp;sig=` in HTML).
const SIGNED = /[?&;]sig=/i;
// Punctuation that ends the sentence around a URI rather than the URI.
const TRAILING = new Set(['.', ',', ':', '!', ')', ']', '}']);

/**
 * The text with every SAS URI shown as its account, container and blob (`acct/vhds/a.vhd`), and
 * the query of any other URI that carries a SAS signature (`sig=`) hidden (`https://host/path?…`).
 * Other URIs, queries included, stay as they are.
 */
export function hideSas(text: string): string {
  return text.replace(RUN, (run) => {
    const at = run.search(SCHEME);
    const query = at < 0 ? -1 : run.indexOf('?', at);
    if (query < 0) return run;
    let end = run.length;
    while (end > query + 1 && TRAILING.has(run[end - 1]!)) end--;
    const uri = run.slice(at, end);
    const rest = run.slice(query + 1, end);
    // Nothing to hide: an empty query, or one already hidden (a change's plan shows `?…`).
    if (rest === '' || rest === '…') return run;
    const blob = blobLocation(uri);
    if (blob) return run.slice(0, at) + blob.shown + run.slice(end);
    if (!SIGNED.test(uri)) return run;
    return `${run.slice(0, query)}?…${run.slice(end)}`;
  });
}

export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    // Very short values would blank out ordinary words; the runner makes the same trade-off.
    if (secret.trim().length >= 4) this.secrets.add(secret.trim());
  }

  redact(text: string): string {
    // SAS URIs first: shown as their blob, they no longer hold a registered secret to blank.
    let out = hideSas(text);
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out.replace(TOKEN_SHAPES[0]!, '$1***').replace(TOKEN_SHAPES[1]!, '***');
  }
}
