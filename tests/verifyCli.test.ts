// The main job as a provider team runs it: `npm run verify`. Each case where
// the run cannot happen must exit 2 with one message that names the value at
// fault and what to do, never a stack trace.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type CliRun, repositoryRoot, runCli } from './support/cli';

const verifyScript = 'contracts/cli/verify.ts';
const workDirectory = mkdtempSync(path.join(os.tmpdir(), 'verify-cli-'));

afterAll(() => {
  rmSync(workDirectory, { recursive: true, force: true });
});

function writeTemp(name: string, content: string): string {
  const filePath = path.join(workDirectory, name);
  writeFileSync(filePath, content);
  return filePath;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectCouldNotRun(run: CliRun, code: string, value: string): void {
  expect(run.exitCode).toBe(2);
  expect(run.stderr).toContain(`error ${code}`);
  expect(run.stderr).toContain(value);
  expect(run.stderr).toContain('what to do:');
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe('npm run verify', () => {
  it('passes against the embedded provider and lists each interaction', async () => {
    const run = await runCli(verifyScript, []);

    expect(run.exitCode).toBe(0);
    expect(run.stdout.match(/^ {2}PASS {2}/gm)).toHaveLength(5);
    expect(run.stdout).toContain('PASS  a request to create the run summary of a device health script\n');
    expect(run.stdout).toContain('PASS  a request to create a run summary without a bearer token');
    expect(run.stdout).toMatch(/Summary: 5 passed, 0 failed/);
  });

  it('exits 2 when the pact file is missing', async () => {
    const missing = path.join(workDirectory, 'absent.json');

    const run = await runCli(verifyScript, ['--pact', missing]);

    expectCouldNotRun(run, 'pact.not-found', missing);
  });

  it('exits 2 when the pact file is not JSON', async () => {
    const broken = writeTemp('broken.json', '{"consumer": ');

    const run = await runCli(verifyScript, ['--pact', broken]);

    expectCouldNotRun(run, 'pact.invalid-json', broken);
  });

  it('exits 2 when the pact file lacks its provider', async () => {
    const partial = writeTemp('partial.json', JSON.stringify({ consumer: { name: 'RunSummaryConsumer' }, interactions: [] }));

    const run = await runCli(verifyScript, ['--pact', partial]);

    expectCouldNotRun(run, 'pact.invalid', 'provider.name');
  });

  const committedPact = JSON.parse(readFileSync(path.join(repositoryRoot, 'pacts', 'RunSummaryConsumer-GraphDeviceHealthScripts.json'), 'utf8')) as {
    metadata: { pactSpecification: { version: string } };
    interactions: Record<string, unknown>[];
  };

  const unusablePacts: [string, () => unknown, string][] = [
    ['a Pact V2 file', () => ({ ...committedPact, metadata: { ...committedPact.metadata, pactSpecification: { version: '2.0.0' } } }), 'Pact 2.0.0 file'],
    ['two interactions with one description', () => ({ ...committedPact, interactions: [committedPact.interactions[0], committedPact.interactions[0]] }), 'is used twice'],
    ['a message interaction', () => ({ ...committedPact, interactions: [{ ...committedPact.interactions[0], type: 'Asynchronous/Messages' }] }), 'Asynchronous/Messages interaction'],
  ];

  it.each(unusablePacts)('exits 2 for %s', async (name, build, reason) => {
    const file = writeTemp(`${name.replace(/\W+/g, '-')}.json`, JSON.stringify(build()));

    const run = await runCli(verifyScript, ['--pact', file]);

    expectCouldNotRun(run, 'pact.invalid', reason);
  });

  it('exits 2 when Pact cannot read the pact', async () => {
    // Invalid UTF-8 inside a description: Node's JSON.parse replaces it, Pact's reader rejects the file.
    const text = readFileSync(path.join(repositoryRoot, 'pacts', 'RunSummaryConsumer-GraphDeviceHealthScripts.json'));
    const marker = Buffer.from('a request to create a run summary with a count');
    const at = text.indexOf(marker);
    const broken = Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe]), text.subarray(at)]);
    const file = path.join(workDirectory, 'not-utf8.json');
    writeFileSync(file, broken);

    const run = await runCli(verifyScript, ['--pact', file]);

    expectCouldNotRun(run, 'pact.unusable', 'could not load any interaction');
  });

  it('exits 2 when the OpenAPI document is missing', async () => {
    const missing = path.join(workDirectory, 'absent.yaml');

    const run = await runCli(verifyScript, ['--openapi', missing]);

    expectCouldNotRun(run, 'openapi.not-found', missing);
  });

  it('exits 2 when the OpenAPI document is invalid', async () => {
    const invalid = writeTemp('invalid.yaml', 'openapi: 3.0.3\npaths: {}\n');

    const run = await runCli(verifyScript, ['--openapi', invalid]);

    expectCouldNotRun(run, 'openapi.invalid', invalid);
  });

  it('exits 2 when the provider is unreachable', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/beta`;

    const run = await runCli(verifyScript, ['--provider-base-url', baseUrl]);

    expectCouldNotRun(run, 'provider.unreachable', baseUrl);
  });

  it('exits 2 for an unknown option', async () => {
    const run = await runCli(verifyScript, ['--no-such-option']);

    expectCouldNotRun(run, 'cli.invalid-option', '--no-such-option');
  });

  it('exits 2 when the command cannot load', async () => {
    // The launcher alone, copied away from the modules it loads, stands for an incomplete install.
    const launcherCopy = path.join(workDirectory, 'incomplete', 'run.ts');
    mkdirSync(path.dirname(launcherCopy));
    copyFileSync(path.join(repositoryRoot, 'contracts', 'cli', 'run.ts'), launcherCopy);

    const run = await runCli(path.relative(repositoryRoot, launcherCopy), ['verify']);

    expectCouldNotRun(run, 'cli.load-failed', 'the verify command could not load');
  });

  it('exits 2 for an unknown command', async () => {
    const run = await runCli('contracts/cli/run.ts', ['verfy']);

    expectCouldNotRun(run, 'cli.unknown-command', '"verfy"');
  });
});
