/**
 * The product types the simulator models and what belongs to each: the `kind` its property and
 * listings carry, and its technical configuration — one per plan (VM and container offers), or
 * one for the whole product (SaaS). From the product-ingestion pages per offer type and Microsoft's
 * `az partnercenter` extension (container ids); see the README for what is inferred.
 */

/** What a product type's resources look like. */
interface ProductType {
  /** The `kind` of its property and listing (a plan listing's: `<kind>-plan`), when known. */
  kind?: string;
  /** The technical configuration of each of its plans: `<type>/<productGuid>/<planGuid>`. */
  planConfiguration?: string;
  /** The technical configuration of the product itself: `<type>/<productGuid>`. */
  productConfiguration?: string;
}

const PRODUCT_TYPES: Record<string, ProductType> = {
  azureVirtualMachine: {
    kind: 'azureVM',
    planConfiguration: 'virtual-machine-plan-technical-configuration',
  },
  // Its property and listing kinds are not documented: not checked.
  coreVirtualMachine: { planConfiguration: 'core-virtual-machine-plan-technical-configuration' },
  softwareAsAService: {
    kind: 'azureSaaS',
    productConfiguration: 'software-as-a-service-technical-configuration',
  },
  azureContainer: {
    kind: 'azureContainer',
    planConfiguration: 'container-plan-technical-configuration',
  },
};

/** A product type's resources (nothing known for a type the simulator does not model). */
export const productType = (type: unknown): ProductType => PRODUCT_TYPES[String(type)] ?? {};

const TECHNICAL_CONFIGURATIONS = new Set(
  Object.values(PRODUCT_TYPES).flatMap((t) => [t.planConfiguration, t.productConfiguration]),
);

/** Whether a resource type is a technical configuration (of any product type). */
export const isTechnicalConfiguration = (type: string | undefined): type is string =>
  type !== undefined && TECHNICAL_CONFIGURATIONS.has(type);

/** Whether a technical configuration type is a product's own (not one per plan). */
export const isProductConfiguration = (type: string | undefined) =>
  type !== undefined && Object.values(PRODUCT_TYPES).some((t) => t.productConfiguration === type);

/** The VM technical configuration types: their plans' images come in `vmImageVersions`. */
export const isVirtualMachineConfiguration = (type: string | undefined) =>
  type === PRODUCT_TYPES.azureVirtualMachine!.planConfiguration ||
  type === PRODUCT_TYPES.coreVirtualMachine!.planConfiguration;

/** The `kind` a resource of `type` carries on a product of this type, if known. */
function kindOf(product: ProductType, type: string): string | undefined {
  if (!product.kind) return undefined;
  if (type === 'property' || type === 'listing') return product.kind;
  return type === 'plan-listing' ? `${product.kind}-plan` : undefined;
}

/**
 * The kind a resource of `type` should carry on a product of type `product`, when it carries
 * another product type's kind (an `azureVM` listing on a SaaS offer); else nothing. A kind no
 * product type has is left to the schema, which the simulator does not hold for these types.
 */
export function foreignKind(product: ProductType, type: string, kind: unknown): string | undefined {
  const own = kindOf(product, type);
  if (own === undefined || kind === own) return undefined;
  const others = Object.values(PRODUCT_TYPES).map((t) => kindOf(t, type));
  return others.includes(String(kind)) ? own : undefined;
}
