/** The action's documentation pages, by absolute URL: messages link them wherever they are read. */
const DOCS_BASE = 'https://github.com/contoso/azure-marketplace-release/blob/main/docs/';

/** `docs/<page>.md` on GitHub, e.g. `docsUrl('authentication')`. */
export function docsUrl(
  page: 'authentication' | 'apis' | 'safety' | 'tracking' | 'troubleshooting',
): string {
  return `${DOCS_BASE}${page}.md`;
}
