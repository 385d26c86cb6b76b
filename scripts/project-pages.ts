/**
 * The project's Markdown pages that `npm run links` and the docs-messages test read: the named
 * top-level pages, then every `docs/*.md`, in name order.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function projectPages(root: string, top: readonly string[]): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return [...top, ...docs];
}
