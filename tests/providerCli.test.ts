// `npm run provider` lets a person try the staging workflow on one machine:
// the reference provider on a port, verified through --provider-base-url.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { verifyPact } from '../contracts/verification/verifyPact';
import { repositoryRoot, runCli } from './support/cli';

describe('npm run provider', () => {
  it('serves a provider that verify passes, until SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, 'contracts/cli/run.ts'), 'provider', '--port', '0'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const baseUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        const match = /service root (http:\/\/127\.0\.0\.1:\d+\/beta)/.exec(stdout);
        if (match?.[1]) {
          resolve(match[1]);
        }
      });
      child.on('close', () => reject(new Error(`provider exited early: ${stdout}`)));
    });

    const report = await verifyPact({ providerBaseUrl: baseUrl });
    child.kill('SIGINT');
    const exitCode = await exited;

    expect(report.passed).toBe(true);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Reference provider stopped.');
  });

  it('exits 2 for a port out of range', async () => {
    const run = await runCli('contracts/cli/run.ts', ['provider', '--port', '70000']);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error cli.invalid-option: --port must be a whole number from 0 to 65535, not "70000"');
  });
});
