/**
 * Writing an offer's export (`core/configure/export.ts`) to the workspace: each file under the
 * folder, directories made as needed, a file whose text is already that text left untouched (so
 * its time stamp and the git diff stay quiet). No path leaves the folder, through `..` or through
 * a link already in it. With several offers each writes to `<folder>/<offerId>/`, as it ends.
 */
import { lstat, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { safeSegment } from '../core/configure/export-paths.js';
import type { ExportFile } from '../core/configure/export.js';
import { oneLine } from '../core/html.js';

export interface ExportWritten {
  /** The folder the offer's files are in: the one given, or its `<offerId>` sub-folder. */
  folder: string;
  /** Files written (new or changed), relative to `folder`, `/`-separated, sorted. */
  written: string[];
  /** Files that already held their text: not rewritten. */
  unchanged: string[];
  /**
   * `.json` files already in `folder` that the export does not hold (a plan removed since, a
   * renamed file): left alone, but read back as `resources` they would be sent.
   */
  stale: string[];
}

export interface ExportWriteOptions {
  /** With several offers: the offer's id, whose sub-folder (path-safe) holds its files. */
  offerId?: string;
}

/** Writes one offer's files under `folder`; what it wrote, for the log. */
export async function writeExport(
  folder: string,
  files: readonly ExportFile[],
  options: ExportWriteOptions = {},
): Promise<ExportWritten> {
  const seen = new Set<string>();
  for (const file of files) {
    checkPath(file.path);
    // Two paths one case-blind file system (Windows, macOS) would write to the same file.
    if (seen.size === seen.add(file.path.toLowerCase()).size) throw refused(file.path, 'is twice');
  }
  const base = resolve(folder);
  await mkdir(base, { recursive: true });
  const sub = options.offerId === undefined ? [] : [safeSegment(options.offerId)];
  await makeFolders(base, sub, sub.join(''));
  const root = join(base, ...sub);
  const result: ExportWritten = { folder: root, written: [], unchanged: [], stale: [] };
  for (const file of files) {
    const segments = file.path.split('/');
    await makeFolders(root, segments.slice(0, -1), file.path);
    const path = join(root, ...segments);
    const info = await lstat(path).catch(() => undefined);
    if (info?.isSymbolicLink()) throw refused(file.path, 'is a link, never written through');
    if (info && !info.isFile()) throw refused(file.path, 'is not a file');
    if (info && (await readFile(path, 'utf8')) === file.text) {
      result.unchanged.push(file.path);
      continue;
    }
    await writeWhole(path, file.text);
    result.written.push(file.path);
  }
  const exported = new Set(files.map((f) => f.path));
  result.stale = (await jsonFiles(root)).filter((p) => !exported.has(p));
  result.written.sort();
  result.unchanged.sort();
  return result;
}

/** A relative `/`-separated path of plain segments: no `..`, no root, no drive, no backslash. */
function checkPath(path: string): void {
  const segments = path.split('/');
  const bad =
    path === '' ||
    isAbsolute(path) ||
    /[\\\0]|^[A-Za-z]:/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw refused(path, 'is not a plain relative path: it could leave the folder');
}

/**
 * The file's folders under the root, made one by one: a link among them (a checked-out symlink)
 * could point anywhere, so it is refused before anything is made through it.
 */
async function makeFolders(root: string, folders: string[], shown: string): Promise<void> {
  let path = root;
  for (const folder of folders) {
    path = join(path, folder);
    const info = await lstat(path).catch(() => undefined);
    if (!info) await mkdir(path);
    else if (info.isSymbolicLink()) throw refused(shown, 'would be written through a link');
    else if (!info.isDirectory()) throw refused(shown, `needs folder '${folder}', which is a file`);
  }
}

function refused(path: string, why: string): Error {
  return new Error(
    `Export: file '${oneLine(path).slice(0, 200)}' ${why}; nothing more is written.`,
  );
}

/** Written next to the file, then moved over it: a cancelled step leaves no half-written file. */
async function writeWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Every `.json` file under the folder (links not followed), relative and `/`-separated. */
async function jsonFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
