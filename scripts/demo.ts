/**
 * `npm run demo`: starts the simulator on 127.0.0.1, runs the committed bundle (`dist/index.js`)
 * against it exactly as the Actions runner would, and shows the log, the outputs and the summary.
 * No credentials, no internet.
 *
 *   npm run demo                                   # a publish that reaches the publisher sign-off
 *   npm run demo -- --scenario certification-failed
 *   npm run demo -- --scenario publish-to-live --wait-until completion
 *   npm run demo -- --scenario stuck-in-certification   # ends by the action's timeout (20s)
 *   npm run demo -- --api product-ingestion        # the same on Partner Center's product-ingestion API
 *   npm run demo -- --publish --go-live            # start the publish, go live at the sign-off
 */
import { readCommandLine } from './cli.js';
import { parseDuration } from '../src/core/duration.js';
import { runAction } from '../simulator/run-action.js';
import { startSimulator } from '../simulator/server.js';

const USAGE = `Usage: npm run demo -- [options]

Starts a simulator on 127.0.0.1 and runs the bundled action (dist/index.js) against it as the
Actions runner would; shows the log, the outputs and where the job summary was written.

Options:
  --api <name>             cloud-partner-portal (alias cpp; default) or product-ingestion
                           (alias ingestion)
  --scenario <name>        the offer's state before the run (default publish-to-live, or with
                           --publish never-published / draft-only); --list shows them.
                           stuck-in-certification never ends: the action's timeout does
  --publish                start a publish first (input publish: true)
  --go-live                go live at the publisher sign-off (input go-live: true)
  --wait-until <when>      review (default), completion or none
  --poll-interval <d>      time between reads (default 1s)
  --timeout <d>            the action's timeout input (default 20s); the demo kills the action
                           only if it runs 30s past it
  --operation-id <id>      follow this operation / configure job; auto: the one the simulator knows
  --list                   list the API's scenarios and exit
  -h, --help               show this help and exit
`;

const { values, ingestion, checkScenario } = readCommandLine(USAGE, {
  scenario: { type: 'string' },
  publish: { type: 'boolean', default: false },
  'go-live': { type: 'boolean', default: false },
  'wait-until': { type: 'string', default: 'review' },
  'poll-interval': { type: 'string', default: '1s' },
  timeout: { type: 'string', default: '20s' },
  'operation-id': { type: 'string', default: '' },
});
if (values.scenario !== undefined) checkScenario(values.scenario);

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
  timeout: values.timeout,
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
// The action ends by its own `timeout`; the harness kills it only well after (a guard for a hang).
// A timeout the action cannot read is refused by the action itself, at once.
const guardMs = (parseDuration(values.timeout) ?? 0) + 30_000;
const run = await runAction({
  inputs,
  keepFiles: true,
  killAfterMs: guardMs,
  onStdout: (chunk) => process.stdout.write(chunk),
});
await simulator.close();
console.log('───── end of log ─────\n');
if (run.exitCode === null)
  console.log(
    `Exit code: none: the demo killed the action (${run.signal ?? 'signal'}) ${guardMs / 1000}s after it started, past its timeout (${values.timeout}).`,
  );
else
  console.log(`Exit code: ${run.exitCode} (${run.exitCode === 0 ? 'step passes' : 'step fails'})`);
console.log(`Requests to the API: ${simulator.requests.length}`);
console.log('Outputs:');
for (const [name, value] of Object.entries(run.outputs)) {
  console.log(`  ${name} = ${value.length > 120 ? `${value.slice(0, 117)}...` : value}`);
}
console.log(`\nJob summary written to ${run.summaryPath} (${run.summary.length} bytes).`);
