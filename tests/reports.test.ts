// The reports are what a CI pipeline gates on, so they must state exactly what
// the run found. These tests produce a real verification (Pact's verifier,
// the reference provider with one injected fault) and read the files back
// with an XML parser and JSON.parse.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import JestSummaryReporter from '../contracts/reports/jestSummaryReporter';
import { escapeXml } from '../contracts/reports/junitReport';
import type { VerificationSummary } from '../contracts/reports/summaryReport';
import { junitFileName, summaryFileName, writeReports } from '../contracts/reports/writeReports';
import { SuiteError } from '../contracts/errors';
import { type ProviderAnswer, startReferenceProvider } from '../contracts/provider/referenceProvider';
import { Redactor } from '../contracts/verification/redact';
import { type VerificationReport, verifyPact } from '../contracts/verification/verifyPact';
import { committedEndpoint } from './support/endpoint';

interface JunitCase {
  '@_classname': string;
  '@_name': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
}

interface JunitDocument {
  testsuites: {
    '@_tests': string;
    '@_failures': string;
    testsuite: { '@_name': string; '@_tests': string; '@_failures': string; testcase: JunitCase[] };
  };
}

const createDescription = 'a request to create the run summary of a device health script';
const directories: string[] = [];
let report: VerificationReport;

function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'runsummary-reports-'));
  directories.push(directory);
  return directory;
}

function parseJunit(xml: string): JunitDocument {
  const parser = new XMLParser({ ignoreAttributes: false, alwaysCreateTextNode: true, isArray: (name) => name === 'testcase' });
  return parser.parse(xml) as JunitDocument;
}

// One injected fault: the 201 response sends a count as a string, so only the
// create interaction breaks the contract.
function countAsString(answer: ProviderAnswer): ProviderAnswer {
  if (answer.status !== 201) {
    return answer;
  }
  const body = answer.body as { value: Record<string, unknown> };
  return { ...answer, body: { ...body, value: { ...body.value, issueDetectedDeviceCount: '187' } } };
}

beforeAll(async () => {
  const provider = await startReferenceProvider({ endpoint: await committedEndpoint(), transformRunSummaryAnswer: countAsString });
  try {
    report = await verifyPact({ providerBaseUrl: provider.baseUrl });
  } finally {
    await provider.close();
  }
});

afterAll(() => {
  for (const directory of directories) {
    rmSync(directory, { recursive: true, force: true });
  }
});

describe('JUnit report', () => {
  it('has one test case per interaction', () => {
    const directory = temporaryDirectory();

    const { junitPath } = writeReports(report, directory);
    const junit = parseJunit(readFileSync(junitPath, 'utf8'));

    expect(path.basename(junitPath)).toBe(junitFileName);
    expect(junit.testsuites.testsuite.testcase.map((testCase) => testCase['@_name']).sort()).toEqual(report.interactions.map((result) => result.description).sort());
    expect(junit.testsuites.testsuite['@_tests']).toBe(String(report.interactions.length));
    expect(junit.testsuites['@_tests']).toBe(String(report.interactions.length));
  });

  it('fails only the faulty interaction', () => {
    const directory = temporaryDirectory();

    const junit = parseJunit(readFileSync(writeReports(report, directory).junitPath, 'utf8'));
    const failing = junit.testsuites.testsuite.testcase.filter((testCase) => testCase.failure !== undefined);

    expect(failing.map((testCase) => testCase['@_name'])).toEqual([createDescription]);
    expect(junit.testsuites.testsuite['@_failures']).toBe('1');
    expect(junit.testsuites['@_failures']).toBe('1');
  });

  it('lists every finding code in the failure', () => {
    const directory = temporaryDirectory();
    const codes = report.interactions.find((result) => result.description === createDescription)?.findings.map((finding) => finding.code) ?? [];

    const junit = parseJunit(readFileSync(writeReports(report, directory).junitPath, 'utf8'));
    const failure = junit.testsuites.testsuite.testcase.find((testCase) => testCase['@_name'] === createDescription)?.failure;

    expect(codes).toContain('response.body.member.type');
    expect(codes).toContain('pact.body.mismatch');
    for (const code of codes) {
      expect(failure?.['#text']).toContain(code);
      expect(failure?.['@_message']).toContain(code);
    }
    expect(failure?.['#text']).toContain('$.value.issueDetectedDeviceCount');
  });

  it('keeps markup in a description intact', () => {
    const directory = temporaryDirectory();
    const description = 'a <request> with "quotes" & \'apostrophes\'\u0007';
    const edited: VerificationReport = { ...report, interactions: [{ description, passed: true, findings: [] }] };

    const junit = parseJunit(readFileSync(writeReports(edited, directory).junitPath, 'utf8'));

    expect(junit.testsuites.testsuite.testcase[0]?.['@_name']).toBe(description.replace('\u0007', ''));
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });
});

describe('JSON summary', () => {
  it('matches the counts of the run', () => {
    const directory = temporaryDirectory();

    const { summaryPath } = writeReports(report, directory);
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as VerificationSummary;

    expect(path.basename(summaryPath)).toBe(summaryFileName);
    expect(summary.counts.interactions).toBe(report.interactions.length);
    expect(summary.counts.failed).toBe(1);
    expect(summary.counts.passed).toBe(report.interactions.length - 1);
    expect(summary.counts.findings).toBe(report.interactions.flatMap((result) => result.findings).length);
  });

  it('states the verdict and the exit code', () => {
    const directory = temporaryDirectory();

    const summary = JSON.parse(readFileSync(writeReports(report, directory).summaryPath, 'utf8')) as VerificationSummary;

    expect(summary.verdict).toBe('failed');
    expect(summary.exitCode).toBe(1);
    expect(summary.findingCodes).toContain('response.body.member.type');
    expect(summary.interactions.find((result) => !result.passed)?.description).toBe(createDescription);
  });

  it('reports a passing run as exit code 0', () => {
    const directory = temporaryDirectory();
    const passing: VerificationReport = { ...report, passed: true, interactions: report.interactions.map((result) => ({ ...result, passed: true, findings: [] })) };

    const summary = JSON.parse(readFileSync(writeReports(passing, directory).summaryPath, 'utf8')) as VerificationSummary;

    expect(summary.verdict).toBe('passed');
    expect(summary.exitCode).toBe(0);
    expect(summary.findingCodes).toEqual([]);
  });

  it('reports rejected credentials as exit code 3', () => {
    const directory = temporaryDirectory();
    const rejected: VerificationReport = { ...report, credentialsProblem: { code: 'auth.rejected', message: 'The provider answered 401', hint: 'Check the token.' } };

    const summary = JSON.parse(readFileSync(writeReports(rejected, directory).summaryPath, 'utf8')) as VerificationSummary;

    expect(summary.verdict).toBe('credentials-rejected');
    expect(summary.exitCode).toBe(3);
  });
});

describe('report writing', () => {
  it('keeps secrets out of both files', () => {
    const directory = temporaryDirectory();
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-part';
    const redactor = new Redactor();
    redactor.add(token);
    const leaky: VerificationReport = {
      ...report,
      providerBaseUrl: 'https://user:hunter2-password@provider.example/beta',
      interactions: [{ description: createDescription, passed: false, findings: [{ code: 'pact.body.mismatch', interaction: createDescription, location: '$.value', expected: 'a count', actual: `echoed ${token}`, source: 'pact' }] }],
    };

    const written = writeReports(leaky, directory, redactor);
    const files = [readFileSync(written.junitPath, 'utf8'), readFileSync(written.summaryPath, 'utf8')];

    for (const text of files) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('hunter2-password');
      expect(text).toContain('[redacted]');
    }
  });

  it('names the directory it cannot write to', () => {
    const directory = temporaryDirectory();
    const blocker = path.join(directory, 'not-a-directory');
    writeFileSync(blocker, 'a file where the report directory should be');

    let failure: unknown;
    try {
      writeReports(report, blocker);
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(SuiteError);
    expect((failure as SuiteError).code).toBe('report.write-failed');
    expect((failure as SuiteError).message).toContain(blocker);
  });
});

describe('Jest summary reporter', () => {
  it('writes counts and failing test names', () => {
    const outputFile = path.join(temporaryDirectory(), 'jest-summary.json');
    const reporter = new JestSummaryReporter({}, { outputFile });
    const results = {
      startTime: Date.parse('2026-12-04T20:00:00Z'),
      numTotalTestSuites: 2,
      numFailedTestSuites: 1,
      numRuntimeErrorTestSuites: 0,
      numTotalTests: 3,
      numPassedTests: 2,
      numFailedTests: 1,
      numPendingTests: 0,
      testResults: [
        {
          testFilePath: path.join(process.cwd(), 'tests', 'example.test.ts'),
          testResults: [
            { status: 'passed', fullName: 'example passes', failureMessages: [] },
            { status: 'failed', fullName: 'example fails', failureMessages: ['Error: expected 1 to be 2\n    at stack line'] },
          ],
        },
      ],
    } as unknown as Parameters<JestSummaryReporter['onRunComplete']>[1];

    reporter.onRunComplete(undefined, results);
    const summary = JSON.parse(readFileSync(outputFile, 'utf8')) as { passed: boolean; counts: { tests: number; failed: number }; failures: { file: string; test: string; message: string }[] };

    expect(summary.passed).toBe(false);
    expect(summary.counts.tests).toBe(3);
    expect(summary.counts.failed).toBe(1);
    expect(summary.failures).toEqual([{ file: path.join('tests', 'example.test.ts'), test: 'example fails', message: 'Error: expected 1 to be 2' }]);
  });
});
