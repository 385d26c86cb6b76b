/**
 * `export` and `export-target`: the step writes the offer's resources to files under a folder and
 * sends nothing. Checked before any request: an export only reads, so it takes no write input.
 */
import type { ApiName } from '../adapters/adapter.js';
import { InputError, printable } from './errors.js';
import { oneOf, type GetInput } from './fields.js';

const EXPORT_TARGETS = ['draft', 'preview', 'live'] as const;
type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** What an export step asks: the folder (empty: no export) and which of the offer's trees. */
export interface ExportSettings {
  folder: string;
  target: ExportTarget;
}

/** The inputs an export cannot take: each would send something. */
const WRITES = [
  'publish',
  'go-live',
  'plan-id',
  'vm-image-version',
  'vm-image',
  'vm-image-deprecate',
  'resources',
  'operation-id',
  'preview-id',
] as const;

export function readExport(getInput: GetInput, api: ApiName): ExportSettings {
  const folder = getInput('export').trim();
  const target = oneOf(getInput, 'export-target', EXPORT_TARGETS);
  if (!folder) return { folder, target };
  if ([...folder].some((c) => c < ' ' || c === '\u007f')) {
    throw new InputError(
      'export',
      `'${printable(folder)}' is not a folder name: one line, no control characters.`,
    );
  }
  if (api !== 'product-ingestion') {
    throw new InputError(
      'export',
      'exports an offer through the product-ingestion API only: set api: product-ingestion (or leave publisher-id empty).',
    );
  }
  const writing = WRITES.find((name) => {
    const value = getInput(name).trim();
    return value !== '' && value !== 'false';
  });
  if (writing) {
    throw new InputError(
      'export',
      `is set together with ${writing}: an export only reads and writes files. Export in a step of its own, and change or publish in another.`,
    );
  }
  return { folder, target };
}
