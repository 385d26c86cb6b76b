/**
 * The `vm-image` and `vm-image-version` inputs: parsing, describing a source for people, and the
 * API's `source` object. A SAS URI's query never reaches a message: sources are shown as
 * `gallery {gallery}/{image} {version}` or `VHD {account}/{container}/{blob}`. Pure.
 */
import { isPlainObject } from './canonical.js';
import { shown } from './display.js';
import { blobLocation } from './sas.js';
import { IMAGE_TYPES, type ImageType, type VmImageSource, type VmImageSpec } from './types.js';

export { sasUris } from './sas.js';

const DEFAULT_IMAGE_TYPE: ImageType = 'x64Gen2';

// An Azure Compute Gallery image version's resource id; ARM compares segment names without case.
const GALLERY_IMAGE_VERSION =
  /^\/subscriptions\/[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/([^/]+)\/images\/([^/]+)\/versions\/([^/]+)$/i;

const GALLERY_SHAPE =
  '/subscriptions/{subscription id}/resourceGroups/{group}/providers/Microsoft.Compute/galleries/{gallery}/images/{image}/versions/{version}';
const EXPECTED =
  `expected [imageType=]source: imageType ${IMAGE_TYPES.join(', ')} (default ${DEFAULT_IMAGE_TYPE}); ` +
  `source an Azure Compute Gallery image version id (${GALLERY_SHAPE}) or an https SAS URI of a VHD`;

const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;

/** `1.4.0`, or why not. */
export function parseVersion(raw: string): string | { error: string } {
  const version = raw.trim();
  if (VERSION.test(version)) return version;
  return {
    error: `vm-image-version '${shown(version, 40)}' is not major.minor.patch (digits only, e.g. 1.4.0)`,
  };
}

/** A version's lifecycle state a step may set: retire it, or (never published) delete it. */
type LifecycleState = 'deprecated' | 'deleted';

/** One entry of `vm-image-deprecate`: a version, and the state to give it. */
export interface LifecycleSpec {
  version: string;
  state: LifecycleState;
}

/**
 * `vm-image-deprecate`: versions comma- or newline-separated, each `1.2.0` (deprecated) or
 * `1.1.0=deleted` / `1.2.0=deprecated`; each version once.
 */
export function parseLifecycle(raw: string): { specs: LifecycleSpec[] } | { error: string } {
  const specs: LifecycleSpec[] = [];
  for (const item of raw
    .split(/[,\n]/)
    .map((v) => v.trim())
    .filter(Boolean)) {
    const [versionText, stateText = 'deprecated', ...rest] = item.split('=').map((p) => p.trim());
    const version = parseVersion(versionText ?? '');
    if (typeof version !== 'string') {
      return {
        error: `'${shown(item, 60)}': ${version.error.replace(/^vm-image-version /, 'version ')}`,
      };
    }
    const state = stateText.toLowerCase();
    if (rest.length > 0 || (state !== 'deprecated' && state !== 'deleted')) {
      return {
        error: `'${shown(item, 60)}' is not a version to retire: expected 1.2.0 (deprecated) or 1.2.0=deleted (a version never published)`,
      };
    }
    if (specs.some((s) => s.version === version)) {
      return { error: `version ${version} is listed twice: list each version once` };
    }
    specs.push({ version, state });
  }
  if (specs.length === 0) return { error: 'no version given' };
  return { specs };
}

/** One image per non-empty line, `[imageType=]source`; at most one line per image type. */
export function parseVmImages(raw: string): { images: VmImageSpec[] } | { error: string } {
  const images: VmImageSpec[] = [];
  const lineOfType = new Map<ImageType, number>();
  const lines = raw.split(/\r\n|\r|\n/);
  for (const [i, text] of lines.entries()) {
    const line = text.trim();
    if (!line) continue;
    const parsed = parseLine(line);
    if (typeof parsed === 'string') return { error: `line ${i + 1}: ${parsed}` };
    const earlier = lineOfType.get(parsed.imageType);
    if (earlier !== undefined) {
      return {
        error: `lines ${earlier} and ${i + 1} are both ${parsed.imageType}: give one image per image type`,
      };
    }
    lineOfType.set(parsed.imageType, i + 1);
    images.push(parsed);
  }
  if (images.length === 0) return { error: `vm-image is empty: ${EXPECTED}` };
  return { images };
}

/** A line's image, or why not (never quoting a URI's query). */
function parseLine(line: string): VmImageSpec | string {
  // `type=` only when what precedes `=` cannot be part of an id or URI (a SAS query has `=`).
  const prefixed = /^([^=/:]*)=(.*)$/s.exec(line);
  let imageType = DEFAULT_IMAGE_TYPE;
  let text = line;
  if (prefixed) {
    const name = prefixed[1]!.trim();
    const known = IMAGE_TYPES.find((t) => t.toLowerCase() === name.toLowerCase());
    if (!known) return `'${echo(name, 40)}' is not an image type: ${EXPECTED}`;
    imageType = known;
    text = prefixed[2]!.trim();
    if (!text) return `no source after '${name}=': ${EXPECTED}`;
  }
  const source = parseSource(text);
  return typeof source === 'string' ? source : { imageType, source };
}

/** What the user wrote, for a message: one bounded line, nothing from a `?` on (a token). */
function echo(text: string, max: number): string {
  const cut = text.indexOf('?');
  return shown(cut < 0 ? text : `${text.slice(0, cut)}?…`, max);
}

function parseSource(text: string): VmImageSource | string {
  if (text.startsWith('/')) {
    return GALLERY_IMAGE_VERSION.test(text)
      ? { kind: 'gallery', resourceId: text }
      : `'${echo(text, 200)}' is not an Azure Compute Gallery image version id: expected ${GALLERY_SHAPE}`;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return parseSasUri(text);
  // Unknown text is not quoted: it may be a token pasted on its own.
  return EXPECTED;
}

function parseSasUri(uri: string): VmImageSource | string {
  const blob = blobLocation(uri);
  const where = blob ? `the SAS URI of ${blob.shown}` : 'the URI';
  if (!/^https:\/\//i.test(uri)) return `${where} must use https`;
  if (!blob) {
    return 'the URI is not a blob URL: expected https://{account}.blob.core.windows.net/{container}/{blob}?{SAS token}';
  }
  const query = uri.indexOf('?');
  if (query < 0 || query === uri.length - 1) {
    return `${where} has no query: a SAS URI carries its token after '?'`;
  }
  return { kind: 'sas', uri, shown: blob.shown };
}

/** `gallery contoso/contoso-vm 1.4.0` or `VHD contosoacct/vhds/contoso-vm-1.4.0.vhd`. */
export function describeSource(source: VmImageSource): string {
  if (source.kind === 'sas') return `VHD ${shown(source.shown, 200)}`;
  const m = GALLERY_IMAGE_VERSION.exec(source.resourceId);
  return m
    ? shown(`gallery ${m[1]}/${m[2]} ${m[3]}`, 200)
    : `gallery image ${shown(source.resourceId, 200)}`;
}

/** The API's `source` of a `vmImages[]` entry. A SAS source has no data disks. */
export function toImageSource(spec: VmImageSpec, tenantId: string): Record<string, unknown> {
  const { source } = spec;
  return source.kind === 'gallery'
    ? { sourceType: 'sharedImageGallery', sharedImage: { tenantId, resourceId: source.resourceId } }
    : { sourceType: 'sasUri', osDisk: { uri: source.uri } };
}

/** An API `source` as read, in the user's terms (to describe it), when it is one of ours. */
export function fromImageSource(source: unknown): VmImageSource | undefined {
  if (!isPlainObject(source) || typeof source.sourceType !== 'string') return undefined;
  const type = source.sourceType.toLowerCase();
  const shared = source.sharedImage;
  if (type === 'sharedimagegallery' && isPlainObject(shared)) {
    return typeof shared.resourceId === 'string'
      ? { kind: 'gallery', resourceId: shared.resourceId }
      : undefined;
  }
  const disk = source.osDisk;
  if (type === 'sasuri' && isPlainObject(disk) && typeof disk.uri === 'string') {
    return {
      kind: 'sas',
      uri: disk.uri,
      shown: blobLocation(disk.uri)?.shown ?? 'an unreadable URI',
    };
  }
  return undefined;
}
