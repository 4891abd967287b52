import type { Config } from 'jest';

// Pact sends usage data unless told not to, and these machines have no network.
process.env.PACT_DO_NOT_TRACK = 'true';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/tests/support/environment.ts'],
  testTimeout: 60_000,
};

export default config;
