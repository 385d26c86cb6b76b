/**
 * Writes dist/licenses.txt: the license of every production dependency (what the bundle can
 * contain). ncc's own `--license` output is wrong here: @azure/identity's lazily loaded `open`
 * chunk overwrites it with that one package's license.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';

interface LockPackage {
  version?: string;
  license?: string;
  dev?: boolean;
}

const root = new URL('../', import.meta.url);
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

const entries: string[] = [];
for (const [path, pkg] of Object.entries(lock.packages).sort(([a], [b]) => a.localeCompare(b))) {
  if (!path.startsWith('node_modules/') || pkg.dev) continue;
  const dir = new URL(`${path}/`, root);
  if (!existsSync(dir)) continue; // an optional dependency for another platform
  const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  const text = file
    ? readFileSync(new URL(file, dir), 'utf8').trim()
    : '(no license file in the package)';
  entries.push(`${name}@${pkg.version ?? ''}\n${pkg.license ?? ''}\n${text}`);
}
writeFileSync(new URL('dist/licenses.txt', root), `${entries.join('\n\n')}\n`);
console.log(`dist/licenses.txt: ${entries.length} production packages.`);
