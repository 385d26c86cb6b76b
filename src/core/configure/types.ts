/**
 * The change a step puts into an offer before its publish (product-ingestion only): a new VM image
 * version in one or more plans, and resources from files. Pure types shared by the planner, the
 * summary and the adapter; nothing here does I/O.
 */

export const IMAGE_TYPES = ['x64Gen1', 'x64Gen2', 'arm64Gen2'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Where a VM image comes from, as the user wrote it. */
export type VmImageSource =
  /** An Azure Compute Gallery image version: `/subscriptions/…/galleries/{g}/images/{i}/versions/{v}`. */
  | { kind: 'gallery'; resourceId: string }
  /** An https SAS URI of a VHD: a secret; only `shown` (account/container/blob) is ever printed. */
  | { kind: 'sas'; uri: string; shown: string };

/** One line of the `vm-image` input. */
export interface VmImageSpec {
  imageType: ImageType;
  source: VmImageSource;
}

/** A product-ingestion resource as read or sent: its `$schema`, maybe its durable `id`, the rest. */
export type Resource = Record<string, unknown> & { $schema?: unknown; id?: unknown };

/** A resource a `resources` file gave: where it came from, for messages. */
export interface FileResource {
  /** The file as the user named it (relative to the workspace). */
  file: string;
  /** Its place in the file: 0 for a file of one resource, else its index in `resources`. */
  index: number;
  resource: Resource;
}

/** A field that a change sets differently from the draft: `path` like `listing.title` or `skus`. */
export interface FieldChange {
  path: string;
  /** JSON of the draft's value (shortened for display), or undefined when the draft lacks it. */
  before?: string;
  /** JSON of the new value (shortened for display), or undefined when the change removes it. */
  after?: string;
}

/** What the step will do (or did) to one plan or one file resource. */
export type PlannedChange =
  | {
      kind: 'vm-image-version';
      /** The plan id as the user wrote it (its external id). */
      planId: string;
      /** The technical configuration's durable id (`virtual-machine-plan-technical-configuration/…`). */
      resourceId: string;
      /** The version added; empty when versions are only retired. */
      version: string;
      images: VmImageSpec[];
      /**
       * Older versions retired in the same change (`vm-image-deprecate`): each `set` (sent), or
       * `already-there` (the draft has it at that state).
       */
      lifecycle?: {
        version: string;
        state: 'deprecated' | 'deleted';
        status: 'set' | 'already-there';
      }[];
      /** `add`: sent; `already-there`: the draft has this version with these images. */
      status: 'add' | 'already-there';
      /**
       * The version's own part when versions are retired in the same change: `already-there` when
       * the draft has it (the change then only retires). Absent: as `status`.
       */
      versionStatus?: 'add' | 'already-there';
      /** The whole technical configuration to send (existing versions kept as read), when `add`. */
      resource?: Resource;
    }
  | {
      kind: 'resource';
      file: string;
      index: number;
      /** The durable id the resource has (or gets) in the draft; empty when the service names it. */
      resourceId: string;
      /** What it is, for people: its schema's type and its name or external id. */
      label: string;
      /** `new`: not in the draft; `change`: fields differ; `already-there`: nothing differs. */
      status: 'new' | 'change' | 'already-there';
      fields: FieldChange[];
      /**
       * The resource to send, unless `already-there`: the file's fields merged onto the draft's
       * resource (references kept as written), or a new resource as written.
       */
      resource?: Resource;
      /** How many more fields differ than `fields` lists (it is bounded), when some were left out. */
      fieldsLeftOut?: number;
      /**
       * Warnings for the log, each one line starting with the subject: top-level fields of the
       * file that the draft's resource lacks (a typo is added, not applied), with the closest names.
       */
      notes?: string[];
    };

/** The offer whose draft is changed: its durable id (`product/<guid>`) and external id (offer id). */
export interface ProductRef {
  id: string;
  externalId: string;
}

/** The plan of one step: every change, in the order the inputs gave them. */
export interface ChangePlan {
  changes: PlannedChange[];
  /** `dry-run: true`: read and planned, nothing sent. */
  dryRun: boolean;
}

/** The offer's draft, as the change is planned against it. */
export interface Draft {
  /** The product's durable id (`product/<guid>`) and external id (the offer id). */
  product: { id: string; externalId: string };
  /** Every resource of the draft, in no particular order. */
  resources: Resource[];
}
