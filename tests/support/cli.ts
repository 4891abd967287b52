import { spawn } from 'node:child_process';
import path from 'node:path';

export interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export const repositoryRoot = path.resolve(__dirname, '..', '..');

/**
 * Runs a command-line entry point of the suite as a user would, in its own
 * Node process, and collects its output and exit code.
 */
export function runCli(script: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repositoryRoot, script), ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}
