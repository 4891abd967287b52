import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SuiteError, messageOf } from '../errors';
import { Redactor } from '../verification/redact';
import type { VerificationReport } from '../verification/verifyPact';
import { renderJunitXml } from './junitReport';
import { buildSummary } from './summaryReport';

/** Directory the reports go to unless a caller names another; git ignores it. */
export const defaultReportDirectory = 'reports';

export const junitFileName = 'verification.junit.xml';
export const summaryFileName = 'verification-summary.json';

export interface WrittenReports {
  junitPath: string;
  summaryPath: string;
}

/**
 * Writes the JUnit XML and the JSON summary of a verification into
 * `directory`, creating it if needed. Both files pass through the redactor
 * and lose any user name or password in the provider URL, so a secret that
 * reached the report in memory does not reach a CI artifact.
 */
export function writeReports(report: VerificationReport, directory: string = defaultReportDirectory, redactor: Redactor = new Redactor()): WrittenReports {
  const safeReport: VerificationReport = redactor.redactValue({ ...report, providerBaseUrl: withoutUserInfo(report.providerBaseUrl) });
  const junitPath = path.resolve(directory, junitFileName);
  const summaryPath = path.resolve(directory, summaryFileName);
  try {
    mkdirSync(path.resolve(directory), { recursive: true });
    writeFileSync(junitPath, renderJunitXml(safeReport), 'utf8');
    writeFileSync(summaryPath, `${JSON.stringify(buildSummary(safeReport), null, 2)}\n`, 'utf8');
  } catch (error) {
    throw new SuiteError('report.write-failed', `Could not write the reports to ${path.resolve(directory)}: ${messageOf(error)}`, 'Pass a writable directory with --report-dir.', { cause: error });
  }
  return { junitPath, summaryPath };
}

function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) {
      return url;
    }
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
