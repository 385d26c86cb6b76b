/**
 * Cold start: from spawning the process to its first API request, for the bundled action, against
 * `node -e 0` (spawn to exit), and `node -e "fetch(url)"` and `node -e "http.get(url)"` (spawn to
 * their request), spawned the same way. The three are interleaved run by run, so that the machine's noise falls on all of them.
 */
import type { ActionRun } from '../simulator/run-action.js';
import { startSimulator, type Simulator } from '../simulator/server.js';
import { runBundle, runNode, statusUrl } from './processes.js';
import { spread, type Spread } from './stats.js';

export interface ColdStart {
  runs: number;
  /** Spawn to the action's first request (ms). */
  actionFirstRequestMs: Spread;
  /** Spawn to the action's exit after a one-read wait that ends at once (ms). */
  actionExitMs: Spread;
  /** Spawn to exit of `node -e 0` (ms). */
  nodeExitMs: Spread;
  /** Spawn to the first request of `node -e "fetch(url)"` (ms). */
  nodeFetchFirstRequestMs: Spread;
  /** Spawn to the first request of `node -e "http.get(url)"` (ms): the floor for any client. */
  nodeHttpFirstRequestMs: Spread;
  /** Per run: the action's first request over `node -e 0`'s exit. */
  ratioToNode: Spread;
  /** Per run: the action's first request over `node -e fetch`'s first request. */
  ratioToNodeFetch: Spread;
}

/** Spawn to the simulator's first recorded request, on the one `performance.now()` clock. */
function firstRequestMs(sim: Simulator, run: ActionRun): number {
  const first = sim.requests[0];
  if (!first) throw new Error('The process made no request.');
  return sim.startedAt + first.at - run.startedAt;
}

async function once() {
  const sim = await startSimulator({ scenario: 'succeeded' });
  try {
    const action = await runBundle(sim);
    const actionFirst = firstRequestMs(sim, action);
    sim.requests.length = 0;
    const node = await runNode(['-e', '0']);
    const fetcher = await runNode(
      ['-e', 'fetch(process.env.URL, { headers: { authorization: process.env.AUTH } })'],
      { env: { URL: statusUrl(sim), AUTH: `Bearer ${sim.token}` } },
    );
    const fetchFirst = firstRequestMs(sim, fetcher);
    sim.requests.length = 0;
    const http = await runNode(
      [
        '-e',
        "require('node:http').get(process.env.URL, { headers: { authorization: process.env.AUTH } }, (r) => r.resume())",
      ],
      { env: { URL: statusUrl(sim), AUTH: `Bearer ${sim.token}` } },
    );
    return {
      actionFirst,
      actionExit: action.durationMs,
      node: node.durationMs,
      fetchFirst,
      httpFirst: firstRequestMs(sim, http),
    };
  } finally {
    await sim.close();
  }
}

export async function measureColdStart(runs: number): Promise<ColdStart> {
  await once(); // warm the file cache; not counted
  const all: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < runs; i++) all.push(await once());
  return {
    runs,
    actionFirstRequestMs: spread(all.map((r) => r.actionFirst)),
    actionExitMs: spread(all.map((r) => r.actionExit)),
    nodeExitMs: spread(all.map((r) => r.node)),
    nodeFetchFirstRequestMs: spread(all.map((r) => r.fetchFirst)),
    nodeHttpFirstRequestMs: spread(all.map((r) => r.httpFirst)),
    ratioToNode: spread(all.map((r) => r.actionFirst / r.node)),
    ratioToNodeFetch: spread(all.map((r) => r.actionFirst / r.fetchFirst)),
  };
}
