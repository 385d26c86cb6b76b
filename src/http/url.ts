/**
 * The address of one API call: the base URL (with any path prefix), the ids as path segments,
 * then the query. Both publishing APIs build every address this way.
 */

/**
 * `base` + `/segment/segment…` + `?name=value&…`. Each segment is encoded whole, so an id with a
 * space or a slash stays one segment; a trailing slash on the base is ignored. The query keeps the
 * order given; its names are the API's own spelling (`$version` with its `$`) and are sent as
 * written, its values are encoded. A query on the base itself is replaced.
 */
export function apiUrl(
  base: URL,
  segments: readonly string[],
  query: Readonly<Record<string, string>>,
): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${segments.map(encodeURIComponent).join('/')}`;
  url.search = Object.entries(query)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return url;
}
