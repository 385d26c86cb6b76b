/**
 * A new VM image version in a plan's technical configuration: `already-there` when the draft has
 * the version with the same images, else the whole technical configuration to send back, every
 * existing version kept exactly as read and the new one appended (`vmImageVersions` replaces the
 * whole list). Pure: throws `ConfigureError` for what the user must change.
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
import { describeSource, fromImageSource, toImageSource } from './vm-image.js';

export { ConfigureError } from './configure-error.js';
export { findPlan, findTechConfig, planIds } from './tree.js';

export interface VmImageVersionInput {
  /** The plan id as the user wrote it (the plan's external id). */
  planId: string;
  /** The plan's technical configuration as read from the draft. */
  techConfig: Resource;
  version: string;
  images: VmImageSpec[];
  /** The Entra tenant of the gallery images (`sharedImage.tenantId`). */
  tenantId: string;
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
  const base = { kind: 'vm-image-version', planId, resourceId, version, images } as const;

  const existing = versions.find((v) => isPlainObject(v) && v.versionNumber === version);
  if (existing !== undefined) {
    const vmImages = (existing as Record<string, unknown>).vmImages;
    if (sameImages(vmImages, images, tenantId)) return { ...base, status: 'already-there' };
    throw configureError(
      subject,
      `version ${shown(version, 40)} is already in the draft with other images (${describeImages(vmImages)}); ` +
        'published versions are immutable: choose a new version number',
    );
  }

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
  // A deep copy: the change must not alias the tree the caller keeps.
  const resource = structuredClone(withoutReadOnly(techConfig));
  resource.$schema = currentSchema(resource.$schema);
  resource.vmImageVersions = [
    ...((resource.vmImageVersions as unknown[] | undefined) ?? []),
    added,
  ];
  return { ...base, status: 'add', resource };
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
