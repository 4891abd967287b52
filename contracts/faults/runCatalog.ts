import path from 'node:path';
import { buildInteractions } from '../consumer/interactions';
import { pactFilePath } from '../consumer/pactFiles';
import { messageOf } from '../errors';
import { startReferenceProvider } from '../provider/referenceProvider';
import { type EndpointContract, readEndpoint } from '../spec/endpoint';
import { loadOpenApi } from '../spec/loadOpenApi';
import type { Finding } from '../verification/findings';
import { verifyPact } from '../verification/verifyPact';
import { type VerifierWorker, startVerifierWorker } from '../verification/verifierWorker';
import { answerTransform } from './answerMutation';
import type { CatalogRow, ExpectedFinding, InteractionName } from './catalog';

/** The result of verifying one catalog row, and whether the row expects it. */
export interface RowResult {
  row: CatalogRow;
  /** `error` when the verification could not run or the row itself is broken. */
  outcome: 'fails' | 'passes' | 'error';
  findings: Finding[];
  /** Expected findings that verification did not report. */
  missing: ExpectedFinding[];
  /**
   * `as-expected` when the row got its outcome, and a fault also every
   * expected finding. `unexpected` otherwise.
   */
  verdict: 'as-expected' | 'unexpected';
  error?: string;
}

export interface CatalogRunOptions {
  /** Rows verified at the same time; each runs Pact's verifier in its own process. Defaults to 2. */
  concurrency?: number;
  openApiPath?: string;
  pactPath?: string;
  /** Called as soon as a row's result is known, in completion order. */
  onResult?: (result: RowResult) => void;
}

interface CatalogContext {
  endpoint: EndpointContract;
  descriptions: Record<InteractionName, string>;
  committedPactPath: string;
}

/**
 * Verifies every row against its own reference provider, switched into the
 * row's mode, with the real verifyPact(). Returns the results in row order.
 */
export async function runCatalog(rows: readonly CatalogRow[], options: CatalogRunOptions = {}): Promise<RowResult[]> {
  const endpoint = readEndpoint(await loadOpenApi(options.openApiPath));
  const keyed = Object.fromEntries(buildInteractions(endpoint).map((interaction) => [interaction.key, interaction.description]));
  const descriptions = keyed as Record<InteractionName, string>;
  const committedPactPath = path.resolve(options.pactPath ?? pactFilePath());
  const context: CatalogContext = { endpoint, descriptions, committedPactPath };

  const results: RowResult[] = new Array<RowResult>(rows.length);
  let next = 0;
  // Each lane keeps one verifier child for all its rows: starting Pact costs
  // about 0.35 CPU-seconds, more than verifying a row. A row whose
  // verification failed to run gets the lane a fresh child.
  const lane = async (): Promise<void> => {
    let verifier = startVerifierWorker();
    try {
      while (next < rows.length) {
        const index = next++;
        const row = rows[index];
        const result = await runRow(row, context, verifier);
        if (result.outcome === 'error') {
          verifier.stop();
          verifier = startVerifierWorker();
        }
        results[index] = result;
        options.onResult?.(result);
      }
    } finally {
      verifier.stop();
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, rows.length));
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

async function runRow(row: CatalogRow, context: CatalogContext, verifier: VerifierWorker): Promise<RowResult> {
  const rowProblems: string[] = [];
  const transform = row.answer
    ? answerTransform(row.answer, context.endpoint.successStatus, (message) => rowProblems.push(message))
    : undefined;

  let findings: Finding[];
  let passed: boolean;
  try {
    const provider = await startReferenceProvider({
      endpoint: context.endpoint,
      ...row.provider,
      transformRunSummaryAnswer: transform,
    });
    try {
      const report = await verifyPact({
        providerBaseUrl: provider.baseUrl,
        pactPath: context.committedPactPath,
        worker: verifier,
        timeoutMs: 10_000,
      });
      findings = report.interactions.flatMap((interaction) => interaction.findings);
      passed = report.passed;
    } finally {
      await provider.close();
    }
  } catch (error) {
    return { row, outcome: 'error', findings: [], missing: row.expect ?? [], verdict: 'unexpected', error: messageOf(error) };
  }

  if (rowProblems.length > 0) {
    const error = `catalog row "${row.id}" is invalid: ${rowProblems[0]}`;
    return { row, outcome: 'error', findings, missing: row.expect ?? [], verdict: 'unexpected', error };
  }

  const missing = (row.expect ?? []).filter((expected) => !findings.some((finding) => matches(finding, expected, context.descriptions)));
  const outcome = passed ? 'passes' : 'fails';
  return { row, outcome, findings, missing, verdict: verdictOf(row, outcome, findings, missing) };
}

function verdictOf(row: CatalogRow, outcome: 'fails' | 'passes', findings: Finding[], missing: ExpectedFinding[]): RowResult['verdict'] {
  if (row.outcome === 'fails') {
    return outcome === 'fails' && missing.length === 0 ? 'as-expected' : 'unexpected';
  }
  return outcome === 'passes' && findings.length === 0 ? 'as-expected' : 'unexpected';
}

function matches(finding: Finding, expected: ExpectedFinding, descriptions: Record<InteractionName, string>): boolean {
  return (
    finding.code === expected.code &&
    finding.interaction === descriptions[expected.interaction] &&
    (expected.location === undefined || finding.location === expected.location)
  );
}
