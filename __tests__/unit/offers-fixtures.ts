/** Offers and their ends, for the tests of what several offers roll up to (outputs, summary). */
import type { End } from '../../src/core/end.js';
import type { Snapshot } from '../../src/core/model.js';
import type { OfferOutcome } from '../../src/core/outcome.js';
import type { StartedWrite } from '../../src/core/started.js';
import { STEP_IDS } from '../../simulator/scenarios.js';
import { snapshot } from './helpers.js';

export const PREVIEW = 'https://portal.azure.com/#create/contoso.contoso-vm-preview';
export const LIVE = 'https://azuremarketplace.microsoft.com/marketplace/apps/contoso.contoso-saas';
const AT = Date.parse('2026-11-02T09:00:00Z');

export const complete = (ids: readonly string[]) =>
  Object.fromEntries(
    ids.map((id) => [
      id,
      { status: 'complete', messages: [{ level: 'information', html: 'Step completed.' }] },
    ]),
  );

/** Certification running at 60%, one warning. */
export const certifying = (): Snapshot =>
  snapshot('running', {
    ...complete(['displaydummycertify']),
    displaycertify: {
      status: 'inProgress',
      progress: 60,
      messages: [{ level: 'warning', html: 'Plan <b>contoso-vm</b> has no <i>support</i> link.' }],
    },
  });

/** Live. */
export const live = (): Snapshot =>
  snapshot('succeeded', complete(STEP_IDS), { previewLinks: [PREVIEW], liveLinks: [LIVE] });

export const write = (name: StartedWrite['name'], operationId = ''): StartedWrite => ({
  name,
  at: AT,
  operationId,
});

export function outcome(
  offerId: string,
  snap: Snapshot | undefined,
  end: End,
  more: Partial<OfferOutcome> = {},
): OfferOutcome {
  return {
    offerId,
    operationId: '',
    end,
    snapshot: snap,
    reads: snap ? 3 : 0,
    started: [],
    failed: false,
    ...more,
  };
}

export const TIMEOUT: End = { kind: 'timeout', timeoutMs: 3_600_000 };
