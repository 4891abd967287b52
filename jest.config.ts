import type { Config } from 'jest';
import { createRequire } from 'node:module';

// Jest requires reporters with plain require, without a TypeScript transform,
// so tsx's hook lets it load the summary reporter written in TypeScript. The
// tsconfig's module resolution cannot see tsx's subpath exports, hence the cast.
const tsx = createRequire(__filename)('tsx/cjs/api') as { register: () => unknown };
tsx.register();

// Pact sends usage data unless PACT_DO_NOT_TRACK is set, and these machines have no network.
process.env.PACT_DO_NOT_TRACK = 'true';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Transpile only: `npm test` type-checks sources and tests with tsc before Jest starts.
    // isolatedModules in this tsconfig makes ts-jest compile each file on its own, without type information.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  // Jest's default of one worker per core minus one leaves a 2-core machine
  // running test files one at a time, while most of their time is spent
  // waiting on child processes and loopback servers.
  maxWorkers: 2,
  setupFiles: ['<rootDir>/tests/support/environment.ts'],
  testTimeout: 60_000,
  // The JUnit XML and the JSON summary under reports/ are what a pipeline
  // uploads and gates on; the default reporter stays for people.
  reporters: [
    'default',
    ['jest-junit', { outputDirectory: '<rootDir>/reports', outputName: 'jest-junit.xml', suiteNameTemplate: '{filepath}', addFileAttribute: 'true' }],
    ['<rootDir>/contracts/reports/jestSummaryReporter.ts', { outputFile: 'reports/jest-summary.json' }],
  ],
};

export default config;
