// `npm run pact:publish`: publishes the committed pacts to a Pact Broker with
// the git SHA as consumer version and the git branch, so the broker can pick
// them with the `mainBranch` and `matchingBranch` selectors.
import path from 'node:path';
import { describeFailure, ExitCode, SuiteError } from '../errors';
import { parseCommandArguments } from '../cli/options';
import { type BrokerCredentials, checkBrokerUrl } from './brokerSource';
import { readGitVersion } from './gitVersion';
import { runPactBroker } from './pactBrokerCli';

export interface PublishOptions extends BrokerCredentials {
  pactBrokerUrl: string;
  /** A directory of pact files or a glob; default: pacts/. */
  pactFiles?: string;
  /** The consumer version; the git SHA in CI. */
  consumerVersion: string;
  branch?: string;
  buildUrl?: string;
}

/** Publishes pacts through `pact-broker publish`; throws a SuiteError naming the broker when it fails. */
export async function publishPacts(options: PublishOptions): Promise<string> {
  checkBrokerUrl(options.pactBrokerUrl);
  const args = ['publish', options.pactFiles ?? path.resolve(__dirname, '..', '..', 'pacts'), '--broker-base-url', options.pactBrokerUrl, '--consumer-app-version', options.consumerVersion];
  if (options.branch) {
    args.push('--branch', options.branch);
  }
  if (options.buildUrl) {
    args.push('--build-url', options.buildUrl);
  }
  const run = await runPactBroker(args, options);
  if (run.status !== 0) {
    throw new SuiteError('broker.publish-failed', `pact-broker publish to ${options.pactBrokerUrl} failed with exit code ${run.status}:\n${run.output.trim()}`, 'Check the broker URL and credentials (PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD).');
  }
  return run.output;
}

const usage = `Usage: npm run pact:publish -- [options]

Publishes the pacts under pacts/ to a Pact Broker.

Options:
  --broker-url URL         the broker (default: PACT_BROKER_BASE_URL)
  --consumer-version TEXT  consumer version (default: GITHUB_SHA, GIT_COMMIT, else git rev-parse HEAD)
  --branch NAME            consumer branch (default: GITHUB_HEAD_REF, GITHUB_REF_NAME, GIT_BRANCH, else the git branch)
  --pact-files PATH        directory or glob of pact files (default: pacts/)
  --help                   print this text

Environment:
  PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (never printed)

Exit codes: 0 published, 2 the publication failed.`;

export async function main(argv: string[], environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const parsed = parseCommandArguments('pact:publish', {
      args: argv,
      options: { 'broker-url': { type: 'string' }, 'consumer-version': { type: 'string' }, branch: { type: 'string' }, 'pact-files': { type: 'string' }, help: { type: 'boolean', default: false } },
      strict: true,
    });
    if (parsed.values.help) {
      console.log(usage);
      return ExitCode.passed;
    }
    const git = readGitVersion(environment);
    const pactBrokerUrl = parsed.values['broker-url'] ?? environment.PACT_BROKER_BASE_URL;
    if (!pactBrokerUrl) {
      throw new SuiteError('broker.url.missing', 'No Pact Broker URL was given', 'Set PACT_BROKER_BASE_URL or pass --broker-url.');
    }
    const consumerVersion = parsed.values['consumer-version'] ?? git.sha;
    if (!consumerVersion) {
      throw new SuiteError('broker.version-missing', 'No consumer version was given and git reported no commit', 'Pass --consumer-version with the git SHA, or run inside a git checkout.');
    }
    const output = await publishPacts({
      pactBrokerUrl,
      pactFiles: parsed.values['pact-files'],
      consumerVersion,
      branch: parsed.values.branch ?? git.branch,
      buildUrl: git.buildUrl,
      token: environment.PACT_BROKER_TOKEN || undefined,
      username: environment.PACT_BROKER_USERNAME || undefined,
      password: environment.PACT_BROKER_PASSWORD || undefined,
    });
    console.log(output.trim());
    return ExitCode.passed;
  } catch (error) {
    const failure = describeFailure(error);
    console.error(failure.text);
    return failure.exitCode;
  }
}
