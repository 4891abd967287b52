import { spawn } from 'node:child_process';
import { SuiteError } from '../errors';
import { Redactor } from '../verification/redact';
import type { BrokerCredentials } from './brokerSource';

export interface PactBrokerRun {
  /** The tool's exit status: 0 success; for can-i-deploy, 1 means "not safe to deploy". */
  status: number;
  /** Standard output and error together, credentials removed. */
  output: string;
}

/**
 * Runs `pact-broker` from @pact-foundation/pact-cli, the official broker
 * client, with the given arguments. Credentials travel in the PACT_BROKER_*
 * environment variables the tool reads, never on the command line where
 * process listings would show them, and are removed from its output.
 */
export function runPactBroker(args: string[], credentials: BrokerCredentials = {}, timeoutMs = 120_000): Promise<PactBrokerRun> {
  const redactor = new Redactor();
  redactor.add(credentials.token);
  redactor.add(credentials.password);
  const environment: NodeJS.ProcessEnv = { ...process.env, PACT_DO_NOT_TRACK: 'true' };
  for (const [name, value] of [
    ['PACT_BROKER_TOKEN', credentials.token],
    ['PACT_BROKER_USERNAME', credentials.username],
    ['PACT_BROKER_PASSWORD', credentials.password],
  ] as const) {
    if (value) {
      environment[name] = value;
    }
  }

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('@pact-foundation/pact-cli/bin/pact-broker.js'), ...args], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new SuiteError('broker.timeout', `pact-broker ${args[0] ?? ''} timed out after ${timeoutMs} ms`, 'Check that the broker URL is reachable from this machine.'));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new SuiteError('broker.cli-failed', `pact-broker could not start: ${redactor.redact(error.message)}`, 'Run `npm ci` to restore @pact-foundation/pact-cli and its platform binary.', { cause: error }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? 1, output: redactor.redact(stripAnsi(output)) });
    });
  });
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
