import { availableParallelism } from 'node:os';

/** ESM + TypeScript: ts-jest only transpiles (isolatedModules); `npm run typecheck` checks types. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Mutation testing's copies of the project (npm run mutate) are not this project.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/', '<rootDir>/reports/'],
  testTimeout: 30000,
  // Two workers even on two cores (jest would take one): the files wait on I/O and stalls as much
  // as they compute, and no test depends on another's timing (the end-to-end scenarios run on a
  // virtual clock). Measured on 2 cores: 38 s with two workers, 78 s with one.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // jest's own report, one progress line per test file as it ends, and the closing count line CI reads.
  reporters: [
    'default',
    '<rootDir>/scripts/jest-progress-reporter.js',
    '<rootDir>/scripts/jest-count-reporter.js',
  ],
};
