/**
 * `npm run bench`: proves the action is lean, prompt and polite, side by side with the curl/jq loop
 * users write today, against the simulator on loopback. Prints a table and writes
 * bench/results/latest.json (stable keys, for comparing commits) and bench/results/latest.md.
 *
 *   npm run bench              # the full run, a few minutes on 2 cores
 *   npm run bench -- --quick   # fewer runs and reads: a smoke test of the benchmark itself
 *   npm run bench -- --dist /tmp/build --out /tmp/results   # another build of the action
 *   npm run bench -- --only offers   # one section, printed, nothing written
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { DIST_ENTRY } from '../simulator/run-action.js';
import { measureColdStart } from './cold-start.js';
import { measureCost } from './cost.js';
import { measureLatency } from './latency.js';
import { measureOffers } from './offers.js';
import { useBundle } from './processes.js';
import { machine } from './machine.js';
import { markdown, offersRows, rows, targets, textTable, type Results } from './report.js';
import { measureSize } from './size.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    dist: { type: 'string', default: dirname(DIST_ENTRY) },
    out: { type: 'string', default: fileURLToPath(new URL('./results/', import.meta.url)) },
    only: { type: 'string' },
  },
});
const quick = values.quick;
const dist = resolve(values.dist);

const PLAN = {
  coldStartRuns: quick ? 3 : 9,
  latencyRuns: quick ? 2 : 6,
  pollIntervalMs: 1_000,
  cost: {
    readCounts: quick ? [50, 200] : [250, 1000, 4000],
    repeats: quick ? 1 : 3,
    nodeRepeats: quick ? 2 : 5,
    clockFactor: 1000,
    paced: { readCounts: quick ? [20, 60] : [250, 1000], clockFactor: 50 },
    curlJqPolls: quick ? [10, 40] : [50, 200],
  },
  offers: { counts: quick ? [1, 10] : [1, 10, 100], latencyMs: 20 },
};

if (!existsSync(join(dist, 'index.js'))) {
  console.error(`${join(dist, 'index.js')} is missing: run \`npm run bundle\` first.`);
  process.exit(1);
}
useBundle(dist);

const started = performance.now();
const step = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  process.stdout.write(`${name}… `);
  const result = await work();
  console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
  return result;
};

if (values.only === 'offers') {
  const offers = await step('Many offers', () =>
    measureOffers(PLAN.offers.counts, PLAN.offers.latencyMs),
  );
  console.log(`\n${textTable([['Measure', 'Action', 'Baseline', 'Note'], ...offersRows(offers)])}`);
  process.exit(0);
}

const size = await step('Size of dist/', () => measureSize(dist));
const coldStart = await step('Cold start', () => measureColdStart(PLAN.coldStartRuns));
const latency = await step('Detection latency and politeness', () =>
  measureLatency(PLAN.latencyRuns, PLAN.pollIntervalMs),
);
const cost = await step('Cost of waiting', () => measureCost(PLAN.cost));
const offers = await step('Many offers', () =>
  measureOffers(PLAN.offers.counts, PLAN.offers.latencyMs),
);
const sizeAfter = measureSize(dist).indexSha;
if (sizeAfter !== size.indexSha) {
  console.warn('dist/index.js changed while the benchmark ran: the results mix two bundles.');
}

const results: Results = { machine: machine(), coldStart, latency, cost, offers, size };
const { distCommit, srcCommit } = results.machine;
if (values.dist === dirname(DIST_ENTRY) && distCommit !== srcCommit) {
  console.warn(
    `dist/ was last committed in ${distCommit}, src/ in ${srcCommit}: dist/ may be stale.`,
  );
}
const met = targets(results);
const table = rows(results);
console.log(`\n${textTable(table)}\n`);
for (const t of met)
  console.log(`${t.met ? 'MET   ' : 'MISSED'} ${t.id}: ${t.measured} (target: ${t.target})`);

const json = {
  schema: 1,
  ...results,
  plan: { quick, dist: relative(dirname(dirname(DIST_ENTRY)), dist) || '.', ...PLAN },
  targets: met,
  durationS: (performance.now() - started) / 1000,
};
const outDir = resolve(values.out);
mkdirSync(outDir, { recursive: true });
const write = async (name: string, text: string) => {
  const file = join(outDir, name);
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(text, { ...options, filepath: file }));
  return file;
};
const jsonPath = await write('latest.json', JSON.stringify(roundDeep(json), null, 2));
await write('latest.md', markdown(results, table, met));
console.log(`\nWrote ${jsonPath} and latest.md in ${json.durationS.toFixed(0)} s.`);

/** Numbers to at most 3 decimals: readable diffs between commits. */
function roundDeep(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isInteger(value) ? value : Math.round(value * 1000) / 1000;
  if (Array.isArray(value)) return value.map(roundDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)]));
  }
  return value;
}
