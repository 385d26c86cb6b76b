import { describe, expect, test } from '@jest/globals';
import { explainJobErrors } from '../../src/core/configure/errors.js';
import type { ChangePlan, PlannedChange } from '../../src/core/configure/types.js';

const P = '11111111-2222-3333-4444-555555555555';
const TC2 = `virtual-machine-plan-technical-configuration/${P}/g2`;
const TC1 = `core-virtual-machine-plan-technical-configuration/${P}/g1`;
const LISTING = `listing/${P}/public/main/default/en-us`;
const vm = (
  planId: string,
  resourceId: string,
  status: 'add' | 'already-there',
): PlannedChange => ({
  kind: 'vm-image-version',
  planId,
  resourceId,
  version: '1.4.0',
  images: [],
  status,
});
const resource = (file: string, index: number, resourceId: string): PlannedChange => ({
  kind: 'resource',
  file,
  index,
  resourceId,
  label: 'listing',
  status: 'change',
  fields: [],
});
const plan: ChangePlan = {
  dryRun: false,
  changes: [
    vm('gen2', TC2, 'add'),
    vm('gen1', TC1, 'already-there'),
    resource('offer.json', 0, `property/${P}/public/main`),
    resource('offer.json', 1, LISTING),
    resource('new.json', 0, ''),
  ],
};

describe('explainJobErrors', () => {
  test.each([
    [
      `${TC2}: businessValidationError: The image is not generalized.`,
      `plan gen2, version 1.4.0: ${TC2}: businessValidationError: The image is not generalized.`,
    ],
    [
      `${TC2.toUpperCase()}: conflict: x`,
      `plan gen2, version 1.4.0: ${TC2.toUpperCase()}: conflict: x`,
    ],
    [
      `Certification failed: ${TC2}: invalidState: certification failed`,
      `plan gen2, version 1.4.0: Certification failed: ${TC2}: invalidState: certification failed`,
    ],
    // Not sent: the plan, without the version.
    [`${TC1}: invalidState: x`, `plan gen1: ${TC1}: invalidState: x`],
    // The plan resource itself is the same plan.
    [
      `plan/${P}/g2: businessValidationError: x`,
      `plan gen2: plan/${P}/g2: businessValidationError: x`,
    ],
    [
      `${LISTING}: schemaValidationError: title is too long`,
      `file offer.json (resource 2): ${LISTING}: schemaValidationError: title is too long`,
    ],
    [`product/${P}: productLocked: locked`, `product/${P}: productLocked: locked`],
    ['invalidRequest: no resource named', 'invalidRequest: no resource named'],
    ['', ''],
    [`: ${TC2}: x`, `: ${TC2}: x`],
  ])('%j', (line, explained) => {
    expect(explainJobErrors([line], plan)).toEqual([explained]);
  });

  test('every line, in order; a plan without changes leaves them all', () => {
    const lines = [`${TC2}: a: b`, 'c: d', `${LISTING}: e: f`];
    expect(explainJobErrors(lines, plan)).toEqual([
      `plan gen2, version 1.4.0: ${TC2}: a: b`,
      'c: d',
      `file offer.json (resource 2): ${LISTING}: e: f`,
    ]);
    expect(explainJobErrors(lines, { dryRun: false, changes: [] })).toEqual(lines);
  });
});
