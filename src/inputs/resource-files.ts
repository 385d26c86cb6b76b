/**
 * The `resources` input's files, read and checked before anything is sent: each pattern names at
 * least one file; each file is JSON holding a resource, a list of resources, or a whole configure
 * body; each resource has its `$schema` on the schema host the service takes. Every problem is an
 * input error naming the file and, for bad JSON, the line and column.
 */
import { glob, readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { FileResource, Resource } from '../core/configure/types.js';
import { InputError } from './index.js';

/** A resource file larger than this is a mistake (a whole offer's tree is far smaller). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const SCHEMA_HOST = 'https://schema.mp.microsoft.com/schema/';
const RETIRED_HOST = 'product-ingestion.azureedge.net';

const problem = (message: string) => new InputError('resources', message);

/** Every resource of the files the patterns name, in the order given (globs sorted). */
export async function readResourceFiles(
  patterns: readonly string[],
  workspace: string,
): Promise<FileResource[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    const found = await filesOf(pattern, workspace);
    if (found.length === 0) {
      throw problem(
        `'${pattern}' names no file (looked in ${workspace}). Give a path or a glob relative to ` +
          'the workspace, one per line.',
      );
    }
    for (const file of found) if (!files.includes(file)) files.push(file);
  }
  const resources: FileResource[] = [];
  for (const file of files) resources.push(...(await resourcesOf(file, workspace)));
  return resources;
}

async function filesOf(pattern: string, workspace: string): Promise<string[]> {
  if (!/[*?[{]/.test(pattern)) {
    const path = resolve(workspace, pattern);
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? [path] : [];
  }
  const found: string[] = [];
  for await (const entry of glob(pattern, { cwd: workspace })) {
    const path = isAbsolute(entry) ? entry : resolve(workspace, entry);
    if ((await stat(path).catch(() => undefined))?.isFile()) found.push(path);
  }
  return found.sort();
}

async function resourcesOf(path: string, workspace: string): Promise<FileResource[]> {
  const file = relative(workspace, path) || path;
  const info = await stat(path);
  if (info.size > MAX_FILE_BYTES) {
    throw problem(`${file} is ${info.size} bytes; a resource file holds at most 4 MiB.`);
  }
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw problem(`${file} is not JSON: ${jsonError(error, text)}.`);
  }
  const { list, body } = listOf(json);
  if (!list) {
    throw problem(
      `${file} holds ${describe(json)}: expected a resource (an object with its $schema), a list ` +
        'of resources, or a configure body {"$schema": …/configure/…, "resources": […]}.',
    );
  }
  if (list.length === 0) throw problem(`${file} holds no resource.`);
  return list.map((resource, index) => {
    const where = body || list.length > 1 ? `${file} (resource ${index + 1})` : file;
    return {
      file,
      index: body || list.length > 1 ? index + 1 : 0,
      resource: checked(resource, where),
    };
  });
}

/** The resources a file's JSON holds, and whether it was a configure body. */
function listOf(json: unknown): { list?: unknown[]; body: boolean } {
  if (Array.isArray(json)) return { list: json, body: false };
  if (!json || typeof json !== 'object') return { body: false };
  const o = json as Record<string, unknown>;
  if (typeof o.$schema === 'string' && o.$schema.includes('/configure/')) {
    return Array.isArray(o.resources) ? { list: o.resources, body: true } : { body: true };
  }
  return { list: [json], body: false };
}

function checked(resource: unknown, where: string): Resource {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
    throw problem(`${where} is ${describe(resource)}, not a resource object.`);
  }
  const schema = (resource as Resource).$schema;
  if (typeof schema !== 'string' || schema.trim() === '') {
    throw problem(
      `${where} has no $schema. Every resource names its schema, e.g. ` +
        `"${SCHEMA_HOST}listing/2022-07-01".`,
    );
  }
  if (schema.includes(RETIRED_HOST)) {
    throw problem(
      `${where} uses the retired schema host ${RETIRED_HOST}, which the service refuses; use ` +
        `${SCHEMA_HOST}… instead.`,
    );
  }
  if (!schema.startsWith(SCHEMA_HOST)) {
    throw problem(
      `${where}: $schema '${schema}' is not a product-ingestion schema (${SCHEMA_HOST}…).`,
    );
  }
  if (schema.includes('/schema/submission/')) {
    throw problem(
      `${where} is a submission: publishing is what publish: true (and go-live: true) do; keep ` +
        'only the resources that change the offer in the file.',
    );
  }
  return resource as Resource;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Where the JSON goes wrong, as a person reads it: what (`unexpected value`) and where (line and
 * column). `JSON.parse` no longer says where; jsonc-parser, in strict mode, does.
 */
function jsonError(error: unknown, text: string): string {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false });
  const [first] = errors;
  if (!first) return error instanceof Error ? error.message : String(error);
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${what} at line ${line}, column ${column}`;
}
