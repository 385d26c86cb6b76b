/**
 * The `resources` input's files, read and checked before anything is sent: each pattern names at
 * least one file; each file is JSON holding a resource, a list of resources, or a whole configure
 * body; each resource has its `$schema` on the schema host the service takes (the retired host is
 * read as the current one, and said once). Every problem is an input error naming the file and,
 * for bad JSON, the line and column. Every URI with a query in a file may be a SAS URI: each is
 * handed to the caller to mask as soon as the file is read, before it is parsed.
 */
import { glob, readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { sasUris } from '../core/configure/sas.js';
import { currentSchema } from '../core/configure/schema.js';
import type { FileResource, Resource } from '../core/configure/types.js';
import { InputError } from './errors.js';

/** A resource file larger than this is a mistake (a whole offer's tree is far smaller). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const SCHEMA_HOST = 'https://schema.mp.microsoft.com/schema/';
const RETIRED_HOST = 'product-ingestion.azureedge.net';
/** Files named in the notice about the retired host; the rest are counted. */
const NAMED_FILES = 10;

const problem = (message: string) => new InputError('resources', message);

/** The resources of the files, and what the log should say about them (one line each). */
export interface ResourceFiles {
  resources: FileResource[];
  notices: string[];
}

/**
 * Every resource of the files the patterns name, in the order given (globs sorted). `mask` gets
 * every http(s) URI with a query in each file (a SAS URI, e.g. a `sasUri` source's `osDisk.uri`),
 * as written and as JSON decodes it, before anything about the file can be reported.
 */
export async function readResourceFiles(
  patterns: readonly string[],
  workspace: string,
  mask: (uri: string) => void,
): Promise<ResourceFiles> {
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
  const masked = new Set<string>();
  const maskOnce = (uri: string) => {
    if (masked.size === masked.add(uri).size) return;
    mask(uri);
  };
  const resources: FileResource[] = [];
  const retired: string[] = [];
  for (const path of files) {
    const file = await resourcesOf(path, workspace, maskOnce);
    resources.push(...file.resources);
    if (file.retired) retired.push(file.name);
  }
  return { resources, notices: retired.length ? [retiredNotice(retired)] : [] };
}

/** One line for the whole step: which files name the retired schema host, and what is sent. */
function retiredNotice(files: readonly string[]): string {
  const named = files.slice(0, NAMED_FILES).join(', ');
  const more = files.length > NAMED_FILES ? ` and ${files.length - NAMED_FILES} more` : '';
  return (
    `resources: ${files.length} ${files.length === 1 ? 'file names' : 'files name'} the retired ` +
    `schema host ${RETIRED_HOST} (${named}${more}); read as ` +
    `${SCHEMA_HOST.replace(/\/schema\/$/, '')}, which is what is sent.`
  );
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

/** One file's resources, and whether it named the retired schema host. */
async function resourcesOf(
  path: string,
  workspace: string,
  mask: (uri: string) => void,
): Promise<{ name: string; resources: FileResource[]; retired: boolean }> {
  const file = relative(workspace, path) || path;
  const info = await stat(path);
  if (info.size > MAX_FILE_BYTES) {
    throw problem(`${file} is ${info.size} bytes; a resource file holds at most 4 MiB.`);
  }
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  // Masked from the text as written, so a file that does not parse is masked too.
  for (const uri of sasUris(text)) mask(uri);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw problem(`${file} is not JSON: ${jsonError(error, text)}.`);
  }
  // And as JSON decodes them (`\/`, `\u0026`): the form that would reach a log line.
  for (const value of stringsOf(json)) for (const uri of sasUris(value)) mask(uri);
  const { list, body } = listOf(json);
  if (!list) {
    throw problem(
      `${file} holds ${describe(json)}: expected a resource (an object with its $schema), a list ` +
        'of resources, or a configure body {"$schema": …/configure/…, "resources": […]}.',
    );
  }
  if (list.length === 0) throw problem(`${file} holds no resource.`);
  let retired = body && isRetired((json as Record<string, unknown>).$schema);
  const resources = list.map((resource, index) => {
    const where = body || list.length > 1 ? `${file} (resource ${index + 1})` : file;
    const read = checked(resource, where);
    retired ||= read.retired;
    return {
      file,
      index: body || list.length > 1 ? index + 1 : 0,
      resource: read.resource,
    };
  });
  return { name: file, resources, retired };
}

/** Every string in a JSON value, without recursion: a deeply nested file cannot overflow the stack. */
function stringsOf(json: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [json];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) for (const inner of value) stack.push(inner);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) stack.push(key, inner);
    }
  }
  return found;
}

/** Whether a `$schema` is on the retired host, which `currentSchema` reads as the current one. */
function isRetired(schema: unknown): boolean {
  return typeof schema === 'string' && currentSchema(schema) !== schema;
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

/** The resource, its `$schema` on the current host; `retired` when the file named the old one. */
function checked(resource: unknown, where: string): { resource: Resource; retired: boolean } {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
    throw problem(`${where} is ${describe(resource)}, not a resource object.`);
  }
  const given = (resource as Resource).$schema;
  if (typeof given !== 'string' || given.trim() === '') {
    throw problem(
      `${where} has no $schema. Every resource names its schema, e.g. ` +
        `"${SCHEMA_HOST}listing/2022-07-01".`,
    );
  }
  // The service refuses the retired host; the same path on the current one is what was meant.
  const retired = isRetired(given);
  const schema = retired ? (currentSchema(given) as string) : given;
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
  const read = resource as Resource;
  return { resource: retired ? { ...read, $schema: schema } : read, retired };
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

/** The offer a resource names: its `product` reference by external id, or a product's identity. */
function offerNamed(resource: Resource): string | undefined {
  const ref = /\/schema\/product\//.test(String(resource.$schema))
    ? resource.identity
    : resource.product;
  if (ref && typeof ref === 'object' && !Array.isArray(ref)) {
    const externalId = (ref as { externalId?: unknown }).externalId;
    return typeof externalId === 'string' ? externalId : undefined;
  }
  return undefined;
}

/** `file (resource 2)`, as the user finds it. */
const where = (r: FileResource) => (r.index ? `${r.file} (resource ${r.index})` : r.file);

/**
 * The resources of each offer, checked before any request: a resource that names an offer by its
 * external id goes to that offer, and one naming an offer not in `offer-id` is an input error. With
 * one offer, a resource naming none (or a durable id) is that offer's; with several, every
 * resource names its offer.
 */
export function resourcesByOffer(
  resources: readonly FileResource[],
  offerIds: readonly string[],
): Map<string, FileResource[]> {
  const byOffer = new Map(offerIds.map((id) => [id, [] as FileResource[]]));
  const elsewhere: string[] = [];
  const unnamed: string[] = [];
  for (const r of resources) {
    const offer = offerNamed(r.resource);
    if (offer !== undefined && !byOffer.has(offer)) elsewhere.push(`${where(r)} (${offer})`);
    else if (offer !== undefined) byOffer.get(offer)!.push(r);
    else if (offerIds.length === 1) byOffer.get(offerIds[0]!)!.push(r);
    else unnamed.push(where(r));
  }
  const list = (items: string[]) =>
    `${items.slice(0, 10).join(', ')}${items.length > 10 ? `, and ${items.length - 10} more` : ''}`;
  if (elsewhere.length) {
    throw problem(
      `${list(elsewhere)} ${elsewhere.length === 1 ? 'names an offer' : 'name offers'} not in ` +
        `offer-id (${offerIds.join(', ')}). Add the offer to offer-id, or leave those files out.`,
    );
  }
  if (unnamed.length) {
    throw problem(
      `with several offers, each resource names its offer ("product": {"externalId": "<offer id>"}, ` +
        `or a product's identity); ${list(unnamed)} ${unnamed.length === 1 ? 'names' : 'name'} none.`,
    );
  }
  return byOffer;
}
