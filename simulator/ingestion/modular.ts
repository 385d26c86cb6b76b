/**
 * A modular publish: resources sent together with a preview submission, published alone (the docs'
 * "Method 2"). The docs say "all resources are required except for the offer level details
 * (listing, availability, packages, reseller)"; cloudpub found by trying that the service wants the
 * product, its property, and each plan with its technical configuration. A request short of one is
 * refused whole, one `businessValidationError` per resource it lacks.
 */
import { isProductConfiguration, isTechnicalConfiguration, productType } from './product-types.js';
import { typeOf, type JobError, type Resource } from './resources.js';

/**
 * What a modular publish lacks: the product resource, the property, the product's own technical
 * configuration if its draft has one (SaaS), and for every plan a resource of the request belongs
 * to (a plan resource, or one whose `plan` is that plan) the plan resource and, on a type with
 * one per plan (VM, container), its technical configuration. `resolved` holds the request's
 * resources as the business rules stored them (durable ids, references resolved); `draft` names
 * what is missing.
 */
export function modularPublishMissing(
  resolved: Resource[],
  productId: string,
  draft: Resource[],
): JobError[] {
  const holds = (test: (r: Resource) => boolean) => resolved.some(test);
  const inDraft = (test: (r: Resource) => boolean) => draft.find(test)?.id;
  const own = productType(draft.find((r) => typeOf(r) === 'product')?.type);
  const productGuid = productId.replace(/^product\//, '');
  const missing: string[] = [];

  if (!holds((r) => typeOf(r) === 'product')) missing.push(productId);
  if (!holds((r) => typeOf(r) === 'property'))
    missing.push(
      String(inDraft((r) => typeOf(r) === 'property') ?? `property/${productGuid}/public/main`),
    );
  // A listing-only SaaS offer has no technical configuration: only one the draft has is required.
  const isProductConfig = (r: Resource) => isProductConfiguration(typeOf(r));
  const productConfig = inDraft(isProductConfig);
  if (productConfig !== undefined && !holds(isProductConfig)) missing.push(String(productConfig));
  const plans = new Set(
    resolved
      .map((r) => (typeOf(r) === 'plan' ? r.id : r.plan))
      .filter((p): p is string => typeof p === 'string'),
  );
  for (const plan of plans) {
    if (!holds((r) => typeOf(r) === 'plan' && r.id === plan)) missing.push(plan);
    const configType = own.planConfiguration;
    if (!configType) continue;
    const isConfig = (r: Resource) => isTechnicalConfiguration(typeOf(r)) && r.plan === plan;
    if (!holds(isConfig))
      missing.push(String(inDraft(isConfig) ?? `${configType}/${plan.replace(/^plan\//, '')}`));
  }
  return missing.map((resourceId) => ({
    resourceId,
    code: 'businessValidationError',
    message: `A modular publish needs ${resourceId}: send it with the submission (every resource but the offer-level details), or send the change alone and then the submission alone.`,
  }));
}
