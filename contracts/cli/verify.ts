// The main job: verify the committed pact against a provider and print one
// line per interaction and a summary. Exit codes: 0 passed, 1 a contract
// failure, 2 the run could not happen, 3 credentials rejected, 130 interrupted.
process.env.PACT_DO_NOT_TRACK = 'true';

import { parseArgs } from 'node:util';
import { ExitCode, SuiteError, messageOf } from '../errors';
import { startReferenceProvider } from '../provider/referenceProvider';
import { readEndpoint } from '../spec/endpoint';
import { loadOpenApi } from '../spec/loadOpenApi';
import { formatFinding } from '../verification/findings';
import { Redactor } from '../verification/redact';
import { type VerificationReport, verifyPact } from '../verification/verifyPact';

const usage = `Usage: npm run verify -- [options]

Verifies the committed pact against a provider. With no provider URL it
starts the embedded reference provider on a loopback port.

Options:
  --provider-base-url URL          service root to verify, such as https://graph.microsoft.com/beta
                                   (default: PROVIDER_BASE_URL, else the embedded provider)
  --provider-states-setup-url URL  the provider's own Pact state-change endpoint
  --pact FILE                      pact file (default: pacts/RunSummaryConsumer-GraphDeviceHealthScripts.json)
  --openapi FILE                   OpenAPI document (default: openapi/runSummary.openapi.yaml)
  --timeout MS                     timeout of each call in milliseconds (default: 30000)
  --verbose                        also print Pact's own report, secrets removed
  --help                           print this text

Environment:
  GRAPH_ACCESS_TOKEN               bearer token for a deployed provider (never printed)

Exit codes: 0 all interactions passed, 1 a contract failure, 2 the run could
not happen, 3 credentials rejected, 130 interrupted.`;

interface CliOptions {
  providerBaseUrl?: string;
  providerStatesSetupUrl?: string;
  pactPath?: string;
  openApiPath?: string;
  timeoutMs: number;
  verbose: boolean;
}

function parseOptions(argv: string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        'provider-base-url': { type: 'string' },
        'provider-states-setup-url': { type: 'string' },
        pact: { type: 'string' },
        openapi: { type: 'string' },
        timeout: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new SuiteError('cli.invalid-option', messageOf(error), 'Run `npm run verify -- --help` for the options.');
  }
  const values = parsed.values;
  if (values.help) {
    return 'help';
  }
  const timeoutText = values.timeout ?? '30000';
  const timeoutMs = Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new SuiteError('cli.invalid-option', `--timeout must be a positive whole number of milliseconds, not ${JSON.stringify(timeoutText)}`, 'Pass, for example, --timeout 30000.');
  }
  return {
    providerBaseUrl: values['provider-base-url'] ?? (process.env.PROVIDER_BASE_URL || undefined),
    providerStatesSetupUrl: values['provider-states-setup-url'],
    pactPath: values.pact,
    openApiPath: values.openapi,
    timeoutMs,
    verbose: values.verbose ?? false,
  };
}

function printReport(report: VerificationReport, verbose: boolean, redactor: Redactor): void {
  for (const result of report.interactions) {
    console.log(`  ${result.passed ? 'PASS' : 'FAIL'}  ${result.description}`);
    for (const finding of result.findings) {
      console.log(`        ${formatFinding(finding)}`);
    }
  }
  if (verbose) {
    console.log('\nPact verifier output:\n' + redactor.redact(report.verifierOutput));
  }
  const failed = report.interactions.filter((result) => !result.passed).length;
  const passed = report.interactions.length - failed;
  console.log(`\nSummary: ${passed} passed, ${failed} failed, ${report.interactions.length} interactions, ${(report.durationMs / 1000).toFixed(1)} s`);
  if (report.credentialsProblem) {
    console.log(`\ncredentials problem ${report.credentialsProblem.code}: ${report.credentialsProblem.message}\n  what to do: ${report.credentialsProblem.hint}`);
  }
  if (report.fixturesLeft.length > 0) {
    console.log('\nFixtures that could not be deleted (remove them by hand):');
    for (const fixture of report.fixturesLeft) {
      console.log(`  deviceHealthScript ${fixture.scriptId} (${fixture.displayName})`);
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  const redactor = new Redactor();
  const token = process.env.GRAPH_ACCESS_TOKEN || undefined;
  redactor.add(token);
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  let stopProvider: (() => Promise<void>) | undefined;
  try {
    const options = parseOptions(argv);
    if (options === 'help') {
      console.log(usage);
      return ExitCode.passed;
    }

    let providerBaseUrl = options.providerBaseUrl;
    let providerLabel = providerBaseUrl ?? '';
    if (!providerBaseUrl) {
      const endpoint = readEndpoint(await loadOpenApi(options.openApiPath));
      const provider = await startReferenceProvider({ endpoint });
      stopProvider = () => provider.close();
      providerBaseUrl = provider.baseUrl;
      providerLabel = `the embedded reference provider (${provider.baseUrl})`;
    }

    console.log(`Verifying ${options.pactPath ?? 'pacts/'} against ${providerLabel}`);
    const report = await verifyPact({
      providerBaseUrl,
      pactPath: options.pactPath,
      openApiPath: options.openApiPath,
      providerStatesSetupUrl: options.providerStatesSetupUrl,
      token,
      timeoutMs: options.timeoutMs,
      redactor,
      signal: controller.signal,
    });
    printReport(report, options.verbose, redactor);
    if (report.credentialsProblem) {
      return ExitCode.credentialsRejected;
    }
    return report.passed ? ExitCode.passed : ExitCode.contractFailed;
  } catch (error) {
    if (error instanceof SuiteError) {
      console.error(redactor.redact(error.describe()));
      if (error.fixturesLeft.length > 0) {
        console.error(`Fixtures that could not be deleted (remove them by hand):\n  ${error.fixturesLeft.join('\n  ')}`);
      }
      return error.exitCode;
    }
    console.error(redactor.redact(`error internal: ${messageOf(error)}\n  what to do: report this as a bug of the suite, with the command you ran.`));
    return ExitCode.couldNotRun;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    await stopProvider?.();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
