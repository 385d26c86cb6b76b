/**
 * What the schema of each technical configuration type refuses (answered 400 before anything else):
 * a VM plan's images (`vmImageVersions`), a container plan's CNAB bundles or image repository, a
 * SaaS product's landing page, webhook and Entra app. As far as the docs, the notes and Microsoft's
 * `az partnercenter` extension (its models generated from the container schema) show them.
 */
import { isProductConfiguration, isVirtualMachineConfiguration } from './product-types.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const https = (u: unknown) => typeof u === 'string' && /^https:\/\/[^\s/]+/.test(u);
const text = (v: unknown) => typeof v === 'string' && v !== '';
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const isGuid = (v: unknown) => typeof v === 'string' && GUID.test(v);

/** The image types the schemas know (`arm64Gen2` from the newer versions on). */
const IMAGE_TYPES = ['x64Gen1', 'x64Gen2', 'arm64Gen2'];
const VERSION_NUMBER = /^[0-9]+\.[0-9]+\.[0-9]+$/;
const LIFECYCLE_STATES = ['generallyAvailable', 'deprecated', 'deleted'];

/** Why an image `source` does not match either of the schema's two shapes, or nothing. */
function sourceProblem(source: unknown): string | undefined {
  if (!isObject(source)) return 'source must be an object';
  if (source.sourceType === 'sharedImageGallery') {
    const shared = source.sharedImage;
    return isObject(shared) && text(shared.tenantId) && text(shared.resourceId)
      ? undefined
      : 'a sharedImageGallery source needs sharedImage.tenantId and sharedImage.resourceId';
  }
  if (source.sourceType === 'sasUri') {
    if (!isObject(source.osDisk) || !https(source.osDisk.uri))
      return 'a sasUri source needs osDisk.uri (https)';
    const disks = source.dataDisks;
    if (disks === undefined) return undefined;
    return Array.isArray(disks) &&
      disks.every((d) => isObject(d) && Number.isInteger(d.lunNumber) && https(d.uri))
      ? undefined
      : 'dataDisks must list {lunNumber, uri (https)}';
  }
  return `sourceType must be sharedImageGallery or sasUri, not ${JSON.stringify(source.sourceType)}`;
}

/** A VM plan's: its skus and every image version. */
function virtualMachineProblems(r: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (r.skus !== undefined) {
    if (!Array.isArray(r.skus) || r.skus.length < 1 || r.skus.length > 2)
      problems.push('skus must list 1 or 2 skus');
    else
      for (const sku of r.skus as unknown[]) {
        if (!isObject(sku) || !IMAGE_TYPES.includes(String(sku.imageType)))
          problems.push(`skus: imageType must be one of ${IMAGE_TYPES.join(', ')}`);
        else if (typeof sku.skuId !== 'string') problems.push('skus: skuId is required');
      }
  }
  if (!Array.isArray(r.vmImageVersions)) {
    problems.push('vmImageVersions must be an array');
    return problems;
  }
  for (const v of r.vmImageVersions as unknown[]) {
    if (!isObject(v)) {
      problems.push('vmImageVersions: every version must be an object');
      continue;
    }
    const number = typeof v.versionNumber === 'string' ? v.versionNumber : undefined;
    const at = `vmImageVersions[${JSON.stringify(v.versionNumber)}]`;
    if (!number || !VERSION_NUMBER.test(number))
      problems.push(`${at}: versionNumber must match ${VERSION_NUMBER.source}`);
    if (v.lifecycleState !== undefined && !LIFECYCLE_STATES.includes(String(v.lifecycleState)))
      problems.push(`${at}: lifecycleState must be one of ${LIFECYCLE_STATES.join(', ')}`);
    if (!Array.isArray(v.vmImages) || v.vmImages.length < 1 || v.vmImages.length > 2) {
      problems.push(`${at}: vmImages must list 1 or 2 images`);
      continue;
    }
    for (const image of v.vmImages as unknown[]) {
      if (!isObject(image)) {
        problems.push(`${at}: every image must be an object`);
        continue;
      }
      if (!IMAGE_TYPES.includes(String(image.imageType)))
        problems.push(`${at}: imageType must be one of ${IMAGE_TYPES.join(', ')}`);
      const why = sourceProblem(image.source);
      if (why) problems.push(`${at}: ${why}`);
    }
  }
  return problems;
}

/** A cluster extension type: `Publisher.Application`, letters, dots and dashes, at most 50. */
const CLUSTER_EXTENSION_TYPE = /^[a-zA-Z.-]{1,50}$/;
const DIGEST = /^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const MAX_IMAGE_TAGS = 16;

/**
 * A container plan's: a transactable one (`payloadType: cnab`) names its cluster extension type
 * and its CNAB bundles in Azure Container Registry; a listing-only one (`image`) its repository
 * and 1 to 16 image tags.
 */
function containerProblems(r: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (r.payloadType === 'cnab') {
    if (
      typeof r.clusterExtensionType !== 'string' ||
      !CLUSTER_EXTENSION_TYPE.test(r.clusterExtensionType)
    )
      problems.push(`clusterExtensionType must match ${CLUSTER_EXTENSION_TYPE.source}`);
    const refs = r.cnabReferences;
    if (!Array.isArray(refs) || refs.length === 0) {
      problems.push('cnabReferences must list at least one bundle');
      return problems;
    }
    refs.forEach((ref: unknown, i) => {
      const at = `cnabReferences[${i}]`;
      if (!isObject(ref)) return problems.push(`${at} must be an object`);
      if (!isGuid(ref.tenantId) || !isGuid(ref.subscriptionId))
        problems.push(`${at}: tenantId and subscriptionId must be GUIDs`);
      for (const field of ['resourceGroupName', 'registryName', 'repositoryName', 'tag'])
        if (!text(ref[field])) problems.push(`${at}: ${field} is required`);
      if (typeof ref.digest !== 'string' || !DIGEST.test(ref.digest))
        problems.push(`${at}: digest must be <algorithm>:<hex> (sha256:…)`);
    });
  } else if (r.payloadType === 'image') {
    const repo = r.imageRepositoryDetails;
    if (!isObject(repo)) problems.push('imageRepositoryDetails is required');
    else {
      if (!isGuid(repo.subscriptionId))
        problems.push('imageRepositoryDetails.subscriptionId must be a GUID');
      for (const field of ['resourceGroupName', 'registryName', 'userName', 'password'])
        if (!text(repo[field])) problems.push(`imageRepositoryDetails.${field} is required`);
    }
    const tags = r.imageTags;
    if (
      !Array.isArray(tags) ||
      tags.length < 1 ||
      tags.length > MAX_IMAGE_TAGS ||
      !tags.every(text)
    )
      problems.push(`imageTags must list 1 to ${MAX_IMAGE_TAGS} tags`);
  } else {
    problems.push(`payloadType must be cnab or image, not ${JSON.stringify(r.payloadType)}`);
  }
  return problems;
}

/** A SaaS product's: where the marketplace sends buyers and events, and the Entra app it uses. */
function saasProblems(r: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (r.plan !== undefined)
    problems.push('plan is not a field of a product-level technical configuration');
  if (!https(r.landingPageUrl)) problems.push('landingPageUrl must be an https URL');
  if (!https(r.connectionWebhook)) problems.push('connectionWebhook must be an https URL');
  if (!isGuid(r.azureAdTenantId)) problems.push('azureAdTenantId must be a GUID');
  if (!isGuid(r.azureAdAppId)) problems.push('azureAdAppId must be a GUID');
  return problems;
}

/**
 * What the schema of technical configuration `type` refuses in `r`: read-only `validations`, the
 * references it needs (`product`; `plan` for a plan's), and its own fields.
 */
export function technicalConfigurationProblems(
  type: string,
  r: Record<string, unknown>,
  validReference: (v: unknown) => boolean,
): string[] {
  const problems: string[] = [];
  if ('validations' in r) problems.push('validations is read-only and must not be sent');
  if (!validReference(r.product)) problems.push('product is required');
  if (isProductConfiguration(type)) return [...problems, ...saasProblems(r)];
  if (!validReference(r.plan)) problems.push('plan is required');
  if (isVirtualMachineConfiguration(type)) return [...problems, ...virtualMachineProblems(r)];
  return [...problems, ...containerProblems(r)];
}
