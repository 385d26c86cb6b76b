/**
 * The product-ingestion API's answers the action reads, as schemas: strict about what the action
 * relies on, tolerant of everything else (unknown fields, unknown status words).
 */
import * as v from 'valibot';
import { lineOf } from '../../core/html.js';

/** `{"value":[…],"@nextLink":"…"}`: every list. */
function list<S extends v.GenericSchema>(item: S) {
  return v.looseObject({
    value: v.array(item),
    '@nextLink': v.nullish(v.unknown()),
  });
}

const ProductSchema = v.looseObject({
  id: v.string(),
  identity: v.nullish(v.looseObject({ externalId: v.nullish(v.unknown()) })),
  alias: v.nullish(v.unknown()),
  type: v.nullish(v.unknown()),
});
export const ProductsSchema = list(ProductSchema);
export type Product = v.InferOutput<typeof ProductSchema>;

const SubmissionSchema = v.looseObject({
  /**
   * `submission/<productGuid>/<n>`, on one line. Optional: an entry without one (or with one that
   * is not text) still says where its target stands; it just cannot be named or pushed live.
   */
  id: v.pipe(
    v.nullish(v.unknown()),
    v.transform((raw): string | undefined => lineOf(raw) || undefined),
  ),
  target: v.nullish(v.looseObject({ targetType: v.nullish(v.unknown()) })),
  status: v.nullish(v.unknown()),
  result: v.nullish(v.unknown()),
  created: v.nullish(v.unknown()),
});
export const SubmissionsSchema = list(SubmissionSchema);
export type Submission = v.InferOutput<typeof SubmissionSchema>;

/** `errors[]` entries nest through `details`. */
export interface JobError {
  resourceId?: unknown;
  code?: unknown;
  message?: unknown;
  details?: unknown;
}

export const JobSchema = v.looseObject({
  /** On one line, like the snapshot's subject it becomes (the log and the write rules name it). */
  jobId: v.pipe(
    v.nullish(v.unknown()),
    v.transform((raw) => (typeof raw === 'string' ? lineOf(raw) : raw)),
  ),
  jobStatus: v.string(),
  jobResult: v.nullish(v.unknown()),
  jobStart: v.nullish(v.unknown()),
  jobEnd: v.nullish(v.unknown()),
  errors: v.nullish(v.array(v.unknown())),
});
export type Job = v.InferOutput<typeof JobSchema>;

/** `GET resource-tree/…`: the resources, loose (each resource's shape is its schema's business). */
export const ResourceTreeSchema = v.looseObject({
  root: v.nullish(v.unknown()),
  resources: v.array(
    v.looseObject({ $schema: v.nullish(v.unknown()), id: v.nullish(v.unknown()) }),
  ),
});
export type ResourceTree = v.InferOutput<typeof ResourceTreeSchema>;
