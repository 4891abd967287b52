// Starts the embedded reference provider on a loopback port and keeps it
// running until Ctrl-C, so the staging workflow (`verify --provider-base-url`)
// can be tried on one machine.
import { describeFailure, ExitCode, messageOf, SuiteError } from '../errors';
import { parseCommandArguments } from './options';
import { startReferenceProvider } from '../provider/referenceProvider';
import { readEndpoint } from '../spec/endpoint';
import { loadOpenApi } from '../spec/loadOpenApi';

const usage = `Usage: npm run provider -- [options]

Starts the embedded reference provider on 127.0.0.1 until Ctrl-C.

Options:
  --port N          loopback port (default: 8080; 0 picks a free port)
  --base-path PATH  path prefix of the service root (default: /beta)
  --openapi FILE    OpenAPI document (default: openapi/runSummary.openapi.yaml)
  --help            print this text`;

export async function main(argv: string[]): Promise<number> {
  try {
    const values = parseCommandArguments('provider', {
      args: argv,
      options: {
        port: { type: 'string', default: '8080' },
        'base-path': { type: 'string', default: '/beta' },
        openapi: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
    if (values.help) {
      console.log(usage);
      return ExitCode.passed;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new SuiteError('cli.invalid-option', `--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}`, 'Pass, for example, --port 8080.');
    }
    const basePath = values['base-path'];
    if (basePath !== '' && !basePath.startsWith('/')) {
      throw new SuiteError('cli.invalid-option', `--base-path must start with "/", not ${JSON.stringify(basePath)}`, 'Pass, for example, --base-path /beta.');
    }

    const endpoint = readEndpoint(await loadOpenApi(values.openapi));
    const provider = await startReferenceProvider({ endpoint, port, basePath }).catch((error: unknown) => {
      throw new SuiteError('provider.listen-failed', `Could not listen on 127.0.0.1:${port}: ${messageOf(error)}`, 'Choose another port with --port, or stop what uses it.');
    });
    console.log(`Reference provider listening; service root ${provider.baseUrl}`);
    console.log(`Verify it with: npm run verify -- --provider-base-url ${provider.baseUrl}`);

    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await provider.close();
    console.log('Reference provider stopped.');
    return ExitCode.passed;
  } catch (error) {
    const failure = describeFailure(error);
    console.error(failure.text);
    return failure.exitCode;
  }
}
