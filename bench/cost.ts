/**
 * The cost of waiting: CPU and peak memory over long simulated waits (thousands of reads, made fast
 * by the `fast-clock.mjs` preload), and whether memory grows with the number of reads. Two kinds of
 * wait: `quiet` (identical running frames, which the action does not log) and `chatty` (progress
 * moves on every read: one log line per read). Compared with `node -e 0` under the same preload, and
 * with the curl/jq loop under /usr/bin/time.
 *
 * At 1000× pace the process never idles, so V8 sizes its heap for throughput and skips the idle-time
 * collections a real wait gets: peak RSS is an upper bound there and CPU per read a lower bound. A
 * slower `paced` run (quiet, 50×: 20 ms between reads) shows how much that matters.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusBody, type Frame, type Scenario } from '../simulator/scenarios.js';
import { startSimulator } from '../simulator/server.js';
import { fastClockEnv, runBundle, runCurlJq, runNode } from './processes.js';
import { slope, spread, type Spread } from './stats.js';

type WaitKind = 'quiet' | 'chatty';

/** What `fast-clock.mjs` writes at exit. */
interface Report {
  maxRssBytes: number;
  userCpuMs: number;
  systemCpuMs: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  heapAfterGcBytes: number;
  rssAtExitBytes: number;
  peakMallocedBytes: number;
  gcMinor: number;
  gcMajor: number;
  gcMs: number;
}

interface ProcessCost {
  maxRssBytes: Spread;
  cpuMs: Spread;
  /** The V8 heap still live after a full collection at exit: what the process keeps. */
  heapAfterGcBytes: Spread;
  /** The V8 heap's reserved size at exit: what it grew to. */
  heapTotalBytes: Spread;
  gcMinor: Spread;
  gcMajor: Spread;
  gcMs: Spread;
}

export interface WaitCost extends ProcessCost {
  kind: WaitKind;
  reads: number;
  clockFactor: number;
  wallMs: Spread;
  logBytes: number;
}

interface PerRead {
  /** Least-squares slopes over the read counts, from the medians. */
  cpuMs: number;
  maxRssBytes: number;
  heapAfterGcBytes: number;
  /** Live heap per read between the two longest waits: a leak, once start-up has settled. */
  heapAfterGcTailBytes: number;
  /** Peak RSS at the most reads minus at the fewest (medians). */
  maxRssGrowthBytes: number;
}

interface CurlJqCost {
  polls: number;
  cpuMs: Spread;
  /** The largest single process (curl, jq, bash or sleep), as /usr/bin/time reports it. */
  maxRssBytes: Spread;
}

export interface Cost {
  clockFactor: number;
  /** Bytes of one status answer: the repeated running frame, and the largest chatty frame. */
  responseBytes: Record<WaitKind, number>;
  node: ProcessCost;
  action: WaitCost[];
  perRead: Record<WaitKind, PerRead>;
  /** Quiet waits at a slower pace. */
  paced: WaitCost[];
  pacedPerRead: PerRead;
  curlJq: CurlJqCost[];
  /** CPU per poll of the curl/jq loop (slope; each poll starts curl, jq and sleep). */
  curlJqCpuMsPerPoll: number;
}

export interface CostPlan {
  readCounts: number[];
  repeats: number;
  nodeRepeats: number;
  clockFactor: number;
  paced: { readCounts: number[]; clockFactor: number };
  curlJqPolls: number[];
}

const running = (progress: number) =>
  statusBody('running', {
    displaydummycertify: { status: 'complete' },
    displaycertify: { status: 'inProgress', progress },
  });

function waitScenario(kind: WaitKind, reads: number): Scenario {
  const quiet = running(30);
  const frames: Frame[] = [];
  for (let i = 0; i < reads - 1; i++) {
    frames.push({ kind: 'body', body: kind === 'quiet' ? quiet : running(i % 100) });
  }
  frames.push({ kind: 'body', body: statusBody('succeeded', {}) });
  return { description: `${reads} reads, ${kind}`, advance: 'per-read', frames };
}

const bytes = (body: unknown) => Buffer.byteLength(JSON.stringify(body));

function toProcessCost(reports: Report[]): ProcessCost {
  const of = (pick: (r: Report) => number) => spread(reports.map(pick));
  return {
    maxRssBytes: of((r) => r.maxRssBytes),
    cpuMs: of((r) => r.userCpuMs + r.systemCpuMs),
    heapAfterGcBytes: of((r) => r.heapAfterGcBytes),
    heapTotalBytes: of((r) => r.heapTotalBytes),
    gcMinor: of((r) => r.gcMinor),
    gcMajor: of((r) => r.gcMajor),
    gcMs: of((r) => r.gcMs),
  };
}

function perRead(points: WaitCost[]): PerRead {
  const fit = (pick: (c: WaitCost) => number) =>
    slope(points.map((c) => ({ x: c.reads, y: pick(c) })));
  const first = points[0]!;
  const last = points.at(-1)!;
  return {
    cpuMs: fit((c) => c.cpuMs.median),
    maxRssBytes: fit((c) => c.maxRssBytes.median),
    heapAfterGcBytes: fit((c) => c.heapAfterGcBytes.median),
    heapAfterGcTailBytes: slope(
      points.slice(-2).map((c) => ({ x: c.reads, y: c.heapAfterGcBytes.median })),
    ),
    maxRssGrowthBytes: last.maxRssBytes.median - first.maxRssBytes.median,
  };
}

class Reports {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cpp-bench-cost-'));
  private serial = 0;
  next(): string {
    return join(this.dir, `report-${this.serial++}.json`);
  }
  read(file: string): Report {
    return JSON.parse(readFileSync(file, 'utf8')) as Report;
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function waitCost(
  reports: Reports,
  kind: WaitKind,
  reads: number,
  repeats: number,
  clockFactor: number,
): Promise<WaitCost> {
  const scenario = waitScenario(kind, reads);
  const measured: Report[] = [];
  const walls: number[] = [];
  let logBytes = 0;
  for (let i = 0; i < repeats; i++) {
    const sim = await startSimulator({ scenario });
    const file = reports.next();
    try {
      const run = await runBundle(
        sim,
        // The longest the action allows: its deadline must not be what ends the wait.
        { timeout: '7d' },
        { env: fastClockEnv(clockFactor, file), killAfterMs: 240_000 },
      );
      if (sim.statusReads() !== reads) {
        throw new Error(`Expected ${reads} reads, the simulator saw ${sim.statusReads()}.`);
      }
      measured.push(reports.read(file));
      walls.push(run.durationMs);
      logBytes = Buffer.byteLength(run.stdout);
    } finally {
      await sim.close();
    }
  }
  return { kind, reads, clockFactor, wallMs: spread(walls), logBytes, ...toProcessCost(measured) };
}

async function curlJqCost(reports: Reports, polls: number, repeats: number): Promise<CurlJqCost> {
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const sim = await startSimulator({ scenario: waitScenario('quiet', polls) });
    const file = reports.next();
    try {
      await runCurlJq(sim, 0, ['/usr/bin/time', '-f', '%U %S %M', '-o', file]);
    } finally {
      await sim.close();
    }
    const last = readFileSync(file, 'utf8').trim().split('\n').at(-1)!;
    const [user, system, maxKiB] = last.split(' ').map(Number);
    cpu.push((user! + system!) * 1000);
    rss.push(maxKiB! * 1024);
  }
  return { polls, cpuMs: spread(cpu), maxRssBytes: spread(rss) };
}

export async function measureCost(plan: CostPlan): Promise<Cost> {
  const reports = new Reports();
  try {
    const nodeReports: Report[] = [];
    for (let i = 0; i < plan.nodeRepeats; i++) {
      const file = reports.next();
      await runNode(['-e', '0'], { env: fastClockEnv(plan.clockFactor, file) });
      nodeReports.push(reports.read(file));
    }
    const action: WaitCost[] = [];
    for (const kind of ['quiet', 'chatty'] as const) {
      for (const reads of plan.readCounts) {
        action.push(await waitCost(reports, kind, reads, plan.repeats, plan.clockFactor));
      }
    }
    const paced: WaitCost[] = [];
    for (const reads of plan.paced.readCounts) {
      paced.push(await waitCost(reports, 'quiet', reads, 1, plan.paced.clockFactor));
    }
    const curlJq: CurlJqCost[] = [];
    for (const polls of plan.curlJqPolls)
      curlJq.push(await curlJqCost(reports, polls, plan.repeats));

    return {
      clockFactor: plan.clockFactor,
      responseBytes: { quiet: bytes(running(30)), chatty: bytes(running(99)) },
      node: toProcessCost(nodeReports),
      action,
      perRead: {
        quiet: perRead(action.filter((c) => c.kind === 'quiet')),
        chatty: perRead(action.filter((c) => c.kind === 'chatty')),
      },
      paced,
      pacedPerRead: perRead(paced),
      curlJq,
      curlJqCpuMsPerPoll: slope(curlJq.map((c) => ({ x: c.polls, y: c.cpuMs.median }))),
    };
  } finally {
    reports.dispose();
  }
}
