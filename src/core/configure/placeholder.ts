/**
 * Secrets an export never writes, and the placeholders it writes instead: a SAS URI (its query is
 * its credential) becomes `<SAS URI of acct/container/blob: kept from the offer, …>`, any other
 * signed token or a field named like a password `<secret: kept from the offer, …>`. Read back, a
 * placeholder means "keep the draft's value" (`merge.ts`). Pure.
 */
import { isPlainObject } from './canonical.js';
import { blobLocation, sasUris } from './sas.js';

const SEE = 'see docs/offer-as-code.md#sas';
const SAS_PLACEHOLDER = /^<SAS URI of (.+): kept from the offer\b[^<>]*>$/s;
const SECRET_PLACEHOLDER = /^<secret: kept from the offer\b[^<>]*>$/;
// A SAS token's signature parameter, at the start of a query or a bare token.
const SIGNATURE = /(?:^|[?&;\s])sig=[^&\s]/i;
/** Fields whose string value is a credential (a registry password, a leads endpoint's secret). */
const SECRET_FIELD = /password|secret|connectionstring|accountkey|accesskey|apikey/i;

/** What a placeholder stands for: a SAS URI of a blob (`shown` form), or some other secret. */
export type Placeholder = { kind: 'sas'; where: string } | { kind: 'secret' };

export function sasPlaceholder(where: string): string {
  return `<SAS URI of ${where}: kept from the offer, ${SEE}>`;
}

export const SECRET_PLACEHOLDER_TEXT = `<secret: kept from the offer, ${SEE}>`;

/** The placeholder a value is, or undefined when it is a value of its own. */
export function parsePlaceholder(value: unknown): Placeholder | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const sas = SAS_PLACEHOLDER.exec(text);
  if (sas) return { kind: 'sas', where: sas[1]! };
  return SECRET_PLACEHOLDER.test(text) ? { kind: 'secret' } : undefined;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Whether a text carries a signature (`sig=`), as written or percent-decoded once. */
function signs(text: string): boolean {
  return SIGNATURE.test(text) || SIGNATURE.test(decoded(text));
}

/**
 * Where each signed http(s) URI in a text points, without its query: `account/container/blob` for
 * a blob, else `host/path`. Equal for the same blob whatever its token.
 */
export function signedLocations(text: string): string[] {
  return sasUris(text)
    .filter((uri) => signs(uri.slice(uri.indexOf('?'))))
    .map((uri) => blobLocation(uri)?.shown ?? withoutQuery(uri));
}

/** `host/path` of a URI that is not a blob's (a URI that does not parse: up to its query). */
function withoutQuery(uri: string): string {
  try {
    const url = new URL(uri);
    return `${url.hostname.toLowerCase()}${url.pathname}`;
  } catch {
    return uri.slice(0, uri.indexOf('?')).replace(/^https?:\/\//i, '');
  }
}

/**
 * The placeholder to write instead of a string, or undefined when the string may be written: a
 * signed URI names its blob; a signed token elsewhere, or the value of a field named like a
 * password, is a secret.
 */
export function placeholderFor(key: string | undefined, value: string): string | undefined {
  if (parsePlaceholder(value)) return undefined;
  const [where] = signedLocations(value);
  if (where !== undefined) return sasPlaceholder(where);
  if (signs(value)) return SECRET_PLACEHOLDER_TEXT;
  return key !== undefined && SECRET_FIELD.test(key) && value !== ''
    ? SECRET_PLACEHOLDER_TEXT
    : undefined;
}

/** Whether a text (an object key) holds a signed URI or token: it cannot be written at all. */
export function holdsSignature(text: string): boolean {
  return signs(text);
}

/** The path of the first placeholder in a value (`vmImages[0].source.osDisk.uri`), if any. */
export function findPlaceholder(value: unknown, path = ''): string | undefined {
  if (parsePlaceholder(value)) return path || '(the value)';
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findPlaceholder(item, `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findPlaceholder(item, path ? `${path}.${key}` : key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
