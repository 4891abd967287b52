import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SuiteError, messageOf } from '../errors';
import { summaryFileName } from '../reports/writeReports';

/** File that `npm run verify` writes its JSON summary to, inside the reports directory. */
export const verificationSummaryFileName = summaryFileName;

/** Directory searched for a verification report when no report file is named. */
export const defaultReportsDirectory = path.resolve(__dirname, '..', '..', 'reports');

const repositoryRoot = path.resolve(__dirname, '..', '..');

/** The last verification of the pact, as recorded by a report in this checkout. */
export interface VerificationStatus {
  /** The report the status was read from; absent when no usable report was found. */
  reportPath?: string;
  /** Provider name as the report gives it, such as GraphDeviceHealthScripts. */
  provider?: string;
  /** Service root that was verified, without credentials. */
  providerBaseUrl?: string;
  /** When the verification started, as an ISO 8601 instant. */
  verifiedAt?: string;
  /** Verdict per interaction description; an interaction absent here has no result in the report. */
  verdicts: Map<string, boolean>;
  /** Reports that were found but not used, each with the reason, for the command's output. */
  skipped: { path: string; reason: string }[];
}

/** Names of the pact the report must be about. */
export interface PactIdentity {
  consumer: string;
  provider: string;
  /** Base name of the pact file, such as RunSummaryConsumer-GraphDeviceHealthScripts.json. */
  fileName: string;
}

/**
 * Reads the status of the last verification. A report named by the caller
 * must be usable, so a typo fails loudly. Without a name, the reports
 * directory is searched: the JSON summary of `npm run verify` first, then
 * any other JSON file, newest first. A file that does not describe a
 * verification of this pact is skipped with a reason, because the reports
 * directory also contains the output of other tools.
 */
export function readVerificationStatus(pact: PactIdentity, options: { reportPath?: string; reportsDirectory?: string } = {}): VerificationStatus {
  if (options.reportPath) {
    const reportPath = path.resolve(options.reportPath);
    const result = readReport(reportPath, pact);
    if (typeof result === 'string') {
      throw new SuiteError(
        'docs.report.unusable',
        `Verification report ${reportPath} cannot be used: ${result}`,
        `Pass the ${verificationSummaryFileName} that \`npm run verify\` writes, or leave out --report to search ${defaultReportsDirectory}.`,
      );
    }
    return { ...result, skipped: [] };
  }

  const skipped: VerificationStatus['skipped'] = [];
  for (const candidate of candidateReports(options.reportsDirectory ?? defaultReportsDirectory)) {
    const result = readReport(candidate, pact);
    if (typeof result === 'string') {
      skipped.push({ path: candidate, reason: result });
      continue;
    }
    return { ...result, skipped };
  }
  return { verdicts: new Map(), skipped };
}

function candidateReports(directory: string): string[] {
  if (!existsSync(directory)) {
    return [];
  }
  const preferred = path.join(directory, verificationSummaryFileName);
  const others = readdirSync(directory)
    .filter((name) => name.endsWith('.json') && name !== verificationSummaryFileName)
    .map((name) => path.join(directory, name))
    .filter((file) => statSync(file).isFile())
    .sort((left, right) => statSync(right).mtimeMs - statSync(left).mtimeMs);
  return [...(existsSync(preferred) ? [preferred] : []), ...others];
}

/** Returns the status a report gives, or the reason it cannot be used. */
function readReport(reportPath: string, pact: PactIdentity): Omit<VerificationStatus, 'skipped'> | string {
  if (!existsSync(reportPath)) {
    return 'the file does not exist';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (error) {
    return `it is not valid JSON (${messageOf(error)})`;
  }
  if (!isRecord(parsed)) {
    return 'its top level is not a JSON object';
  }

  const report = parsed;
  const consumer = nameOf(report.consumer);
  const provider = nameOf(report.provider) ?? stringMember(report, 'providerName');
  if (consumer !== undefined && consumer !== pact.consumer) {
    return `it is about consumer ${JSON.stringify(consumer)}, not ${JSON.stringify(pact.consumer)}`;
  }
  if (provider !== undefined && provider !== pact.provider) {
    return `it is about provider ${JSON.stringify(provider)}, not ${JSON.stringify(pact.provider)}`;
  }
  const pactFile = stringMember(report, 'pact') ?? stringMember(report, 'pactPath') ?? stringMember(report, 'pactFile');
  if (pactFile !== undefined && path.basename(pactFile) !== pact.fileName) {
    return `it verified ${path.basename(pactFile)}, not ${pact.fileName}`;
  }

  const verdicts = readVerdicts(report);
  if (verdicts.size === 0) {
    return 'it has no per-interaction results (expected "interactions": [{ "description", "passed" }])';
  }
  const verifiedAt = readInstant(report);
  if (verifiedAt === undefined) {
    return 'it has no valid date (expected "startedAt" as an ISO 8601 instant)';
  }

  return {
    reportPath,
    provider,
    providerBaseUrl: stringMember(report, 'providerBaseUrl'),
    verifiedAt,
    verdicts,
  };
}

/**
 * Reads `interactions` (the suite's own summary and VerificationReport) or
 * Pact's `interactionResults`. An entry counts only with a description and a
 * verdict, given as `passed: boolean` or as a `result`/`status` word.
 */
function readVerdicts(report: Record<string, unknown>): Map<string, boolean> {
  const verdicts = new Map<string, boolean>();
  const entries = Array.isArray(report.interactions) ? report.interactions : Array.isArray(report.interactionResults) ? report.interactionResults : [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.description !== 'string') {
      continue;
    }
    const verdict = typeof entry.passed === 'boolean' ? entry.passed : verdictWord(entry.result ?? entry.status);
    if (verdict !== undefined) {
      verdicts.set(entry.description, verdict);
    }
  }
  return verdicts;
}

function verdictWord(value: unknown): boolean | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const word = value.toLowerCase();
  if (['ok', 'passed', 'pass', 'success', 'verified'].includes(word)) {
    return true;
  }
  if (['failed', 'fail', 'failure', 'error', 'mismatch'].includes(word)) {
    return false;
  }
  return undefined;
}

function readInstant(report: Record<string, unknown>): string | undefined {
  for (const key of ['startedAt', 'verifiedAt', 'finishedAt', 'generatedAt', 'timestamp']) {
    const value = report[key];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
      return new Date(value).toISOString();
    }
  }
  return undefined;
}

function nameOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  return isRecord(value) && typeof value.name === 'string' ? value.name : undefined;
}

function stringMember(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Formats an ISO instant as `2026-12-04 20:09 UTC`, the form the docs show. */
export function formatInstant(instant: string): string {
  return `${instant.slice(0, 10)} ${instant.slice(11, 16)} UTC`;
}

/** Describes the verified provider in a few words, marking loopback URLs. */
export function describeProvider(status: VerificationStatus): string {
  const name = status.provider ?? 'the provider';
  if (!status.providerBaseUrl) {
    return name;
  }
  return `${name} at ${status.providerBaseUrl}${isLoopbackUrl(status.providerBaseUrl) ? ' (loopback)' : ''}`;
}

/** Returns a path relative to the repository root when it lies inside it, for paths shown in the docs. */
export function displayPath(filePath: string): string {
  const relative = path.relative(repositoryRoot, filePath);
  return relative.startsWith('..') || path.isAbsolute(relative) ? filePath : relative;
}

/** Returns true when the URL's host is localhost or a loopback address. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}
