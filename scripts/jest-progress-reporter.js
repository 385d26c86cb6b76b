// Progress for `npm test`: one line per test file as it ends — how many files are done, its verdict,
// its path, its tests and its seconds — so a long run shows where it is:
//
//   [ 3/49] PASS __tests__/unit/rollup.test.ts: 14 tests, 0.4 s (run 12 s)
//   [ 4/49] FAIL __tests__/e2e/wait.test.ts: 31 tests (2 failed), 48.1 s (run 60 s)
//
// The closing count line CI reads is jest-count-reporter.js's.
import { relative } from 'node:path';

export default class ProgressReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.total = 0;
    this.done = 0;
    this.started = Date.now();
  }

  onRunStart(results) {
    this.total = results.numTotalTestSuites;
    this.started = Date.now();
  }

  onTestResult(test, result) {
    this.done++;
    const width = String(this.total).length;
    const count = `[${String(this.done).padStart(width)}/${this.total}]`;
    const path = relative(this.rootDir, test.path);
    const run = `run ${Math.round((Date.now() - this.started) / 1000)} s`;
    if (result.testExecError) {
      const message = String(result.testExecError.message ?? '').split('\n')[0];
      process.stderr.write(`${count} FAIL ${path}: could not run (${message}) (${run})\n`);
      return;
    }
    const tests =
      result.numPassingTests +
      result.numFailingTests +
      result.numPendingTests +
      result.numTodoTests;
    const notes = [
      result.numFailingTests ? `${result.numFailingTests} failed` : '',
      result.numPendingTests + result.numTodoTests
        ? `${result.numPendingTests + result.numTodoTests} skipped`
        : '',
    ].filter(Boolean);
    const seconds = ((result.perfStats.end - result.perfStats.start) / 1000).toFixed(1);
    const verdict = result.numFailingTests ? 'FAIL' : 'PASS';
    process.stderr.write(
      `${count} ${verdict} ${path}: ${tests} test${tests === 1 ? '' : 's'}` +
        `${notes.length ? ` (${notes.join(', ')})` : ''}, ${seconds} s (${run})\n`,
    );
  }
}
