/**
 * One offer's whole step in-process (the real planner, Publisher, wait, adapters and HTTP client,
 * the redacting runner and the summary) against the simulators on loopback, on virtual time, with
 * faults drawn by the property tests: lost answers, stalls, refusals, failing reads, a visibility
 * lag, a cancellation, edits made in Partner Center before or during the step.
 */
import { API_PROFILES } from '../../src/adapters/index.js';
import { SeenMessages } from '../../src/core/changes.js';
import type { OfferOutcome } from '../../src/core/outcome.js';
import { finish } from '../../src/finish.js';
import { bounded } from '../../src/github/bounded.js';
import { Redactor } from '../../src/github/redact.js';
import { redacting, type Runner } from '../../src/github/runner.js';
import { HttpClient } from '../../src/http/client.js';
import { Gate } from '../../src/http/gate.js';
import { readSettings } from '../../src/inputs/index.js';
import { followOffer } from '../../src/offer/follow.js';
import { sasUris } from '../../src/core/configure/vm-image.js';
import type {
  IngestionSimulator,
  Resource,
  Simulator,
  WriteFault,
} from '../../simulator/common.js';
import type { Frame } from '../../simulator/scenarios.js';
import { startSimulator } from '../../simulator/server.js';

export type Api = 'cloud-partner-portal' | 'product-ingestion';
const EPOCH = Date.UTC(2026, 10, 2, 9, 0, 0);
const POLL_MS = 60_000;
const TIMEOUT_MS = 4 * 3_600_000;

/** What a cancellation waits for: a request (by index) in flight, or a time in a wait. */
export type Cancel = { atRequest: number } | { atMs: number } | null;

export interface SimCase {
  api: Api;
  /** The simulator's scenario for that API. */
  scenario: string;
  publishFaults?: WriteFault[];
  goLiveFaults?: WriteFault[];
  changeFaults?: WriteFault[];
  publishOutcome?: 'review' | 'fails';
  lagMs?: number;
  /** Requests (by index) whose answer is a transient failure instead. */
  failingReads?: number[];
  /** A run of reads in a row that fail (an outage). */
  outage?: { from: number; count: number } | null;
  addressing?: 'location' | 'operation-location' | 'non-migrated' | 'none' | 'foreign';
  /** ingestion: the next change is refused with this code and message. */
  changeRefusal?: { code: string; message: string; resourceId?: string };
  /** ingestion: edits made in Partner Center when this request (by index) comes. */
  editAt?: { request: number; edit: (draft: Resource[]) => void } | null;
}

/** A simulator on a virtual clock, with the faults of `c`, and the handle steps run against. */
export interface Bench {
  sim: Simulator;
  now(): number;
  /** Moves the virtual clock on, and cancels the step when its cancellation time has come. */
  sleep(ms: number): Promise<void>;
  /** Arms the next step's faults and cancellation; `done` when the step has ended. */
  arm(cancel: Cancel): {
    signal: AbortSignal;
    cancelledAfter(): number | undefined;
    done(): void;
  };
  close(): Promise<void>;
}

export async function startBench(c: SimCase): Promise<Bench> {
  let virtual = 0;
  // Faults, edits and the cancellation apply to a step's own requests, counted from its first;
  // the test's reads between steps meet none.
  let armed:
    | { cancel: Cancel; controller: AbortController; after?: number; from: number; done?: boolean }
    | undefined;
  let bench: IngestionSimulator | undefined;
  const sim = await startSimulator({
    ...(c.api === 'product-ingestion' ? { api: c.api } : {}),
    scenario: c.scenario,
    publish: c.publishFaults ?? [],
    goLive: c.goLiveFaults ?? [],
    ...(c.api === 'product-ingestion'
      ? {
          change: c.changeFaults ?? [],
          ...(c.changeRefusal ? { changeRefusal: c.changeRefusal } : {}),
        }
      : { addressing: c.addressing ?? 'location' }),
    publishOutcome: c.publishOutcome ?? 'review',
    lagMs: c.lagMs ?? 0,
    clock: () => virtual,
    intercept: (req: { method: string; n: number }): Frame | undefined => {
      if (!armed || armed.done) return undefined;
      const n = req.n - armed.from;
      if (armed.cancel && 'atRequest' in armed.cancel && n === armed.cancel.atRequest) {
        armed.after ??= req.n;
        armed.controller.abort();
      }
      if (c.editAt && n === c.editAt.request) bench?.editDraft((draft) => c.editAt!.edit(draft));
      const down = c.outage && n >= c.outage.from && n < c.outage.from + c.outage.count;
      if (req.method === 'GET' && (down || (c.failingReads ?? []).includes(n))) {
        return { kind: 'http', status: 503, body: '{"error":{"code":"serviceUnavailable"}}' };
      }
      return undefined;
    },
  } as Parameters<typeof startSimulator>[0]);
  if (c.api === 'product-ingestion') bench = sim as IngestionSimulator;
  return {
    sim,
    now: () => EPOCH + virtual,
    sleep: async (ms) => {
      virtual += Math.max(0, ms);
      const cancel = armed?.cancel;
      if (
        cancel &&
        'atMs' in cancel &&
        virtual >= cancel.atMs &&
        !armed!.controller.signal.aborted
      ) {
        armed!.after ??= sim.requests.length - 1;
        armed!.controller.abort();
      }
      await new Promise((done) => setImmediate(done));
    },
    arm: (cancel) => {
      armed = { cancel, controller: new AbortController(), from: sim.requests.length };
      const a = armed;
      return {
        signal: a.controller.signal,
        cancelledAfter: () => a.after,
        done: () => void (a.done = true),
      };
    },
    close: () => sim.close(),
  };
}

/** Everything the step said: log lines, annotations, outputs, the summary, the failure. */
interface Said {
  lines: string[];
  outputs: Record<string, string>;
  summary: string;
  failed?: string;
  /** What the step asked the runner to mask. */
  masked: string[];
}

function recorder(inputs: Record<string, string>): { runner: Runner; said: Said } {
  const said: Said = { lines: [], outputs: {}, summary: '', masked: [] };
  const runner: Runner = {
    getInput: (name) => inputs[name] ?? '',
    setSecret: (s) => void said.masked.push(s),
    setOutput: (name, value) => void (said.outputs[name] = value),
    info: (m) => void said.lines.push(m),
    debug: (m) => void said.lines.push(m),
    warning: (m, title) => void said.lines.push(`warning ${title ?? ''} ${m}`),
    error: (m, title) => void said.lines.push(`error ${title ?? ''} ${m}`),
    setFailed: (m) => void (said.failed = m),
    writeSummary: async (html) => void (said.summary = html),
    runUrl: async () => undefined,
  };
  return { runner, said };
}

export interface StepResult {
  outcome: OfferOutcome;
  said: Said;
  deadline: number;
  endedAt: number;
  /** The index of the request in flight when the step was cancelled. */
  cancelledAfter: number | undefined;
  /** The requests of this step: indices into `sim.requests` from `from`. */
  from: number;
}

/**
 * One step as the runner runs it (inputs masked and read, the offer followed, outputs and summary
 * written), with the simulator's token and address. `cancel` arms this step's cancellation.
 */
export async function runStep(
  bench: Bench,
  given: Record<string, string>,
  cancel: Cancel = null,
): Promise<StepResult> {
  const { sim } = bench;
  const inputs: Record<string, string> = {
    api: sim.api,
    'publisher-id': sim.publisherId,
    'offer-id': sim.offerId,
    'base-url': sim.url,
    'poll-interval': `${POLL_MS / 1000}s`,
    timeout: `${TIMEOUT_MS / 1000}s`,
    'request-timeout': '1s',
    ...given,
  };
  const { runner: recording, said } = recorder(inputs);
  const redactor = new Redactor();
  // The runner as `main` wraps it: every text redacted, bounded; the SAS URIs in `vm-image` masked.
  const runner = bounded(redacting(recording, redactor));
  for (const uri of sasUris(inputs['vm-image'] ?? '')) {
    runner.setSecret(uri);
    runner.setSecret(uri.slice(uri.indexOf('?') + 1));
  }
  const armed = bench.arm(cancel);
  const settings = readSettings((name) => inputs[name] ?? '');
  const http = new HttpClient({
    tokens: { renewable: false, token: async () => sim.token },
    // Real time is spent only on stalls: a short request timeout, and backoff in milliseconds.
    requestTimeoutMs: 150,
    retryMinDelayMs: 1,
    retryMaxDelayMs: 2,
    now: bench.now,
    gate: new Gate({ maxInFlight: 4, now: bench.now, sleep: (ms) => bench.sleep(ms) }),
  });
  const profile = API_PROFILES[settings.api];
  const stepStart = bench.now();
  const deadline = stepStart + settings.timeoutMs;
  const from = sim.requests.length;
  const outcome = await followOffer({
    settings,
    adapter: profile.create(
      http,
      { publisherId: sim.publisherId, offerId: sim.offerId, operationId: '' },
      { baseUrl: settings.baseUrl, version: settings.apiVersion },
    ),
    apiTitle: profile.title,
    offerId: sim.offerId,
    runner,
    now: bench.now,
    sleep: bench.sleep,
    cancel: armed.signal,
    stepStart,
    deadline,
    expiry: new AbortController().signal,
    offsetMs: 0,
    seen: new SeenMessages().forOffer(sim.offerId),
    files: [],
    tenantId: async () => '3d9e7a1c-5b2f-4e8d-a6c0-1f4b8e2d7a95',
  });
  const endedAt = bench.now();
  armed.done();
  await finish(runner, {
    api: profile.title,
    publisherId: settings.publisherId,
    outcomes: [outcome],
    waitedMs: endedAt - stepStart,
    now: endedAt,
    dryRun: settings.dryRun,
  });
  return { outcome, said, deadline, endedAt, cancelledAfter: armed.cancelledAfter(), from };
}

/** A go-live request on either API (CPP `POST …/golive`, or a configure of a live submission). */
export function isGoLive(r: { path: string; body?: string }): boolean {
  return r.path.endsWith('/golive') || /"targetType":"live"/.test(r.body ?? '');
}

/** What the service serves for a target, read as a client would (ingestion). */
export async function tree(sim: Simulator, target: 'draft' | 'preview'): Promise<Resource[]> {
  const guid = 'e6b2b49b-5f0a-4f53-9a0c-bd8c3d4b4a39';
  const url = `${sim.url}/resource-tree/product/${guid}?targetType=${target}&$version=2022-07-01`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${sim.token}` } });
  return ((await res.json()) as { resources: Resource[] }).resources;
}
