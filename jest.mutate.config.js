/**
 * The tests mutation testing runs against each mutant: the unit tests that import its file (the
 * property tests take tens of seconds each, too slow to run per mutant).
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'],
  reporters: ['default'],
};
