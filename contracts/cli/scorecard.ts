// The scorecard: verifies the committed pact against the embedded reference
// provider once per fault catalog row and prints how many faults the suite
// detected and how many conforming variants it let pass. Exit codes: 0 every
// row as expected (known gaps allowed, and listed), 1 a fault missed or a
// variant rejected, 2 the run could not happen.
process.env.PACT_DO_NOT_TRACK = 'true';

import { describeFailure, ExitCode, SuiteError } from '../errors';
import { parseCommandArguments } from './options';
import { type CatalogRow, faultCatalog } from '../faults/catalog';
import { type RowResult, runCatalog } from '../faults/runCatalog';
import { formatFinding } from '../verification/findings';

const usage = `Usage: npm run scorecard -- [options]

Verifies the committed pact against the embedded reference provider, switched
into each fault and conforming variant of contracts/faults/catalog.ts, and
prints "faults detected: X/Y" and "variants passed: X/Y".

Options:
  --row ID           run only this row (repeatable)
  --concurrency N    rows verified at the same time (default: 2)
  --verbose          print every finding of every row
  --help             print this text

Exit codes: 0 every row as expected (known gaps are listed but allowed),
1 a fault was missed or a variant was rejected, 2 the run could not happen.`;

interface ScorecardOptions {
  rowIds: string[];
  concurrency: number;
  verbose: boolean;
}

function parseOptions(argv: string[]): ScorecardOptions | 'help' {
  const parsed = parseCommandArguments('scorecard', {
    args: argv,
    options: {
      row: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const values = parsed.values;
  if (values.help) {
    return 'help';
  }
  const concurrencyText = values.concurrency ?? '2';
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new SuiteError('cli.invalid-option', `--concurrency must be a whole number of at least 1, not ${JSON.stringify(concurrencyText)}`, 'Pass, for example, --concurrency 2.');
  }
  return { rowIds: values.row ?? [], concurrency, verbose: values.verbose ?? false };
}

function selectRows(rowIds: string[]): readonly CatalogRow[] {
  if (rowIds.length === 0) {
    return faultCatalog;
  }
  const unknown = rowIds.filter((id) => !faultCatalog.some((row) => row.id === id));
  if (unknown.length > 0) {
    throw new SuiteError('cli.invalid-option', `No catalog row has the id ${unknown.map((id) => JSON.stringify(id)).join(', ')}`, 'Pass an id from contracts/faults/catalog.ts, such as --row status-200-instead-of-201.');
  }
  return faultCatalog.filter((row) => rowIds.includes(row.id));
}

/** Formats one row as its scorecard line, plus the detail a person needs when it is not as expected. */
export function formatRowResult(result: RowResult, verbose: boolean): string {
  const { row } = result;
  const codes = [...new Set(result.findings.map((finding) => finding.code))].join(', ');
  let label: string;
  if (row.outcome === 'fails') {
    label = result.verdict === 'as-expected' ? 'DETECTED' : 'MISSED';
  } else {
    label = result.verdict === 'as-expected' ? 'PASSED' : 'REJECTED';
  }

  const lines = [`  ${label.padEnd(9)}  ${row.id}: ${row.description}${codes ? `  [${codes}]` : ''}`];
  if (result.error) {
    lines.push(`             could not run: ${result.error}`);
  }
  for (const expected of result.missing) {
    if (result.verdict === 'unexpected') {
      lines.push(`             not reported: ${expected.code} in interaction "${expected.interaction}"${expected.location ? ` at ${expected.location}` : ''}`);
    }
  }
  if (verbose || (result.verdict === 'unexpected' && row.outcome === 'passes')) {
    for (const finding of result.findings) {
      lines.push(`             ${formatFinding(finding).replace(/\n/g, '\n             ')}`);
    }
  }
  return lines.join('\n');
}

/** Builds the two summary lines from every row's result. */
export function summarize(results: RowResult[]): string {
  const faults = results.filter((result) => result.row.outcome === 'fails');
  const variants = results.filter((result) => result.row.outcome === 'passes');
  const count = (rows: RowResult[], verdict: RowResult['verdict']): number => rows.filter((result) => result.verdict === verdict).length;
  // Shows what the schema check adds: faults that only it reports slip past Pact's matchers.
  const detected = faults.filter((result) => result.verdict === 'as-expected');
  const byPact = detected.filter((result) => result.findings.some((finding) => finding.source === 'pact')).length;
  return [
    `faults detected: ${detected.length}/${faults.length}`,
    `  of which Pact's own comparison also reports: ${byPact}/${detected.length}`,
    `variants passed: ${count(variants, 'as-expected')}/${variants.length}`,
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (options === 'help') {
      console.log(usage);
      return ExitCode.passed;
    }
    const rows = selectRows(options.rowIds);
    console.log(`Fault catalog: ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}, each verified against its own embedded reference provider\n`);

    const results = await runCatalog(rows, { concurrency: options.concurrency });
    for (const result of results) {
      console.log(formatRowResult(result, options.verbose));
    }
    console.log(`\n${summarize(results)}`);
    return results.every((result) => result.verdict !== 'unexpected') ? ExitCode.passed : ExitCode.contractFailed;
  } catch (error) {
    const failure = describeFailure(error);
    console.error(failure.text);
    return failure.exitCode;
  }
}
