/**
 * One way a provider broke the contract. `code` is stable and dotted, so CI
 * scripts and the fault catalog can match on it. `location` is a JSON path
 * into the response, or `status`, `header.<name>` or `state.<name>`.
 */
export interface Finding {
  code: string;
  interaction: string;
  location: string;
  expected: string;
  actual: string;
  /** The check that produced the finding: Pact's verifier, the OpenAPI schema check, or a provider state's set-up. */
  source: 'pact' | 'schema' | 'state';
}

/** Formats a finding as the lines a person reads in the output. */
export function formatFinding(finding: Finding): string {
  return [
    `${finding.code} at ${finding.location} (${finding.source})`,
    `      interaction: ${finding.interaction}`,
    `      expected: ${finding.expected}`,
    `      actual:   ${finding.actual}`,
  ].join('\n');
}

/** Shows a value in a finding: JSON for data, cut to a readable length. */
export function showValue(value: unknown, maxLength = 160): string {
  let text: string;
  if (value === undefined) {
    text = '(absent)';
  } else if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else {
    text = JSON.stringify(value) ?? typeof value;
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
