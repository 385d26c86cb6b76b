/**
 * Mutation testing (`npm run mutate`): how many deliberate faults in the pure core and the write
 * rules the unit tests catch. Not a CI gate: its score is in docs/development.md.
 */
export default {
  testRunner: 'jest',
  // Each mutant runs only the tests that import its file (jest --findRelatedTests).
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutate.config.js',
    enableFindRelatedTests: true,
  },
  // ts-jest with ESM, as `npm test` runs it.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  // The pure core, and the write rules: send once, the Publisher, what is followed, the wait
  // for quiet, the go-live at the sign-off.
  mutate: [
    'src/core/**/*.ts',
    'src/offer/writes.ts',
    'src/offer/publish.ts',
    'src/offer/following.ts',
    'src/offer/quiet.ts',
    'src/offer/go-live.ts',
  ],
  coverageAnalysis: 'perTest',
  // The messages are words, most of them checked word for word by the tests already; a mutant
  // that blanks one says little about the rules. Left out: a third of the mutants.
  mutator: { excludedMutations: ['StringLiteral'] },
  // Mutants of module-level constants need every test run each: a fifth of the mutants, most of
  // the time. They are left out (counted as ignored).
  ignoreStatic: true,
  // Keeps each mutant's result (reports/stryker-incremental.json): a run after a small change
  // tests only the mutants it touched.
  incremental: true,
  checkers: [],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  timeoutMS: 20_000,
  ignorePatterns: ['dist', 'bench/results', 'reports', '.stryker-tmp'],
};
