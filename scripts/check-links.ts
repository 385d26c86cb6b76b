/**
 * `npm run links` (CI runs it): every relative link in the README, CONTRIBUTING, the CHANGELOG
 * and docs/*.md leads somewhere. The file or folder exists, and a `#anchor` is a heading or an
 * `<a id>` of the page it names. Offline: http(s) and other schemes are not followed. Exits 1
 * listing each broken link.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchors, isExternal, links } from './markdown-links.js';
import { projectPages } from './project-pages.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The pages checked, relative to the repository root. */
const pages = projectPages(root, ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md']);

const anchorsOf = new Map<string, Set<string>>();
function pageAnchors(path: string): Set<string> {
  let found = anchorsOf.get(path);
  if (!found) {
    found = anchors(readFileSync(path, 'utf8'));
    anchorsOf.set(path, found);
  }
  return found;
}

/** Why the link is broken, or undefined when it leads somewhere. */
function broken(page: string, target: string): string | undefined {
  const hash = target.indexOf('#');
  const pathPart = (hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = pathPart
    ? join(
        pathPart.startsWith('/') ? root : dirname(join(root, page)),
        decodeURIComponent(pathPart),
      )
    : join(root, page);
  if (!existsSync(file)) return `${relative(root, file)} does not exist`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) {
    return `${relative(root, file)} is not a Markdown page, so it has no #${anchor}`;
  }
  if (!pageAnchors(file).has(anchor)) {
    return `${relative(root, file)} has no heading or <a id> for #${anchor}`;
  }
  return undefined;
}

const problems: string[] = [];
let checked = 0;
for (const page of pages) {
  for (const { target, line } of links(readFileSync(join(root, page), 'utf8'))) {
    if (isExternal(target)) continue;
    checked++;
    const why = broken(page, target);
    if (why) problems.push(`${page}:${line}: (${target}): ${why}`);
  }
}

if (problems.length > 0) {
  console.error(`${problems.length} broken link(s):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`Links: ${checked} relative link(s) in ${pages.length} pages all lead somewhere.`);
