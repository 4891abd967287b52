// The main job: verify the committed pact against a provider and print one
// line per interaction and a summary. Exit codes: 0 passed, 1 a contract
// failure, 2 the run could not happen, 3 credentials rejected, 130 interrupted.
process.env.PACT_DO_NOT_TRACK = 'true';

import path from 'node:path';
import { ExitCode, SuiteError, messageOf } from '../errors';
import { parseCommandArguments } from './options';
import { startReferenceProvider } from '../provider/referenceProvider';
import { type EndpointContract, readEndpoint } from '../spec/endpoint';
import { loadOpenApi } from '../spec/loadOpenApi';
import { writeReports } from '../reports/writeReports';
import { brokerSourceFromEnvironment } from '../broker/brokerSource';
import { pactFilePath } from '../consumer/pactFiles';
import { type TokenSource, acquireToken, describeTokenSource, graphScope, readAccessToken, readTokenSource, secretsOf } from '../verification/credentials';
import { formatFinding } from '../verification/findings';
import { readPactFile } from '../verification/pactFile';
import { describeFixture, plannedStateCalls } from '../verification/providerStates';
import { Redactor } from '../verification/redact';
import { interactionVerdict, verificationExitCode } from '../verification/verdict';
import { assertHostAllowed, isLoopbackHost, parseUserUrl } from '../verification/setupHttp';
import { type VerificationReport, verifyPact } from '../verification/verifyPact';
import { type VerifierWorker, takeVerifierWorker } from '../verification/verifierWorker';

const usage = `Usage: npm run verify -- [options]

Verifies the committed pact against a provider. With no provider URL it
starts the embedded reference provider on a loopback port.

Options:
  --provider-base-url URL          service root to verify, such as https://graph.microsoft.com/beta
                                   (default: PROVIDER_BASE_URL, else the embedded provider)
  --provider-states-setup-url URL  the provider's own Pact state-change endpoint
  --pact FILE                      pact file (default: pacts/RunSummaryConsumer-GraphDeviceHealthScripts.json)
  --openapi FILE                   OpenAPI document (default: openapi/runSummary.openapi.yaml)
  --allow-host HOST                accept a provider host that is not loopback; repeat for more hosts.
                                   Without it only localhost, 127.0.0.0/8 and ::1 are accepted
  --dry-run                        print the calls a run would make, then stop without making any
  --timeout MS                     timeout of each call in milliseconds, the token request
                                   included (default: 30000)
  --report-dir DIR                 where to write verification.junit.xml and
                                   verification-summary.json (default: reports)
  --verbose                        also print Pact's own report, secrets removed
  --help                           print this text

Environment:
  PROVIDER_BASE_URL                service root, used when --provider-base-url is absent;
                                   set but empty counts as unset
  GRAPH_ACCESS_TOKEN               bearer token for a deployed provider (never printed); spaces
                                   and line breaks around it are removed, any inside it rejected
  AZURE_TENANT_ID, AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH
                                   client credentials for an app-only token (scope ${graphScope}),
                                   used when GRAPH_ACCESS_TOKEN is unset
  AZURE_AUTHORITY_HOST             token authority (default: https://login.microsoftonline.com)
  NODE_EXTRA_CA_CERTS              PEM file of an extra CA to trust, such as a staging proxy's
  PACT_BROKER_BASE_URL             verify the pacts a Pact Broker selects instead of --pact;
                                   the README lists the other PACT_* settings

Exit codes: 0 all interactions passed, 1 a contract failure, 2 the run could
not happen, 3 credentials rejected, 130 interrupted.`;

interface CliOptions {
  providerBaseUrl?: string;
  providerStatesSetupUrl?: string;
  pactPath?: string;
  openApiPath?: string;
  timeoutMs: number;
  verbose: boolean;
  reportDir: string;
  allowedHosts: string[];
  dryRun: boolean;
  /** Where the provider URL came from, for messages about it. */
  providerBaseUrlOrigin: '--provider-base-url' | 'PROVIDER_BASE_URL';
}

function parseOptions(argv: string[]): CliOptions | 'help' {
  const parsed = parseCommandArguments('verify', {
    args: argv,
    options: {
      'provider-base-url': { type: 'string' },
      'provider-states-setup-url': { type: 'string' },
      pact: { type: 'string' },
      openapi: { type: 'string' },
      timeout: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'report-dir': { type: 'string' },
      'allow-host': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const values = parsed.values;
  if (values.help) {
    return 'help';
  }
  // An empty value would otherwise fall back to the default, such as the embedded provider, and pass unnoticed.
  for (const [name, value] of Object.entries(values)) {
    const texts = Array.isArray(value) ? value : [value];
    if (texts.some((text) => text === '')) {
      throw new SuiteError('cli.invalid-option', `--${name} "" is empty`, `Give --${name} a value, or leave the option out for its default (see \`npm run verify -- --help\`).`);
    }
  }
  const timeoutMs = parseTimeout(values.timeout ?? '30000');
  return {
    providerBaseUrl: values['provider-base-url'] ?? (process.env.PROVIDER_BASE_URL || undefined),
    providerStatesSetupUrl: values['provider-states-setup-url'],
    pactPath: values.pact,
    openApiPath: values.openapi,
    timeoutMs,
    verbose: values.verbose ?? false,
    reportDir: values['report-dir'] ?? 'reports',
    allowedHosts: parseAllowedHosts(values['allow-host'] ?? []),
    dryRun: values['dry-run'] ?? false,
    providerBaseUrlOrigin: values['provider-base-url'] === undefined ? 'PROVIDER_BASE_URL' : '--provider-base-url',
  };
}

/** The largest delay setTimeout accepts; Node turns a larger one into 1 ms with a TimeoutOverflowWarning. */
const maxTimeoutMs = 2_147_483_647;

function parseTimeout(text: string): number {
  // Digits only, because Number() would also accept "1e3", "0x10" and " 5 ".
  const timeoutMs = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(timeoutMs >= 1 && timeoutMs <= maxTimeoutMs)) {
    throw new SuiteError(
      'cli.invalid-option',
      `--timeout ${JSON.stringify(text)} is not a whole number of milliseconds from 1 to ${maxTimeoutMs}`,
      'Pass decimal digits only, for example --timeout 30000.',
    );
  }
  return timeoutMs;
}

function parseAllowedHosts(entries: string[]): string[] {
  return entries.map((entry) => {
    const host = entry.trim();
    // A bare host name, so "https://host/beta" or "host:443" cannot widen or blur what is allowed.
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+|[0-9a-f:]+)$/i.test(host)) {
      throw new SuiteError('cli.invalid-option', `--allow-host takes a host name without scheme, port or path, not ${JSON.stringify(entry)}`, 'Pass, for example, --allow-host graph.microsoft.com.');
    }
    return host.toLowerCase();
  });
}

/**
 * Checks the provider URLs before any call: valid http(s) URLs, hosts that
 * are loopback or allowed, https for any host that is not loopback, and TLS
 * verification left on.
 */
function checkProviderUrls(options: CliOptions, providerBaseUrl: string): void {
  if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    throw new SuiteError(
      'tls.verification-off',
      'NODE_TLS_REJECT_UNAUTHORIZED=0 would turn off TLS certificate checks for the provider and the token endpoint',
      'Unset NODE_TLS_REJECT_UNAUTHORIZED and give the CA that signed the provider certificate through NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
    );
  }
  const urls: [string, string][] = [[options.providerBaseUrlOrigin, providerBaseUrl]];
  if (options.providerStatesSetupUrl) {
    urls.push(['--provider-states-setup-url', options.providerStatesSetupUrl]);
  }
  for (const [optionName, text] of urls) {
    const url = parseUserUrl(text, { name: optionName, code: 'provider.url.invalid', example: 'https://graph.microsoft.com/beta' });
    assertHostAllowed(url, options.allowedHosts, optionName);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new SuiteError('provider.url.insecure', `${optionName} ${url.origin} uses plain http for a host that is not loopback, so the token would travel unencrypted`, 'Use https:// for that host.');
    }
  }
}

/** Prints the calls a run would make, in order, without making any. */
function printPlan(options: CliOptions, providerBaseUrl: string, source: TokenSource | undefined): void {
  const base = providerBaseUrl.replace(/\/+$/, '');
  const tokenText = source && source.kind !== 'none' ? `Bearer <token from ${source.kind === 'access-token' ? 'GRAPH_ACCESS_TOKEN' : 'the token endpoint'}>` : 'Bearer <placeholder from the pact>';
  console.log('Dry run: no call is made. A run would make these calls, in this order:');
  if (source && (source.kind === 'client-secret' || source.kind === 'client-certificate')) {
    console.log(`  token      GET  ${source.authorityHost}/${source.tenantId}/v2.0/.well-known/openid-configuration`);
    console.log(`  token      POST ${source.tokenEndpoint}  (client credentials, scope ${graphScope})`);
  }
  console.log(`  check      HEAD ${base}  (is the provider reachable)`);

  const broker = brokerSourceFromEnvironment(process.env);
  if (broker) {
    console.log(`  The interactions come from the Pact Broker ${broker.pactBrokerUrl}, so they are known only when a run fetches them.`);
    return;
  }
  const pact = readPactFile(options.pactPath ?? pactFilePath());
  pact.interactions.forEach((interaction, index) => {
    const headers = interaction.request.headers ?? {};
    const sendsToken = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    const generators = (interaction.request as { generators?: { path?: { expression?: unknown } } }).generators;
    const pathExpression = typeof generators?.path?.expression === 'string' ? generators.path.expression.replace(/\$\{(\w+)\}/g, '{$1}') : interaction.request.path;
    const states = interaction.providerStates ?? [];
    const calls = states.flatMap((state) =>
      options.providerStatesSetupUrl
        ? [
            { phase: 'set-up', method: 'POST', url: options.providerStatesSetupUrl, purpose: `state '${state.name}', action setup` },
            { phase: 'tear-down', method: 'POST', url: options.providerStatesSetupUrl, purpose: `state '${state.name}', action teardown` },
          ]
        : plannedStateCalls(base, state.name, state.params ?? {}),
    );

    console.log(`  ${index + 1}. ${interaction.description}`);
    for (const call of calls.filter((entry) => entry.phase === 'set-up')) {
      console.log(`     set-up     ${call.method} ${call.url}  (${call.purpose})`);
    }
    console.log(`     verified   ${interaction.request.method} ${base}${pathExpression}  (${sendsToken ? `Authorization: ${tokenText}` : 'no Authorization header'}; never retried)`);
    for (const call of calls.filter((entry) => entry.phase === 'tear-down')) {
      console.log(`     tear-down  ${call.method} ${call.url}  (${call.purpose})`);
    }
  });
  if (!options.providerStatesSetupUrl) {
    console.log(`  clean-up   DELETE ${base}/deviceManagement/deviceHealthScripts/{scriptId} for any fixture still present at the end`);
  }
}

function printFixturesLeft(descriptions: string[], print: (line: string) => void): void {
  if (descriptions.length === 0) {
    print('\nNo fixture left on the provider.');
    return;
  }
  print('\nFixtures that could not be deleted (remove them by hand):');
  for (const description of descriptions) {
    print(`  ${description}`);
  }
}

function printReport(report: VerificationReport, verbose: boolean, redactor: Redactor, usesGraphStates: boolean): void {
  for (const result of report.interactions) {
    console.log(`  ${interactionVerdict(result).padEnd(5)} ${result.description}`);
    for (const finding of result.findings) {
      console.log(`        ${formatFinding(finding)}`);
    }
  }
  if (verbose) {
    console.log('\nPact verifier output:\n' + redactor.redact(report.verifierOutput));
  }
  const verdicts = report.interactions.map(interactionVerdict);
  const count = (verdict: string): number => verdicts.filter((entry) => entry === verdict).length;
  console.log(
    `\nSummary: ${count('PASS')} passed, ${count('FAIL')} failed, ${count('ERROR')} not verified (set-up or network), ${report.interactions.length} interactions, ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  if (count('ERROR') > 0 && !report.credentialsProblem) {
    console.log(`\nNot a contract failure: ${count('ERROR')} interaction(s) could not be verified, because a set-up call failed or the verified request got no response (see ERROR above).`);
  }
  if (report.credentialsProblem) {
    console.log(
      `\nNot a contract failure: the credentials were rejected during set-up.\nerror ${report.credentialsProblem.code}: ${report.credentialsProblem.message}\n  what to do: ${report.credentialsProblem.hint}`,
    );
  }
  if (usesGraphStates || report.fixturesLeft.length > 0) {
    printFixturesLeft(report.fixturesLeft.map(describeFixture), (line) => console.log(line));
  }
}

export async function main(argv: string[]): Promise<number> {
  const redactor = new Redactor();
  secretsOf(process.env).forEach((secret) => redactor.add(secret));
  let token: string | undefined;
  const controller = new AbortController();
  // The handlers are registered once, so a second Ctrl-C ends the process at once.
  const interrupt = (): void => {
    console.error('\nInterrupted: stopping the verifier and deleting fixtures. Press Ctrl-C again to stop at once and leave them.');
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  let stopProvider: (() => Promise<void>) | undefined;
  let worker: VerifierWorker | undefined;
  try {
    const options = parseOptions(argv);
    if (options === 'help') {
      console.log(usage);
      return ExitCode.passed;
    }
    // Checked for the embedded provider too, which is also sent the token.
    token = readAccessToken(process.env);
    // Started before the OpenAPI is read and the provider reached, so Pact loads meanwhile.
    worker = options.dryRun ? undefined : takeVerifierWorker();

    let providerBaseUrl = options.providerBaseUrl;
    let endpoint: EndpointContract | undefined;
    let providerLabel = providerBaseUrl ?? '';
    if (providerBaseUrl) {
      checkProviderUrls(options, providerBaseUrl);
      const source = readTokenSource(process.env);
      if (options.dryRun) {
        printPlan(options, providerBaseUrl, source);
        return ExitCode.passed;
      }
      console.log(`Token: ${describeTokenSource(source)}`);
      token = await acquireToken(source, process.env, { timeoutMs: options.timeoutMs, signal: controller.signal });
      redactor.add(token);
    } else if (options.dryRun) {
      printPlan(options, 'http://127.0.0.1:<port of the embedded provider>', undefined);
      return ExitCode.passed;
    } else {
      endpoint = readEndpoint(await loadOpenApi(options.openApiPath));
      const provider = await startReferenceProvider({ endpoint });
      stopProvider = () => provider.close();
      providerBaseUrl = provider.baseUrl;
      providerLabel = `the embedded reference provider (${provider.baseUrl})`;
    }

    const broker = brokerSourceFromEnvironment(process.env);
    console.log(`Verifying ${broker ? `the pacts from ${broker.pactBrokerUrl}` : displayPath(options.pactPath ?? pactFilePath())} against ${providerLabel}`);
    const report = await verifyPact({
      providerBaseUrl,
      pactPath: options.pactPath,
      openApiPath: options.openApiPath,
      endpoint,
      worker,
      providerStatesSetupUrl: options.providerStatesSetupUrl,
      token,
      timeoutMs: options.timeoutMs,
      redactor,
      signal: controller.signal,
      onSetupRetry: (message) => console.error(redactor.redact(message)),
      broker,
    });
    printReport(report, options.verbose, redactor, !options.providerStatesSetupUrl);
    const written = writeReports(report, options.reportDir, redactor);
    console.log(`Reports: ${written.junitPath}, ${written.summaryPath}`);
    return verificationExitCode(report);
  } catch (error) {
    if (error instanceof SuiteError) {
      console.error(redactor.redact(error.describe()));
      if (error.code === 'run.interrupted' || error.fixturesLeft.length > 0) {
        printFixturesLeft(error.fixturesLeft, (line) => console.error(redactor.redact(line)));
      }
      return error.exitCode;
    }
    console.error(redactor.redact(`error internal: ${messageOf(error)}\n  what to do: report this as a bug of the suite, with the command you ran.`));
    return ExitCode.couldNotRun;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    worker?.stop();
    await stopProvider?.();
  }
}

if (require.main === module) {
  // Exits explicitly: after an interrupt, a provider that never responds would keep the proxy's connection open.
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}

/** Shows a path relative to the working folder when it lies inside it, else absolute. */
function displayPath(filePath: string): string {
  const absolute = path.resolve(filePath);
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
