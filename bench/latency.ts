/**
 * Detection latency and politeness, from the same runs: a by-time scenario moves the offer's progress,
 * then flips it from running to succeeded at a known moment; the flip moves across the poll interval
 * from run to run, so every phase between a poll and the flip is seen. The action and the curl/jq
 * loop take turns.
 */
import type { ActionRun } from '../simulator/run-action.js';
import { STEP_IDS, statusBody, type Scenario } from '../simulator/scenarios.js';
import { startSimulator, type SeenRequest, type Simulator } from '../simulator/server.js';
import { runBundle, runCurlJq } from './processes.js';
import { spread, type Spread } from './stats.js';

export type Poller = 'action' | 'curlJq';

interface Latency {
  runs: number;
  pollIntervalMs: number;
  /** When the offer turned succeeded, in ms after the simulator started, run by run. */
  flipAtMs: number[];
  /** Flip to the process's exit. */
  detectionMs: Spread;
  /** Flip to the first read after it: where in the poll cycle the flip fell. */
  flipToReadMs: Spread;
  /** That read to the process's exit: the poller's own reaction time. */
  readToExitMs: Spread;
}

interface Politeness {
  /** Status reads per run (the regular polls). */
  statusReads: Spread;
  /** Other requests before the first status read (the action's running-operation lookup). */
  startLookups: Spread;
  /** Other requests after the first status read: what a status change or a poll adds. */
  extraRequests: Spread;
  /** All requests after the start, per status read: exactly 1 is polite. */
  requestsPerPoll: Spread;
  /** TCP connections opened per status read (1: a new connection, and handshake, every poll). */
  connectionsPerPoll: Spread;
  /** The period between two status reads (ms), against the poll interval. */
  pollPeriodMs: Spread;
  /** Status changes the scenario makes per run. */
  statusChanges: number;
  /** Requests at a status change: the read that sees it, plus any it sets off before the next poll. */
  requestsPerChange: Spread;
  /** Steady state scaled to the default 60 s interval: 3600 / (60 s + measured overhead per poll). */
  requestsPerHourAt60s: number;
}

export interface PollerResult {
  latency: Latency;
  politeness: Politeness;
}

const CHANGE_BEFORE_FLIP_MS = 1_200;

/** Running at 10 %, running at 60 % with a warning 1.2 s before the flip, then succeeded. */
function flipScenario(flipAtMs: number): Scenario {
  const running = (progress: number, warn: boolean) =>
    statusBody('running', {
      displaydummycertify: { status: 'complete' },
      displaycertify: {
        status: 'inProgress',
        progress,
        messages: warn
          ? [{ level: 'warning', html: 'No support link; certification continues.' }]
          : [],
      },
    });
  const done = Object.fromEntries(STEP_IDS.map((id) => [id, { status: 'complete' }]));
  return {
    description: `Running, then succeeded ${flipAtMs} ms after start.`,
    advance: 'by-time',
    frames: [
      { kind: 'body', body: running(10, false), afterMs: 0 },
      { kind: 'body', body: running(60, true), afterMs: flipAtMs - CHANGE_BEFORE_FLIP_MS },
      { kind: 'body', body: statusBody('succeeded', done), afterMs: flipAtMs },
    ],
  };
}

const isStatusRead = (r: SeenRequest) =>
  r.path.endsWith('/status') || r.path.includes('/operations/');

interface Observed {
  flipAt: number;
  detection: number;
  flipToRead: number;
  readToExit: number;
  statusReads: number;
  startLookups: number;
  extras: number;
  atChange: number[];
  gaps: number[];
  connections: number;
}

function observe(sim: Simulator, run: ActionRun, flipAt: number): Observed {
  const exitAt = run.startedAt + run.durationMs - sim.startedAt;
  const reads = sim.requests.filter(isStatusRead);
  const firstRead = reads[0]?.at ?? Infinity;
  const detecting = reads.find((r) => r.at >= flipAt);
  if (!detecting) throw new Error('No read after the flip: the scenario ended early.');
  const gaps = reads.slice(1).map((r, i) => r.at - reads[i]!.at);
  const others = sim.requests.filter((r) => !isStatusRead(r));
  const atChange = [flipAt - CHANGE_BEFORE_FLIP_MS, flipAt].map((changeAt) => {
    const seenBy = reads.findIndex((r) => r.at >= changeAt);
    const from = reads[seenBy]!.at;
    const to = reads[seenBy + 1]?.at ?? Infinity;
    return 1 + others.filter((r) => r.at >= from && r.at < to).length;
  });
  return {
    flipAt,
    detection: exitAt - flipAt,
    flipToRead: detecting.at - flipAt,
    readToExit: exitAt - detecting.at,
    statusReads: reads.length,
    startLookups: others.filter((r) => r.at < firstRead).length,
    extras: others.filter((r) => r.at >= firstRead).length,
    atChange,
    gaps,
    connections: sim.connections(),
  };
}

function summarize(all: Observed[], pollIntervalMs: number): PollerResult {
  const period = spread(all.flatMap((o) => o.gaps));
  const perPoll = spread(all.map((o) => (o.statusReads + o.extras) / o.statusReads));
  const overheadS = Math.max(0, period.median - pollIntervalMs) / 1000;
  return {
    latency: {
      runs: all.length,
      pollIntervalMs,
      flipAtMs: all.map((o) => Math.round(o.flipAt)),
      detectionMs: spread(all.map((o) => o.detection)),
      flipToReadMs: spread(all.map((o) => o.flipToRead)),
      readToExitMs: spread(all.map((o) => o.readToExit)),
    },
    politeness: {
      statusReads: spread(all.map((o) => o.statusReads)),
      startLookups: spread(all.map((o) => o.startLookups)),
      extraRequests: spread(all.map((o) => o.extras)),
      requestsPerPoll: perPoll,
      connectionsPerPoll: spread(all.map((o) => o.connections / o.statusReads)),
      pollPeriodMs: period,
      statusChanges: 2,
      requestsPerChange: spread(all.flatMap((o) => o.atChange)),
      requestsPerHourAt60s: (perPoll.median * 3600) / (60 + overheadS),
    },
  };
}

export async function measureLatency(
  runs: number,
  pollIntervalMs = 1_000,
): Promise<Record<Poller, PollerResult>> {
  const observed: Record<Poller, Observed[]> = { action: [], curlJq: [] };
  for (let i = 0; i < runs; i++) {
    // 2.5 s after start, moved by a fraction of the interval each run.
    const flipAt = 2_500 + (i * pollIntervalMs) / runs;
    for (const poller of ['action', 'curlJq'] as const) {
      const sim = await startSimulator({ scenario: flipScenario(flipAt) });
      try {
        const run =
          poller === 'action'
            ? await runBundle(sim, { 'poll-interval': `${pollIntervalMs / 1000}s` })
            : await runCurlJq(sim, pollIntervalMs / 1000);
        observed[poller].push(observe(sim, run, flipAt));
      } finally {
        await sim.close();
      }
    }
  }
  return {
    action: summarize(observed.action, pollIntervalMs),
    curlJq: summarize(observed.curlJq, pollIntervalMs),
  };
}
