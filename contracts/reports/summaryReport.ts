import { ExitCode, type ExitCodeValue } from '../errors';
import type { Finding } from '../verification/findings';
import type { VerificationReport } from '../verification/verifyPact';
import { verificationExitCode } from '../verification/verdict';

/** Version of the JSON summary's shape; it changes when a member is removed or renamed. */
export const summaryFormatVersion = 1;

/** The machine-readable verdict of one verification, as written to `verification-summary.json`. */
export interface VerificationSummary {
  formatVersion: typeof summaryFormatVersion;
  verdict: 'passed' | 'failed' | 'credentials-rejected';
  /** The exit code `npm run verify` returns for this verdict. */
  exitCode: ExitCodeValue;
  consumer: string;
  provider: string;
  providerBaseUrl: string;
  pact: string;
  startedAt: string;
  durationMs: number;
  /** `failed` leaves out failures of pending pacts, which `pending` counts. */
  counts: { interactions: number; passed: number; failed: number; pending: number; findings: number };
  /** Every finding code of the run, each once, sorted, for CI scripts that match on codes. */
  findingCodes: string[];
  interactions: { description: string; passed: boolean; pending: boolean; findings: Finding[] }[];
  fixturesLeft: { scriptId: string; displayName: string }[];
  credentialsProblem?: { code: string; message: string; hint: string };
}

/** Builds the JSON summary; Pact's raw output is left out because the JUnit failures already carry the findings. */
export function buildSummary(report: VerificationReport): VerificationSummary {
  const failed = report.interactions.filter((result) => !result.passed && !result.pending).length;
  const pending = report.interactions.filter((result) => !result.passed && result.pending).length;
  const findings = report.interactions.flatMap((result) => result.findings);
  const exitCode = verificationExitCode(report);
  return {
    formatVersion: summaryFormatVersion,
    verdict: verdictWord(exitCode),
    exitCode,
    consumer: report.consumer,
    provider: report.provider,
    providerBaseUrl: report.providerBaseUrl,
    pact: report.pactPath,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    counts: { interactions: report.interactions.length, passed: report.interactions.length - failed - pending, failed, pending, findings: findings.length },
    findingCodes: [...new Set(findings.map((finding) => finding.code))].sort(),
    interactions: report.interactions.map((result) => ({ description: result.description, passed: result.passed, pending: result.pending === true, findings: result.findings })),
    fixturesLeft: report.fixturesLeft.map((fixture) => ({ scriptId: fixture.scriptId, displayName: fixture.displayName })),
    ...(report.credentialsProblem ? { credentialsProblem: report.credentialsProblem } : {}),
  };
}

function verdictWord(exitCode: ExitCodeValue): VerificationSummary['verdict'] {
  if (exitCode === ExitCode.credentialsRejected) {
    return 'credentials-rejected';
  }
  return exitCode === ExitCode.passed ? 'passed' : 'failed';
}
