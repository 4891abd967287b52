import type { VerifierOptions } from '@pact-foundation/pact';
import { providerName } from '../consumer/contractNames';
import { SuiteError } from '../errors';
import { readGitVersion } from './gitVersion';

/** A consumer version selector, as the Pact Broker's "pacts for verification" call takes it. */
export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  deployedOrReleased?: boolean;
  deployed?: boolean;
  released?: boolean;
  environment?: string;
  branch?: string;
  matchingBranch?: boolean;
  consumer?: string;
  latest?: boolean;
  tag?: string;
  fallbackTag?: string;
}

/** Credentials of a Pact Broker: a bearer token (PactFlow) or basic auth (the open-source broker). */
export interface BrokerCredentials {
  token?: string;
  username?: string;
  password?: string;
}

/**
 * The source of the pacts when a broker stores them, and what the
 * verification reports back to the broker. With `publishVerificationResult` the broker records
 * the result against `providerVersion` and `providerVersionBranch`, which is
 * what `can-i-deploy` later reads.
 */
export interface BrokerSource extends BrokerCredentials {
  pactBrokerUrl: string;
  /** The provider's name in the broker; default: the name this suite's pacts use. */
  provider?: string;
  /** Consumer versions to verify. Default: each consumer's main branch and every deployed or released version. */
  consumerVersionSelectors?: ConsumerVersionSelector[];
  /** Pacts no provider version has verified yet do not fail the build (pending pacts). Default: true. */
  enablePending?: boolean;
  /** Also verify work-in-progress pacts published since this date (YYYY-MM-DD), as pending. */
  includeWipPactsSince?: string;
  publishVerificationResult?: boolean;
  /** The provider version the result is recorded against; the git SHA in CI. */
  providerVersion?: string;
  providerVersionBranch?: string;
  /** Link to the CI run, shown in the broker beside the result. */
  buildUrl?: string;
}

/** The selectors Pact recommends for a provider build: each consumer's main branch, and every version in an environment. */
export const defaultConsumerVersionSelectors: ConsumerVersionSelector[] = [{ mainBranch: true }, { deployedOrReleased: true }];

/**
 * Translates a broker source into the options of pact-js's Verifier. Pact
 * fetches the pacts, marks pending and WIP ones, and publishes the result
 * itself; the suite writes no broker HTTP of its own.
 */
export function brokerVerifierOptions(source: BrokerSource): Partial<VerifierOptions> {
  checkBrokerUrl(source.pactBrokerUrl);
  if (source.includeWipPactsSince !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(source.includeWipPactsSince)) {
    throw new SuiteError('broker.invalid-option', `includeWipPactsSince must be a date such as 2026-01-31, not ${JSON.stringify(source.includeWipPactsSince)}`, 'Set PACT_INCLUDE_WIP_PACTS_SINCE to a YYYY-MM-DD date, or leave it unset.');
  }
  if (source.publishVerificationResult && !source.providerVersion) {
    throw new SuiteError('broker.version-missing', 'Publishing verification results needs a provider version, and none was given or found in git', 'Set PACT_PROVIDER_VERSION (the git SHA of the provider build), or run inside a git checkout.');
  }
  const options: Partial<VerifierOptions> = {
    pactBrokerUrl: source.pactBrokerUrl,
    consumerVersionSelectors: source.consumerVersionSelectors ?? defaultConsumerVersionSelectors,
    enablePending: source.enablePending ?? true,
  };
  // pact-js 16.4.0 requires providerVersion whenever this option is present, even when it is false.
  if (source.publishVerificationResult) {
    options.publishVerificationResult = true;
  }
  if (source.includeWipPactsSince) {
    options.includeWipPactsSince = source.includeWipPactsSince;
  }
  if (source.providerVersion) {
    options.providerVersion = source.providerVersion;
  }
  if (source.providerVersionBranch) {
    options.providerVersionBranch = source.providerVersionBranch;
  }
  if (source.buildUrl) {
    options.buildUrl = source.buildUrl;
  }
  if (source.token) {
    options.pactBrokerToken = source.token;
  } else if (source.username) {
    options.pactBrokerUsername = source.username;
    options.pactBrokerPassword = source.password;
  }
  return options;
}

/**
 * Reads a broker source from the environment variables Pact's own tools use
 * (PACT_BROKER_BASE_URL, PACT_BROKER_TOKEN, PACT_BROKER_USERNAME,
 * PACT_BROKER_PASSWORD) and a few of the suite's. Returns undefined when no
 * broker URL is set, so the committed pact is verified instead.
 */
export function brokerSourceFromEnvironment(environment: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): BrokerSource | undefined {
  const pactBrokerUrl = environment.PACT_BROKER_BASE_URL?.trim();
  if (!pactBrokerUrl) {
    return undefined;
  }
  const git = readGitVersion(environment, cwd);
  return {
    pactBrokerUrl,
    token: environment.PACT_BROKER_TOKEN || undefined,
    username: environment.PACT_BROKER_USERNAME || undefined,
    password: environment.PACT_BROKER_PASSWORD || undefined,
    consumerVersionSelectors: parseSelectors(environment.PACT_CONSUMER_VERSION_SELECTORS),
    enablePending: environment.PACT_ENABLE_PENDING === undefined ? true : parseFlag('PACT_ENABLE_PENDING', environment.PACT_ENABLE_PENDING),
    includeWipPactsSince: environment.PACT_INCLUDE_WIP_PACTS_SINCE || undefined,
    publishVerificationResult: environment.PACT_PUBLISH_VERIFICATION_RESULTS === undefined ? false : parseFlag('PACT_PUBLISH_VERIFICATION_RESULTS', environment.PACT_PUBLISH_VERIFICATION_RESULTS),
    providerVersion: environment.PACT_PROVIDER_VERSION || git.sha,
    providerVersionBranch: environment.PACT_PROVIDER_BRANCH || git.branch,
    buildUrl: environment.PACT_BUILD_URL || git.buildUrl,
  };
}

function parseSelectors(text: string | undefined): ConsumerVersionSelector[] | undefined {
  if (!text) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SuiteError('broker.invalid-option', `PACT_CONSUMER_VERSION_SELECTORS is not valid JSON: ${JSON.stringify(text.slice(0, 80))}`, 'Set it to a JSON array such as [{"mainBranch":true},{"deployedOrReleased":true}].');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new SuiteError('broker.invalid-option', 'PACT_CONSUMER_VERSION_SELECTORS must be a non-empty JSON array of selector objects', 'Set it to a JSON array such as [{"mainBranch":true},{"deployedOrReleased":true}].');
  }
  return parsed as ConsumerVersionSelector[];
}

function parseFlag(name: string, value: string): boolean {
  if (value === 'true') {
    return true;
  }
  if (value === 'false') {
    return false;
  }
  throw new SuiteError('broker.invalid-option', `${name} must be true or false, not ${JSON.stringify(value)}`, `Set ${name}=true or ${name}=false.`);
}

/** Checks a broker URL before any tool uses it, so a typo gives one message instead of a Rust backtrace. */
export function checkBrokerUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SuiteError('broker.url.invalid', `Pact Broker URL ${JSON.stringify(url)} is not a valid URL`, 'Set PACT_BROKER_BASE_URL to an absolute URL such as https://broker.example.com.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SuiteError('broker.url.invalid', `Pact Broker URL ${url} uses ${parsed.protocol}, not http or https`, 'Set PACT_BROKER_BASE_URL to an http:// or https:// URL.');
  }
  if (parsed.username || parsed.password) {
    throw new SuiteError('broker.url.invalid', 'Pact Broker URL carries a user name or password', 'Remove them from the URL and set PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD, or PACT_BROKER_TOKEN, instead.');
  }
}

/** Returns the names a broker run reports under, because no single pact file names the consumers. */
export function brokerPactNames(source: BrokerSource): { consumer: { name: string }; provider: { name: string } } {
  return { consumer: { name: `consumers from ${source.pactBrokerUrl}` }, provider: { name: source.provider ?? providerName } };
}
