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
