/**
 * Many offers in one step: 1, 10 and 100 offers against the simulator (answers delayed a little,
 * as a distant service's are). For each count: status requests per poll against the offers still
 * waited on, the closest two reads of one offer came (one read per offer per poll), the most
 * requests in flight at once (the action allows 4), peak RSS, and the job summary's size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusBody, STEP_IDS, type Frame, type Scenario } from '../simulator/scenarios.js';
import { startSimulator } from '../simulator/server.js';
import { fastClockEnv, runBundle } from './processes.js';

interface OffersRun {
  offers: number;
  /** Polls until every offer's wait ended. */
  polls: number;
  /** Status requests seen in each poll (the p-th read of each offer). */
  requestsPerPoll: number[];
  /** Offers still waited on at each poll. */
  waitedPerPoll: number[];
  /** The shortest time between two reads of one offer, against the poll interval. */
  minGapMs: number;
  pollIntervalMs: number;
  peakInFlight: number;
  maxRssBytes: number;
  summaryBytes: number;
  logBytes: number;
  wallMs: number;
}

export interface Offers {
  latencyMs: number;
  runs: OffersRun[];
  /** (RSS at the most offers − RSS at one offer) / the offers added. */
  rssPerExtraOfferBytes: number;
}

/** A realistic wait: certification moves on, a warning, then the preview is ready (4 reads). */
function towardReview(): Scenario {
  const message = (html: string, level = 'information') => ({ level, html });
  type Patch = Parameters<typeof statusBody>[1];
  const patches: Patch[] = [
    { displaycertify: { status: 'inProgress', progress: 10 } },
    {
      displaycertify: {
        status: 'inProgress',
        progress: 60,
        messages: [
          message('Plan <b>gen2</b> has no support link; certification continues.', 'warning'),
        ],
      },
    },
    { displayprovision: { status: 'inProgress', progress: 50 } },
    { 'publisher-signoff': { status: 'waitingForPublisherReview', progress: 0 } },
  ];
  const frames: Frame[] = patches.map((patch, i) => {
    const before = Object.fromEntries(
      STEP_IDS.slice(0, STEP_IDS.indexOf(Object.keys(patch)[0]!)).map((id) => [
        id,
        {
          status: 'complete',
          progress: 100,
          messages: [message(`Step ${id} completed after review ${i}.`)],
        },
      ]),
    );
    return { kind: 'body', body: statusBody('running', { ...before, ...patch }) };
  });
  return { description: 'toward review', advance: 'per-read', frames };
}

/** Every third offer is live already: its wait ends at its first read, and it is read no more. */
const LIVE_EVERY = 3;

export async function measureOffers(counts: number[], latencyMs: number): Promise<Offers> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-offers-'));
  const runs: OffersRun[] = [];
  try {
    for (const count of counts) {
      const offerIds = Array.from({ length: count }, (_, i) => `contoso-offer-${i + 1}`);
      const scenarioFor = Object.fromEntries(
        offerIds.filter((_, i) => i % LIVE_EVERY === LIVE_EVERY - 1).map((id) => [id, 'succeeded']),
      );
      const sim = await startSimulator({
        scenario: towardReview(),
        offerIds,
        scenarioFor,
        latencyMs,
      });
      const report = join(dir, `report-${count}.json`);
      const pollIntervalMs = 1_000;
      try {
        const run = await runBundle(
          sim,
          { 'offer-id': offerIds.join(','), 'wait-until': 'review', timeout: '5m' },
          { env: fastClockEnv(1, report), killAfterMs: 300_000 },
        );
        const reads = new Map<string, number[]>();
        for (const r of sim.requests.filter((q) => q.path.endsWith('/status'))) {
          const id = r.path.split('/')[5]!;
          reads.set(id, [...(reads.get(id) ?? []), r.at]);
        }
        const polls = Math.max(...[...reads.values()].map((a) => a.length));
        const requestsPerPoll = Array.from(
          { length: polls },
          (_, p) => [...reads.values()].filter((a) => a.length > p).length,
        );
        // An offer is waited on at poll p if its wait had not ended before: live offers end at 1.
        const waitedPerPoll = Array.from(
          { length: polls },
          (_, p) => offerIds.filter((id) => (id in scenarioFor ? p < 1 : p < 4)).length,
        );
        const gaps = [...reads.values()].flatMap((a) => a.slice(1).map((t, i) => t - a[i]!));
        const cost = JSON.parse(readFileSync(report, 'utf8')) as { maxRssBytes: number };
        runs.push({
          offers: count,
          polls,
          requestsPerPoll,
          waitedPerPoll,
          minGapMs: gaps.length ? Math.min(...gaps) : pollIntervalMs,
          pollIntervalMs,
          peakInFlight: sim.peakInFlight(),
          maxRssBytes: cost.maxRssBytes,
          summaryBytes: Buffer.byteLength(run.summary),
          logBytes: Buffer.byteLength(run.stdout),
          wallMs: run.durationMs,
        });
      } finally {
        await sim.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const first = runs[0]!;
  const last = runs.at(-1)!;
  return {
    latencyMs,
    runs,
    rssPerExtraOfferBytes:
      last.offers > first.offers
        ? (last.maxRssBytes - first.maxRssBytes) / (last.offers - first.offers)
        : 0,
  };
}
