import type { Finding } from '../verification/findings';
import type { VerificationReport } from '../verification/verifyPact';

/**
 * Renders a verification as JUnit XML: one test suite for the pact, one test
 * case per interaction, and one failure element per failing interaction whose
 * text lists every finding. A failing interaction of a pending pact (see
 * BrokerSource) becomes a skipped test case, so it shows without failing the
 * build. CI servers (GitHub, GitLab, Jenkins, Azure
 * Pipelines) read this format to show and gate on the verdict.
 */
export function renderJunitXml(report: VerificationReport): string {
  const failures = report.interactions.filter((result) => !result.passed && !result.pending).length;
  const skipped = report.interactions.filter((result) => !result.passed && result.pending).length;
  const seconds = (report.durationMs / 1000).toFixed(3);
  const suiteName = `${report.consumer} -> ${report.provider}`;
  const className = `${report.consumer}.${report.provider}`;

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="contract verification" tests="${report.interactions.length}" failures="${failures}" errors="0" time="${seconds}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${report.interactions.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}" timestamp="${escapeXml(report.startedAt)}">`,
    '    <properties>',
    `      <property name="pact" value="${escapeXml(report.pactPath)}"/>`,
    `      <property name="providerBaseUrl" value="${escapeXml(report.providerBaseUrl)}"/>`,
  ];
  if (report.credentialsProblem) {
    lines.push(`      <property name="credentialsProblem" value="${escapeXml(`${report.credentialsProblem.code}: ${report.credentialsProblem.message}`)}"/>`);
  }
  lines.push('    </properties>');

  for (const result of report.interactions) {
    const open = `    <testcase classname="${escapeXml(className)}" name="${escapeXml(result.description)}"`;
    if (result.passed) {
      lines.push(`${open}/>`);
      continue;
    }
    lines.push(`${open}>`);
    if (result.pending) {
      lines.push(`      <skipped message="${escapeXml(`pending pact: ${failureMessage(result.findings)}`)}">${escapeXml(failureText(result.findings))}</skipped>`);
      lines.push('    </testcase>');
      continue;
    }
    lines.push(`      <failure message="${escapeXml(failureMessage(result.findings))}" type="${escapeXml(result.findings[0]?.code ?? 'pact.failed')}">${escapeXml(failureText(result.findings))}</failure>`);
    lines.push('    </testcase>');
  }

  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function failureMessage(findings: Finding[]): string {
  if (findings.length === 0) {
    // Pact's verifier can fail an interaction without a mismatch the suite can parse.
    return "Pact's verifier failed the interaction without a mismatch; run with --verbose for its output";
  }
  const codes = [...new Set(findings.map((finding) => finding.code))];
  return `${findings.length} finding(s): ${codes.join(', ')}`;
}

function failureText(findings: Finding[]): string {
  return findings
    .map((finding) => [`${finding.code} at ${finding.location} (${finding.source})`, `  expected: ${finding.expected}`, `  actual:   ${finding.actual}`].join('\n'))
    .join('\n');
}

/**
 * Escapes text for an XML attribute or element, and drops the control
 * characters that XML 1.0 cannot carry at all, since a provider's body may
 * contain them.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
