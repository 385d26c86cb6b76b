/**
 * Writing an offer's export (`core/configure/export.ts`) to the workspace: each file under the
 * folder, directories made as needed, a file whose text is already that text left untouched (so
 * its time stamp and the git diff stay quiet). No path leaves the folder, through `..` or through
 * a link already in it. With several offers each writes to `<folder>/<offerId>/`, as it ends.
 */
import { lstat, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { safeSegment } from '../core/configure/export-paths.js';
import { exportOffer, type ExportFile } from '../core/configure/export.js';
import type { End } from '../core/end.js';
import type { OfferChanges } from '../adapters/adapter.js';
import type { CallOptions } from '../http/client.js';
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

/** What exporting one offer needs: its adapter's changes, where to write, and the log. */
export interface ExportStep {
  offerId: string;
  changes: OfferChanges;
  /** The folder, resolved against the workspace. */
  folder: string;
  /** The folder as the user wrote it, for messages. */
  shownFolder: string;
  target: 'draft' | 'preview' | 'live';
  /** Several offers: each in its own sub-folder. */
  several: boolean;
  call(): CallOptions;
  info(message: string): void;
  warning(message: string): void;
}

/** `export`: the offer's resources (the target's), written as files; nothing is sent. */
export async function exportStep(step: ExportStep): Promise<End> {
  const tree = await step.changes.readDraft(step.call(), step.target);
  const { files, notes } = exportOffer(tree.resources, tree.product, { target: step.target });
  for (const note of notes) step.warning(note);
  const written = await writeExport(
    step.folder,
    files,
    step.several ? { offerId: step.offerId } : {},
  );
  const where = relative(step.folder, written.folder);
  const shown = where ? `${step.shownFolder}/${where}` : step.shownFolder;
  step.info(
    `Export: ${files.length} files under ${shown}` +
      `${written.written.length ? `; written: ${written.written.join(', ')}` : '; none changed'}.`,
  );
  if (written.stale.length > 0) {
    step.warning(
      `Export: ${shown} holds ${written.stale.length} JSON ${written.stale.length === 1 ? 'file' : 'files'} ` +
        `the offer no longer has (${written.stale.slice(0, 10).join(', ')}${written.stale.length > 10 ? ', …' : ''}): ` +
        'left in place; remove them, or resources read back from the folder sends them as new resources.',
    );
  }
  return {
    kind: 'exported',
    target: step.target,
    folder: shown,
    files: files.length,
    written: written.written.length,
  };
}
