/**
 * SAS URIs of VHDs. The query of a SAS URI is its credential: nothing here returns it except
 * `sasUris`, which finds URIs to mask. What is shown is `account/container/blob`. Pure.
 */

/** Where a blob is: what may be shown, and a key that is equal for the same blob. */
export interface BlobLocation {
  /** `account/container/blob`. */
  shown: string;
  /** Lower-case host and the path: the same blob whatever its SAS token. */
  key: string;
}

// `{account}.blob.{cloud suffix}`: storage account names are 3–24 lower-case letters and digits.
const BLOB_HOST = /^([a-z0-9]{3,24})\.blob\.[a-z0-9.-]+$/i;

/** The blob a URL names (any scheme, query ignored), or undefined when it is not a blob URL. */
export function blobLocation(uri: string): BlobLocation | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const account = BLOB_HOST.exec(url.hostname)?.[1];
  const [container, ...rest] = url.pathname.split('/').filter(Boolean);
  if (!account || !container || rest.length === 0) return undefined;
  return {
    shown: `${account.toLowerCase()}/${container}/${rest.join('/')}`,
    key: `${url.hostname.toLowerCase()}${url.pathname}`,
  };
}

// A URI with a query. http too: a SAS sent over http is no less a secret.
const URI_WITH_QUERY = /https?:\/\/[^\s"'<>?]+\?[^\s"'<>]+/gi;

/**
 * Every http(s) URI with a query in a raw text (a `vm-image` value, a resources file), distinct,
 * to mask before anything is printed, whether or not the text parses.
 */
export function sasUris(raw: string): string[] {
  return [...new Set(raw.match(URI_WITH_QUERY) ?? [])];
}

/** The text with the query of every http(s) URI hidden (`?…`): it may be a SAS token. */
export function hideQueries(text: string): string {
  return text.replace(/(https?:\/\/[^\s"'<>?]+)\?[^\s"'<>]*/gi, '$1?…');
}
