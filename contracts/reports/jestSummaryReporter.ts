// A Jest reporter that writes the test run's verdict as JSON, beside the
// JUnit XML that jest-junit writes, so a pipeline can read counts and the
// failing test names without parsing XML.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AggregatedResult, Reporter } from '@jest/reporters';

interface SummaryReporterOptions {
  outputFile?: string;
}

export default class JestSummaryReporter implements Pick<Reporter, 'onRunComplete'> {
  private readonly outputFile: string;

  constructor(_globalConfig: unknown, options: SummaryReporterOptions = {}) {
    this.outputFile = path.resolve(options.outputFile ?? 'reports/jest-summary.json');
  }

  onRunComplete(_contexts: unknown, results: AggregatedResult): void {
    const summary = {
      formatVersion: 1,
      // AggregatedResult.success is not final yet when reporters run, so the counts decide.
      passed: results.numFailedTests === 0 && results.numFailedTestSuites === 0 && results.numRuntimeErrorTestSuites === 0,
      startedAt: new Date(results.startTime).toISOString(),
      counts: {
        suites: results.numTotalTestSuites,
        failedSuites: results.numFailedTestSuites,
        tests: results.numTotalTests,
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        pending: results.numPendingTests,
      },
      failures: results.testResults.flatMap((file) => [
        ...(file.testExecError ? [{ file: path.relative(process.cwd(), file.testFilePath), test: '(the file did not run)', message: file.testExecError.message }] : []),
        ...file.testResults
          .filter((test) => test.status === 'failed')
          .map((test) => ({ file: path.relative(process.cwd(), file.testFilePath), test: test.fullName, message: test.failureMessages.join('\n').split('\n')[0] ?? '' })),
      ]),
    };
    mkdirSync(path.dirname(this.outputFile), { recursive: true });
    writeFileSync(this.outputFile, `${JSON.stringify(summary, null, 2)}\n`, 'utf8');
  }
}
