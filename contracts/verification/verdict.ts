import { ExitCode, type ExitCodeValue } from '../errors';
import type { Finding } from './findings';
import type { InteractionResult, VerificationReport } from './verifyPact';

/**
 * Tells whether a finding means the interaction could not be verified. A
 * failed set-up, or a verified request without a response, shows nothing
 * about the contract, so Pact's own findings for that interaction are consequences.
 */
function isRunProblem(finding: Finding): boolean {
  if (finding.source === 'state' || finding.code === 'provider.request.failed') {
    return true;
  }
  // Pact's message when a state call returned an error status; Pact then skips the request.
  return finding.code === 'pact.request.failed' && /state change handlers has failed/i.test(finding.actual);
}

/** Returns PASS, FAIL (the provider broke the contract) or ERROR (not verified: set-up, network or timeout). */
export function interactionVerdict(result: InteractionResult): 'PASS' | 'FAIL' | 'ERROR' {
  if (result.passed) {
    return 'PASS';
  }
  return result.findings.some(isRunProblem) ? 'ERROR' : 'FAIL';
}

/**
 * Returns the exit code of a verification that ran: credentials rejected
 * first, then a contract failure, and 2 when every failing interaction could
 * not be verified at all. Interactions of pending pacts do not count.
 */
export function verificationExitCode(report: VerificationReport): ExitCodeValue {
  if (report.credentialsProblem) {
    return ExitCode.credentialsRejected;
  }
  if (report.passed) {
    return ExitCode.passed;
  }
  const verdicts = report.interactions.filter((result) => !result.pending).map(interactionVerdict);
  return verdicts.includes('FAIL') || !verdicts.includes('ERROR') ? ExitCode.contractFailed : ExitCode.couldNotRun;
}
