/**
 * `npm run demo`: starts the simulator on 127.0.0.1, runs the committed bundle (`dist/index.js`)
 * against it exactly as the Actions runner would, and shows the log, the outputs and the summary.
 * No credentials, no internet.
 *
 *   npm run demo                                   # a publish that reaches the publisher sign-off
 *   npm run demo -- --scenario certification-failed
 *   npm run demo -- --scenario publish-to-live --wait-until completion
 *   npm run demo -- --api product-ingestion        # the same on Partner Center's product-ingestion API
 *   npm run demo -- --publish --go-live            # start the publish, go live at the sign-off
 */
import { parseArgs } from 'node:util';
import { ingestionScenarios } from '../simulator/ingestion-scenarios.js';
import { runAction } from '../simulator/run-action.js';
import { scenarios } from '../simulator/scenarios.js';
import { startSimulator } from '../simulator/server.js';

const { values } = parseArgs({
  options: {
    api: { type: 'string', default: 'cloud-partner-portal' },
    scenario: { type: 'string' },
    publish: { type: 'boolean', default: false },
    'go-live': { type: 'boolean', default: false },
    'wait-until': { type: 'string', default: 'review' },
    'poll-interval': { type: 'string', default: '1s' },
    'operation-id': { type: 'string', default: '' },
    list: { type: 'boolean', default: false },
  },
});

const ingestion = /^(product-ingestion|ingestion)$/i.test(values.api);
if (values.list) {
  for (const [name, s] of Object.entries(ingestion ? ingestionScenarios : scenarios))
    console.log(`${name.padEnd(24)} ${s.description}`);
  process.exit(0);
}

// A publish starts from a product that only has its draft; following one, from a running publish.
const scenario =
  values.scenario ??
  (values.publish ? (ingestion ? 'draft-only' : 'never-published') : 'publish-to-live');
const simulator = await startSimulator(
  ingestion ? { api: 'product-ingestion', scenario } : { scenario },
);
const inputs = {
  api: simulator.api,
  'publisher-id': simulator.publisherId,
  'offer-id': simulator.offerId,
  'operation-id':
    values['operation-id'] === 'auto' ? simulator.operationId : values['operation-id'],
  'wait-until': values['wait-until'],
  publish: String(values.publish),
  'go-live': String(values['go-live']),
  'poll-interval': values['poll-interval'],
  timeout: '2m',
  'access-token': simulator.token,
  'base-url': simulator.url,
};
console.log(`Simulator of the ${simulator.api} API (${scenario}) on ${simulator.url}`);
console.log(
  `Running dist/index.js with ${Object.keys(inputs)
    .map((k) => `INPUT_${k.toUpperCase()}`)
    .join(', ')}\n`,
);
console.log('───── action log ─────');
const run = await runAction({
  inputs,
  keepFiles: true,
  onStdout: (chunk) => process.stdout.write(chunk),
});
await simulator.close();
console.log('───── end of log ─────\n');
console.log(`Exit code: ${run.exitCode} (${run.exitCode === 0 ? 'step passes' : 'step fails'})`);
console.log(`Requests to the API: ${simulator.requests.length}`);
console.log('Outputs:');
for (const [name, value] of Object.entries(run.outputs)) {
  console.log(`  ${name} = ${value.length > 120 ? `${value.slice(0, 117)}...` : value}`);
}
console.log(`\nJob summary written to ${run.summaryPath} (${run.summary.length} bytes).`);
