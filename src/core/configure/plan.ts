/**
 * A new VM image version in a plan's technical configuration, and older versions retired
 * (`lifecycleState`): `already-there` when the draft has the version with the same images and the
 * versions retired already, else the whole technical configuration to send back, every other
 * version kept exactly as read and the new one appended (`vmImageVersions` replaces the whole
 * list). Pure: throws `ConfigureError` for what the user must change.
 */
import { quotedList } from '../closest.js';
import { isAbsent, isPlainObject } from './canonical.js';
import { configureError } from './configure-error.js';
import { shown } from './display.js';
import { withoutReadOnly } from './read-only.js';
import { imageTypesOf } from './route.js';
import { blobLocation } from './sas.js';
import { currentSchema } from './schema.js';
import { planSubject } from './subjects.js';
import { durableIdOf } from './tree.js';
import type { PlannedChange, Resource, VmImageSpec } from './types.js';
import { describeSource, fromImageSource, toImageSource, type LifecycleSpec } from './vm-image.js';

export { ConfigureError } from './configure-error.js';
export { findPlan, findTechConfig, planIds } from './tree.js';

export interface VmImageVersionInput {
  /** The plan id as the user wrote it (the plan's external id). */
  planId: string;
  /** The plan's technical configuration as read from the draft. */
  techConfig: Resource;
  /** The version to add; empty when versions are only retired. */
  version: string;
  images: VmImageSpec[];
  /** The Entra tenant of the gallery images (`sharedImage.tenantId`). */
  tenantId: string;
  /** Versions to retire: each must be in the draft (the caller checks, naming the input). */
  lifecycle?: readonly LifecycleSpec[];
}

/** The version numbers a technical configuration lists, in its order. */
export function versionNumbers(techConfig: Resource): string[] {
  const versions = Array.isArray(techConfig.vmImageVersions) ? techConfig.vmImageVersions : [];
  return versions.flatMap((v: unknown) =>
    isPlainObject(v) && typeof v.versionNumber === 'string' ? [v.versionNumber] : [],
  );
}

export function planVmImageVersion(input: VmImageVersionInput): PlannedChange {
  const { planId, techConfig, version, images, tenantId } = input;
  const subject = planSubject(planId);
  const resourceId = durableIdOf(techConfig);
  if (!resourceId) throw configureError(subject, 'its technical configuration has no id');
  const versions = techConfig.vmImageVersions ?? [];
  if (!Array.isArray(versions)) {
    // Sending a list would replace whatever this is: refuse rather than lose versions.
    throw configureError(
      subject,
      'its technical configuration has no readable vmImageVersions list',
    );
  }
  const retire = lifecycleChanges(versions, input.lifecycle ?? []);
  const base: Omit<Extract<PlannedChange, { kind: 'vm-image-version' }>, 'status'> = {
    kind: 'vm-image-version',
    planId,
    resourceId,
    version,
    images,
    ...(input.lifecycle?.length ? { lifecycle: retire.planned } : {}),
  };

  const existing = version
    ? versions.find((v) => isPlainObject(v) && v.versionNumber === version)
    : undefined;
  const adds = version !== '' && existing === undefined;
  if (input.lifecycle?.length && version) {
    Object.assign(base, { versionStatus: adds ? 'add' : 'already-there' });
  }
  if (existing !== undefined) {
    const vmImages = (existing as Record<string, unknown>).vmImages;
    if (!sameImages(vmImages, images, tenantId))
      throw configureError(
        subject,
        `version ${shown(version, 40)} is already in the draft with other images (${describeImages(vmImages)}); ` +
          'published versions are immutable: choose a new version number',
      );
  }
  if (!adds && retire.moved === 0) return { ...base, status: 'already-there' };
  // A deep copy: the change must not alias the tree the caller keeps.
  const resource = structuredClone(withoutReadOnly(techConfig));
  resource.$schema = currentSchema(resource.$schema);
  resource.vmImageVersions = retire.versions;
  if (!adds) return { ...base, status: 'add', resource };

  const skuTypes = imageTypesOf(techConfig);
  for (const image of images) {
    if (!skuTypes.some((t) => t.toLowerCase() === image.imageType.toLowerCase())) {
      throw configureError(
        subject,
        `image type ${image.imageType} is not one of the plan's image types (${skuTypes.length ? quotedList(skuTypes) : 'none'}): give one of those in vm-image`,
      );
    }
  }
  if (!tenantId && images.some((i) => i.source.kind === 'gallery')) {
    throw configureError(subject, 'a gallery image needs the tenant id of its gallery');
  }

  const added = {
    versionNumber: version,
    vmImages: images.map((image) => ({
      imageType: image.imageType,
      source: toImageSource(image, tenantId),
    })),
  };
  resource.vmImageVersions = [...retire.versions, added];
  return { ...base, status: 'add', resource };
}

/**
 * The versions with each one to retire at its new `lifecycleState` (every other field, and every
 * other version, as read), and what that does to each: `set`, or `already-there`.
 */
function lifecycleChanges(
  versions: unknown[],
  lifecycle: readonly LifecycleSpec[],
): {
  versions: unknown[];
  planned: { version: string; state: LifecycleSpec['state']; status: 'set' | 'already-there' }[];
  moved: number;
} {
  const planned = lifecycle.map((l) => ({ ...l, status: 'set' as 'set' | 'already-there' }));
  let moved = 0;
  const updated = versions.map((v) => {
    if (!isPlainObject(v)) return structuredClone(v);
    const spec = planned.find((l) => l.version === v.versionNumber);
    if (!spec) return structuredClone(v);
    if (v.lifecycleState === spec.state) {
      spec.status = 'already-there';
      return structuredClone(v);
    }
    moved++;
    return { ...structuredClone(v), lifecycleState: spec.state };
  });
  return { versions: updated, planned, moved };
}

/** The draft's images are the wanted ones: one each, same type and same source. */
function sameImages(vmImages: unknown, wanted: VmImageSpec[], tenantId: string): boolean {
  if (!Array.isArray(vmImages) || vmImages.length !== wanted.length) return false;
  return wanted.every((spec) =>
    vmImages.some(
      (image) =>
        isPlainObject(image) &&
        typeof image.imageType === 'string' &&
        image.imageType.toLowerCase() === spec.imageType.toLowerCase() &&
        sameSource(image.source, spec, tenantId),
    ),
  );
}

/**
 * The same source by value. Tenant and resource ids compare without case (ARM's rule). A VHD is
 * the same blob whatever its SAS token: a rerun mints a new token for the same image.
 */
function sameSource(source: unknown, spec: VmImageSpec, tenantId: string): boolean {
  if (!isPlainObject(source) || typeof source.sourceType !== 'string') return false;
  const type = source.sourceType.toLowerCase();
  if (spec.source.kind === 'gallery') {
    const shared = source.sharedImage;
    return (
      type === 'sharedimagegallery' &&
      isPlainObject(shared) &&
      equalIgnoringCase(shared.resourceId, spec.source.resourceId) &&
      equalIgnoringCase(shared.tenantId, tenantId)
    );
  }
  const disk = source.osDisk;
  const read =
    isPlainObject(disk) && typeof disk.uri === 'string' ? blobLocation(disk.uri) : undefined;
  // Ours has no data disks: a version with some holds other images.
  return (
    type === 'sasuri' &&
    read !== undefined &&
    read.key === blobLocation(spec.source.uri)?.key &&
    isAbsent(source.dataDisks)
  );
}

function equalIgnoringCase(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** `x64Gen2 from gallery contoso/contoso-vm 1.3.0, …` for images as read. */
function describeImages(vmImages: unknown): string {
  if (!Array.isArray(vmImages) || vmImages.length === 0) return 'no images';
  // A version holds one or two images; the bound is against a service listing more.
  const more = vmImages.length > 4 ? `, and ${vmImages.length - 4} more` : '';
  const described = vmImages
    .slice(0, 4)
    .map((image) => {
      if (!isPlainObject(image)) return 'an unreadable image';
      const type = typeof image.imageType === 'string' ? shown(image.imageType, 40) : 'an image';
      const source = fromImageSource(image.source);
      return `${type} from ${source ? describeSource(source) : 'another kind of source'}`;
    })
    .join(', ');
  return `${described}${more}`;
}
