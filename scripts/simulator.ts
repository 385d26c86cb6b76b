/**
 * `npm run simulator`: the CPP simulator as a standing server, for clients that run the action
 * themselves rather than through `simulator/run-action.ts`: the CI job that runs the action the way
 * users do (`uses: ./`), and `@github/local-action` (`npm run local-action`, with the `base-url`
 * input pointing here). It stays up until SIGINT or SIGTERM.
 *
 *   npm run simulator
 *   npm run simulator -- --port 8787 --offers contoso-vm,contoso-app --scenario-for contoso-app=succeeded
 */
import { parseArgs } from 'node:util';
import { startSimulator } from '../simulator/server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    scenario: { type: 'string', default: 'publish-to-live' },
    offers: { type: 'string' },
    'scenario-for': { type: 'string', multiple: true, default: [] },
  },
});

const scenarioFor: Record<string, string> = {};
for (const pair of values['scenario-for']) {
  const [id, scenario] = pair.split('=', 2);
  if (!id || !scenario) throw new Error(`--scenario-for takes id=scenario, not '${pair}'.`);
  scenarioFor[id] = scenario;
}

const simulator = await startSimulator({
  scenario: values.scenario,
  port: Number(values.port),
  offerIds: values.offers?.split(',').map((id) => id.trim()),
  scenarioFor,
});
console.log(`Simulator (${simulator.api}) on ${simulator.url}, token ${simulator.token}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void simulator.close().then(() => process.exit(0)));
}
