/**
 * `npm run simulator`: a simulator as a standing server, for clients that run the action themselves
 * rather than through `simulator/run-action.ts`: the CI job that runs the action the way users do
 * (`uses: ./`), and `@github/local-action` (`npm run local-action`, with the `base-url` input
 * pointing here). The Cloud Partner Portal API by default; `--api product-ingestion` for Partner
 * Center's product-ingestion API. It stays up until SIGINT or SIGTERM.
 *
 *   npm run simulator
 *   npm run simulator -- --port 8787 --offers contoso-vm,contoso-app --scenario-for contoso-app=succeeded
 *   npm run simulator -- --api product-ingestion --port 8788 --scenario publish-to-signoff
 */
import { readCommandLine } from './cli.js';
import { startSimulator } from '../simulator/server.js';

const USAGE = `Usage: npm run simulator -- [options]

Starts a simulator of the Cloud Partner Portal API (default) or of Partner Center's
product-ingestion API on 127.0.0.1, and keeps it up until Ctrl+C.

Options:
  --api <name>                 cloud-partner-portal (alias cpp; default) or product-ingestion
                               (alias ingestion)
  --port <n>                   the port to listen on (default 8787; 0: any free port)
  --scenario <name>            the offers' state before the run (default publish-to-live)
  --offers <id,id,...>         the offer ids (default contoso-vm)
  --scenario-for <id=name>     another scenario for one offer (repeatable)
  --list                       list the API's scenarios and exit
  -h, --help                   show this help and exit
`;

const { values, ingestion, usageError, checkScenario } = readCommandLine(USAGE, {
  port: { type: 'string', default: '8787' },
  scenario: { type: 'string', default: 'publish-to-live' },
  offers: { type: 'string' },
  'scenario-for': { type: 'string', multiple: true, default: [] },
});

const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535)
  usageError(`--port takes a port number, not '${values.port}'.`);
checkScenario(values.scenario, '--scenario');
const offerIds = values.offers
  ?.split(',')
  .map((id) => id.trim())
  .filter(Boolean);
if (offerIds?.length === 0) usageError('--offers takes one or more comma-separated offer ids.');
const scenarioFor: Record<string, string> = {};
for (const pair of values['scenario-for']) {
  const [id = '', scenario = ''] = pair.split('=', 2);
  if (!id || !scenario) usageError(`--scenario-for takes id=scenario, not '${pair}'.`);
  checkScenario(scenario, `--scenario-for ${pair}`);
  scenarioFor[id] = scenario;
}

let simulator;
try {
  simulator = await startSimulator(
    ingestion
      ? { api: 'product-ingestion', scenario: values.scenario, port, offerIds, scenarioFor }
      : { scenario: values.scenario, port, offerIds, scenarioFor },
  );
} catch (e) {
  process.stderr.write(`The simulator could not start: ${(e as Error).message}\n`);
  process.exit(1);
}

console.log(`Simulator (${simulator.api}) on ${simulator.url}, token ${simulator.token}`);
console.log(`Scenario: ${values.scenario}; offers: ${simulator.offerId}`);
console.log('\nThe action inputs that talk to it:\n');
const inputs: [string, string][] = [
  ['api', simulator.api],
  ...(ingestion ? [] : [['publisher-id', simulator.publisherId] as [string, string]]),
  ['offer-id', simulator.offerId],
  ['access-token', simulator.token],
  ['base-url', simulator.url],
  ['wait-until', 'review'],
  ['poll-interval', '1s'],
  ['timeout', '2m'],
];
console.log('  - uses: ./');
console.log('    with:');
for (const [name, value] of inputs) console.log(`      ${name}: ${value}`);
console.log('\n  or, in .env for `npm run local-action`:\n');
for (const [name, value] of inputs) console.log(`  INPUT_${name.toUpperCase()}=${value}`);
console.log('\nCtrl+C stops it.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void simulator.close().then(() => process.exit(0)));
}
