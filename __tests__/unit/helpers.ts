import * as v from 'valibot';
import { StatusBodySchema, toSnapshot } from '../../src/adapters/cpp/snapshot.js';
import type { Snapshot } from '../../src/core/model.js';
import { statusBody } from '../../simulator/scenarios.js';

export function snapshot(...args: Parameters<typeof statusBody>): Snapshot {
  return toSnapshot(v.parse(StatusBodySchema, statusBody(...args)));
}

export function snapshotOf(body: unknown): Snapshot {
  return toSnapshot(v.parse(StatusBodySchema, body));
}

/**
 * Cases per property test: `base` in `npm test`, more with `PROPERTY_RUNS` (e.g. 5000). A failing
 * case prints its seed and path; `PROPERTY_SEED` replays one (fast-check's `seed` parameter).
 */
export function propertyRuns(base: number): number {
  const asked = Number(process.env.PROPERTY_RUNS);
  return Number.isInteger(asked) && asked > 0 ? asked : base;
}
