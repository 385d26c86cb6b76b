/**
 * What dist/ weighs, and what it is made of. ncc keeps no module paths for CommonJS modules (ids are
 * numbers), only for concatenated ES modules and for CommonJS modules an ES module imports
 * (`// CONCATENATED MODULE: path`, `// EXTERNAL MODULE: path`). Every other module is attributed by
 * its source lines: each line is looked up among the files of the installed production packages,
 * and the package with most matching lines wins. undici's copies are told apart by the require
 * graph (each copy is one connected part) and by their global-dispatcher symbol, so they are found
 * even when node_modules no longer holds the version that was bundled.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface PackageShare {
  /** name@version */
  package: string;
  bytes: number;
  modules: number;
  /** Of those, bytes in chunks loaded on demand (`import()`), not at start. */
  lazyBytes: number;
  /** How many times its most repeated module is in the bundle (2: bundled twice). */
  copies: number;
  /** Bytes of modules that repeat another module of the same package version. */
  duplicateBytes: number;
}

export interface Size {
  files: { file: string; bytes: number }[];
  totalBytes: number;
  /** sha256 of dist/index.js, first 12 hex digits: which bundle was measured. */
  indexSha: string;
  modules: number;
  /** Distinctive source markers of undici, counted in dist/*.js. */
  undiciMarkers: Record<string, number>;
  /** undici as bundled, one entry per copy. */
  undici: { copy: string; modules: number; bytes: number }[];
  /** Packages bundled in more than one version, or more than once in one version. */
  duplicated: { name: string; versions: string[]; bytes: number; duplicateBytes: number }[];
  /** The largest packages, most bytes first. */
  biggest: PackageShare[];
  /** Bytes no package could be found for (webpack runtime, glue, unmatched modules). */
  unattributedBytes: number;
  /** The largest of those, with their first line of code, to see what they are. */
  unattributedLargest: { module: string; bytes: number; firstLine: string }[];
  /** Bytes attributed by ncc's path comments, and by source lines. */
  attributedBy: { comment: number; lines: number };
}

interface Segment {
  /** Loaded at start (dist/index.js) or on demand (a chunk). */
  lazy: boolean;
  /** A CommonJS module id, when the segment is one (ids are global across dist/*.js). */
  id?: string;
  /** A module path from ncc's comments. */
  path?: string;
  text: string;
  bytes: number;
  /** name@version, once attributed. */
  pkg?: string;
}

interface Installed {
  dir: string;
  name: string;
  version: string;
}

const MODULE_START = /^\/\*\*\*\/ (\d+):$/;
const CONCATENATED = /^;?\/\/ CONCATENATED MODULE: (\S+)/;
const EXTERNAL =
  /^\/\/ EXTERNAL MODULE: (\.\/\S+)\nvar \w+ = __(?:nccwpck|webpack)_require__\((\d+)\);/gm;
const REQUIRE = /__(?:nccwpck|webpack)_require__\((\d+)\)/g;
const GLOBAL_DISPATCHER_8 = "Symbol.for('undici.globalDispatcher.2')";
const GLOBAL_DISPATCHER_6 = "const globalDispatcher = Symbol.for('undici.globalDispatcher.1')";

/** Splits a bundle into CommonJS modules and concatenated ES modules; runtime lines stay apart. */
function segments(text: string, lazy: boolean): Segment[] {
  type Open = Omit<Segment, 'bytes' | 'lazy'>;
  const out: Segment[] = [];
  let current: Open = { text: '' };
  const flush = (next: Open) => {
    if (current.text) out.push({ ...current, lazy, bytes: Buffer.byteLength(current.text) });
    current = next;
  };
  for (const line of text.split('\n')) {
    const start = MODULE_START.exec(line);
    const concatenated = CONCATENATED.exec(line);
    if (start) flush({ id: start[1]!, text: '' });
    else if (concatenated) flush({ path: concatenated[1]!, text: '' });
    else if (line.startsWith('/******/') && (current.id || current.path)) flush({ text: '' });
    current.text += `${line}\n`;
  }
  flush({ text: '' });
  return out;
}

/** The production dependency closure as installed (Node's resolution: nested folders first). */
function productionPackages(): Installed[] {
  const found = new Map<string, Installed>();
  const readPkg = (dir: string) =>
    JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version?: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
  const resolve = (from: string, name: string): string | undefined => {
    for (let dir = from; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate;
      if (dir === ROOT || dirname(dir) === dir) return undefined;
    }
  };
  const visit = (dir: string) => {
    const pkg = readPkg(dir);
    const names = Object.keys({
      ...pkg.dependencies,
      ...pkg.optionalDependencies,
      ...pkg.peerDependencies,
    });
    for (const name of names) {
      const child = resolve(dir, name);
      if (!child || found.has(child)) continue;
      found.set(child, { dir: child, name, version: readPkg(child).version ?? '?' });
      visit(child);
    }
  };
  visit(ROOT);
  return [...found.values()];
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.[cm]?js$/.test(entry.name)) yield path;
  }
}

/** Lines worth matching: long enough to be distinctive, untouched by the bundler. */
const usable = (line: string) => line.length >= 20 && !line.includes('_require__');

/** name@version of the package a bundled path (`./node_modules/…`) belongs to. */
function packageOfPath(path: string, installed: Installed[]): string {
  const i = path.lastIndexOf('node_modules/');
  if (i < 0) return path.startsWith('./src/') ? 'src (this action)' : path;
  const rest = path.slice(i + 'node_modules/'.length).split('/');
  const name = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  const dir = join(ROOT, path.slice(2, i + 'node_modules/'.length), name);
  const version =
    installed.find((p) => p.dir === dir)?.version ??
    installed.find((p) => p.name === name)?.version ??
    '?';
  return `${name}@${version}`;
}

/** Sets `pkg` on every segment that can be attributed; returns the bytes attributed each way. */
function attribute(all: Segment[], texts: string[], installed: Installed[]) {
  const idPaths = new Map<string, string>();
  for (const text of texts) for (const m of text.matchAll(EXTERNAL)) idPaths.set(m[2]!, m[1]!);
  const by = { comment: 0, lines: 0 };
  for (const s of all) {
    const path = s.path ?? (s.id ? idPaths.get(s.id) : undefined);
    if (!path) continue;
    s.pkg = packageOfPath(path, installed);
    by.comment += s.bytes;
  }

  // Line votes for the rest: index only the lines those modules contain.
  const unknown = all.filter((s) => s.id && !s.pkg);
  const wanted = new Set<string>();
  for (const s of unknown) {
    for (const raw of s.text.split('\n')) if (usable(raw.trim())) wanted.add(raw.trim());
  }
  const owners = new Map<string, Set<string>>();
  for (const pkg of installed) {
    const key = `${pkg.name}@${pkg.version}`;
    for (const file of sourceFiles(pkg.dir)) {
      for (const raw of readFileSync(file, 'utf8').split('\n')) {
        const line = raw.trim();
        if (!wanted.has(line)) continue;
        const set = owners.get(line) ?? new Set<string>();
        owners.set(line, set.add(key));
      }
    }
  }
  for (const s of unknown) {
    const votes = new Map<string, number>();
    for (const line of new Set(s.text.split('\n').map((l) => l.trim()))) {
      const set = owners.get(line);
      if (set) for (const p of set) votes.set(p, (votes.get(p) ?? 0) + 1 / set.size);
    }
    const best = [...votes].sort((a, b) => b[1] - a[1])[0];
    if (best && best[1] >= 1) {
      s.pkg = best[0];
      by.lines += s.bytes;
    }
  }
  return by;
}

/**
 * undici's copies: the connected parts of the require graph among its modules, each labelled by
 * its global-dispatcher symbol (and the installed version of that major, if there is one).
 */
function undiciCopies(all: Segment[], installed: Installed[]): Size['undici'] {
  const isUndici = (s: Segment) => s.pkg?.startsWith('undici@') ?? false;
  // A module only undici requires is undici's (its llhttp wasm, when that version is not installed).
  const requirers = new Map<string, Segment[]>();
  for (const s of all) {
    for (const m of s.text.matchAll(REQUIRE))
      requirers.set(m[1]!, [...(requirers.get(m[1]!) ?? []), s]);
  }
  for (const s of all) {
    const by = requirers.get(s.id ?? '') ?? [];
    const external = s.text.includes('__WEBPACK_EXTERNAL_createRequire');
    if (s.id && !s.pkg && !external && by.length > 0 && by.every(isUndici)) s.pkg = 'undici@?';
  }
  const mods = all.filter((s) => s.id && isUndici(s));
  const parent = new Map(mods.map((s) => [s.id!, s.id!]));
  const find = (id: string): string => {
    const up = parent.get(id)!;
    if (up === id) return id;
    const root = find(up);
    parent.set(id, root);
    return root;
  };
  for (const s of mods) {
    for (const m of s.text.matchAll(REQUIRE)) {
      if (parent.has(m[1]!)) parent.set(find(m[1]!), find(s.id!));
    }
  }
  const parts = new Map<string, Segment[]>();
  for (const s of mods) parts.set(find(s.id!), [...(parts.get(find(s.id!)) ?? []), s]);
  const installedOf = (majors: string[]) =>
    installed.find((p) => p.name === 'undici' && majors.includes(p.version.split('.')[0]!))
      ?.version;
  return [...parts.values()]
    .map((part) => {
      const has = (needle: string) => part.some((s) => s.text.includes(needle));
      const majors = has(GLOBAL_DISPATCHER_8) ? ['8'] : has(GLOBAL_DISPATCHER_6) ? ['6', '7'] : [];
      const version = majors.length ? (installedOf(majors) ?? `${majors.join('/')}.x`) : '';
      const label = version ? `undici@${version}` : 'undici (loose modules)';
      for (const s of part) s.pkg = label;
      return { copy: label, modules: part.length, bytes: part.reduce((a, s) => a + s.bytes, 0) };
    })
    .sort((a, b) => b.bytes - a.bytes);
}

function shares(all: Segment[]): PackageShare[] {
  const acc = new Map<
    string,
    { bytes: number; lazy: number; modules: number; seen: Map<string, number>; dup: number }
  >();
  for (const s of all) {
    if (!s.pkg) continue;
    const share = acc.get(s.pkg) ?? { bytes: 0, lazy: 0, modules: 0, seen: new Map(), dup: 0 };
    acc.set(s.pkg, share);
    share.bytes += s.bytes;
    if (s.lazy) share.lazy += s.bytes;
    share.modules++;
    const body = s.text.replace(REQUIRE, 'R').replace(/^\/\*\*\*\/ \d+:\n/, '');
    const hash = createHash('sha1').update(body).digest('hex');
    const seen = share.seen.get(hash) ?? 0;
    if (seen > 0) share.dup += s.bytes;
    share.seen.set(hash, seen + 1);
  }
  return [...acc]
    .map(([pkg, s]) => ({
      package: pkg,
      bytes: s.bytes,
      lazyBytes: s.lazy,
      modules: s.modules,
      copies: Math.max(...s.seen.values()),
      duplicateBytes: s.dup,
    }))
    .sort((a, b) => b.bytes - a.bytes);
}

function duplicatedPackages(list: PackageShare[]): Size['duplicated'] {
  const byName = new Map<string, PackageShare[]>();
  for (const share of list) {
    const name = share.package.slice(0, share.package.lastIndexOf('@'));
    if (name) byName.set(name, [...(byName.get(name) ?? []), share]);
  }
  return [...byName]
    .filter(([, versions]) => versions.length > 1 || versions.some((v) => v.copies > 1))
    .map(([name, versions]) => ({
      name,
      versions: versions.map(
        (v) => `${v.package.slice(name.length + 1)}${v.copies > 1 ? ` ×${v.copies}` : ''}`,
      ),
      bytes: versions.reduce((a, v) => a + v.bytes, 0),
      duplicateBytes: versions.reduce((a, v) => a + v.duplicateBytes, 0),
    }))
    .sort((a, b) => b.bytes - a.bytes);
}

function firstCodeLine(text: string): string {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('/***/') && !l.startsWith('/******/') && !l.startsWith('//'));
  return (line ?? '').slice(0, 80);
}

export function measureSize(dist = join(ROOT, 'dist')): Size {
  const files = readdirSync(dist)
    .map((file) => ({ file, bytes: statSync(join(dist, file)).size }))
    .sort((a, b) => b.bytes - a.bytes);
  const bundles = files
    .filter((f) => f.file.endsWith('.js'))
    .map((f) => ({ lazy: f.file !== 'index.js', text: readFileSync(join(dist, f.file), 'utf8') }));
  const texts = bundles.map((b) => b.text);
  const installed = productionPackages();
  const all = bundles.flatMap((b) => segments(b.text, b.lazy));
  const attributedBy = attribute(all, texts, installed);
  const undici = undiciCopies(all, installed);
  const list = shares(all);
  const allText = texts.join('\n');
  const count = (needle: string) => allText.split(needle).length - 1;
  return {
    files,
    totalBytes: files.reduce((a, f) => a + f.bytes, 0),
    indexSha: createHash('sha256')
      .update(readFileSync(join(dist, 'index.js')))
      .digest('hex')
      .slice(0, 12),
    modules: all.filter((s) => s.id || s.path).length,
    undiciMarkers: {
      [`undici 6/7: ${GLOBAL_DISPATCHER_6}`]: count(GLOBAL_DISPATCHER_6),
      [`undici 8: ${GLOBAL_DISPATCHER_8}`]: count(
        `const globalDispatcher = ${GLOBAL_DISPATCHER_8}`,
      ),
      'class Client extends DispatcherBase': count('class Client extends DispatcherBase'),
      'llhttp wasm (base64 "AGFzbQ")': count('AGFzbQ'),
    },
    undici,
    duplicated: duplicatedPackages(list),
    biggest: list.slice(0, 15),
    unattributedBytes: all.filter((s) => !s.pkg).reduce((a, s) => a + s.bytes, 0),
    unattributedLargest: all
      .filter((s) => !s.pkg)
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 5)
      .map((s) => ({
        module: s.id ?? s.path ?? '(runtime and glue)',
        bytes: s.bytes,
        firstLine: firstCodeLine(s.text),
      })),
    attributedBy,
  };
}
