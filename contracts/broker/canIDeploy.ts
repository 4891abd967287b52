// `npm run can-i-deploy`: queries the Pact Broker whether a version of a
// pacticipant is compatible with everything already in an environment, via
// `pact-broker can-i-deploy`. A deploy job runs it and stops on exit code 1.
import { describeFailure, ExitCode, type ExitCodeValue, SuiteError } from '../errors';
import { parseCommandArguments } from '../cli/options';
import { providerName } from '../consumer/contractNames';
import { type BrokerCredentials, checkBrokerUrl } from './brokerSource';
import { readGitVersion } from './gitVersion';
import { runPactBroker } from './pactBrokerCli';

export interface CanIDeployOptions extends BrokerCredentials {
  pactBrokerUrl: string;
  pacticipant: string;
  version: string;
  /** The environment to deploy to, such as production. */
  toEnvironment: string;
  /** Ask again while results are missing, this many times, for a verification still running. */
  retryWhileUnknown?: number;
  retryIntervalSeconds?: number;
}

export interface CanIDeployVerdict {
  deployable: boolean;
  exitCode: ExitCodeValue;
  output: string;
}

/**
 * Runs `pact-broker can-i-deploy`. The tool exits 0 when the version is safe
 * to deploy and 1 when it is not. Any other status means the broker could not
 * be queried, and becomes a SuiteError.
 */
export async function canIDeploy(options: CanIDeployOptions): Promise<CanIDeployVerdict> {
  checkBrokerUrl(options.pactBrokerUrl);
  const args = ['can-i-deploy', '--broker-base-url', options.pactBrokerUrl, '--pacticipant', options.pacticipant, '--version', options.version, '--to-environment', options.toEnvironment];
  if (options.retryWhileUnknown !== undefined) {
    args.push('--retry-while-unknown', String(options.retryWhileUnknown), '--retry-interval', String(options.retryIntervalSeconds ?? 10));
  }
  const run = await runPactBroker(args, options);
  if (run.status === 0) {
    return { deployable: true, exitCode: ExitCode.passed, output: run.output };
  }
  if (run.status === 1 && /computer says no/i.test(run.output)) {
    return { deployable: false, exitCode: ExitCode.contractFailed, output: run.output };
  }
  throw new SuiteError('broker.can-i-deploy-failed', `pact-broker can-i-deploy against ${options.pactBrokerUrl} failed with exit code ${run.status}:\n${run.output.trim()}`, 'Check the broker URL, the credentials and that the pacticipant and version exist in the broker.');
}

const usage = `Usage: npm run can-i-deploy -- --to-environment NAME [options]

Asks the Pact Broker whether a version can be deployed to an environment.

Options:
  --to-environment NAME   target environment, such as production (required)
  --pacticipant NAME      the application (default: ${providerName})
  --version TEXT          its version (default: GITHUB_SHA, GIT_COMMIT, else git rev-parse HEAD)
  --broker-url URL        the broker (default: PACT_BROKER_BASE_URL)
  --retry-while-unknown N ask again up to N times while results are missing, every 10 s
  --help                  print this text

Environment:
  PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (never printed)

Exit codes: 0 safe to deploy, 1 not safe, 2 the broker could not be asked.`;

export async function main(argv: string[], environment: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const parsed = parseCommandArguments('can-i-deploy', {
      args: argv,
      options: {
        'to-environment': { type: 'string' },
        pacticipant: { type: 'string' },
        version: { type: 'string' },
        'broker-url': { type: 'string' },
        'retry-while-unknown': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const values = parsed.values;
    if (values.help) {
      console.log(usage);
      return ExitCode.passed;
    }
    const pactBrokerUrl = values['broker-url'] ?? environment.PACT_BROKER_BASE_URL;
    if (!pactBrokerUrl) {
      throw new SuiteError('broker.url.missing', 'No Pact Broker URL was given', 'Set PACT_BROKER_BASE_URL or pass --broker-url.');
    }
    if (!values['to-environment']) {
      throw new SuiteError('cli.invalid-option', '--to-environment is missing', 'Pass the environment to deploy to, for example --to-environment production.');
    }
    const version = values.version ?? readGitVersion(environment).sha;
    if (!version) {
      throw new SuiteError('broker.version-missing', 'No version was given and git reported no commit', 'Pass --version with the git SHA that was verified.');
    }
    let retryWhileUnknown: number | undefined;
    if (values['retry-while-unknown'] !== undefined) {
      retryWhileUnknown = Number(values['retry-while-unknown']);
      if (!Number.isInteger(retryWhileUnknown) || retryWhileUnknown < 0) {
        throw new SuiteError('cli.invalid-option', `--retry-while-unknown must be a whole number of attempts, not ${JSON.stringify(values['retry-while-unknown'])}`, 'Pass, for example, --retry-while-unknown 6.');
      }
    }
    const verdict = await canIDeploy({
      pactBrokerUrl,
      pacticipant: values.pacticipant ?? providerName,
      version,
      toEnvironment: values['to-environment'],
      retryWhileUnknown,
      token: environment.PACT_BROKER_TOKEN || undefined,
      username: environment.PACT_BROKER_USERNAME || undefined,
      password: environment.PACT_BROKER_PASSWORD || undefined,
    });
    console.log(verdict.output.trim());
    return verdict.exitCode;
  } catch (error) {
    const failure = describeFailure(error);
    console.error(failure.text);
    return failure.exitCode;
  }
}
