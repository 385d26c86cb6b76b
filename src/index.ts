import { run } from './main.js';
import { actionsRunner } from './github/runner.js';

// When a workflow is cancelled the runner sends SIGINT, then SIGTERM about 7.5 s later, then kills
// the process. The first signal stops the wait (the request in flight is aborted) and lets the
// action write its summary and outputs; the second one makes sure it is gone within seconds.
const cancel = new AbortController();
let signals = 0;
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    if (signals++ === 0) {
      actionsRunner.info(
        `Received ${name}: stopping the wait (the publish itself is not touched).`,
      );
      cancel.abort();
    } else {
      setTimeout(() => process.exit(1), 2_000).unref();
    }
  });
}

// Every throw ends as a failed step with a one-line reason, never an unhandled rejection or a stack.
run({ runner: actionsRunner, cancel: cancel.signal }).catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  actionsRunner.setFailed(`azure-marketplace-release failed unexpectedly: ${reason}`);
});
