import { run } from './main.js';
import { actionsRunner } from './runner.js';

// Every throw ends as a failed step with a one-line reason, never an unhandled rejection or a stack.
run({ runner: actionsRunner }).catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  actionsRunner.setFailed(`cpp-publish-wait failed unexpectedly: ${reason}`);
});
