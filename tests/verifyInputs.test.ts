// Inputs of `npm run verify` that must stop the run before any call: each bad
// value exits with one message that names the value (never a secret), the
// dotted code and what to do, and no stack trace. The secrets these inputs
// carry must not reach the output in any form.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { main } from '../contracts/cli/verify';
import { Redactor, redactedMarker } from '../contracts/verification/redact';
import { maskUserInfo, networkError } from '../contracts/verification/setupHttp';
import { type CliRun, runCli } from './support/cli';
import { type RunningTenantStandIn, standInTenantId, startTenantStandIn } from './support/tenantStandIn';

const verifyScript = 'contracts/cli/verify.ts';
const reportRoot = mkdtempSync(path.join(os.tmpdir(), 'verify-inputs-'));

// Nothing from the developer's shell may change which provider or token a row uses.
const cleanEnvironment: Record<string, string | undefined> = {
  GRAPH_ACCESS_TOKEN: undefined,
  PROVIDER_BASE_URL: undefined,
  AZURE_TENANT_ID: undefined,
  AZURE_CLIENT_ID: undefined,
  AZURE_CLIENT_SECRET: undefined,
  AZURE_CLIENT_CERTIFICATE_PATH: undefined,
  AZURE_AUTHORITY_HOST: undefined,
  PACT_BROKER_BASE_URL: undefined,
};

// Port 9 (discard) on loopback: no row reaches it, because each is rejected before any call.
const unusedProvider = 'http://127.0.0.1:9/beta';

interface BadInput {
  name: string;
  args: string[];
  env?: Record<string, string>;
  exitCode: number;
  code: string;
  /** Text the message must contain: the offending value, or what is wrong with a secret. */
  expectedText: string;
  /** A secret the output must not contain. */
  hidden?: string;
  /** Also run in its own Node process, as a user would, to see what reaches the terminal (warnings included). */
  spawn?: boolean;
}

const badInputs: BadInput[] = [
  // Tokens: checked before any call, for a deployed and for the embedded provider.
  { spawn: true, name: 'a token with inner whitespace', args: ['--provider-base-url', unusedProvider], env: { GRAPH_ACCESS_TOKEN: 'abcdefgh ijklmnop' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'whitespace at position 9', hidden: 'ijklmnop' },
  { name: 'a token with an inner line break', args: ['--provider-base-url', unusedProvider], env: { GRAPH_ACCESS_TOKEN: 'abcdefgh\nijklmnop' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'control character at position 9', hidden: 'ijklmnop' },
  { name: 'a token with a control character', args: ['--provider-base-url', unusedProvider], env: { GRAPH_ACCESS_TOKEN: 'abcdefgh\u0007ijklmnop' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'control character at position 9', hidden: 'ijklmnop' },
  { name: 'a token with a non-ASCII character', args: ['--provider-base-url', unusedProvider], env: { GRAPH_ACCESS_TOKEN: 'abcdefgh\u00e9ijklmnop' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'non-ASCII character at position 9', hidden: 'ijklmnop' },
  { name: 'a token with a "Bearer " prefix', args: ['--provider-base-url', unusedProvider], env: { GRAPH_ACCESS_TOKEN: 'Bearer qrstuvwxyz0123' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'whitespace at position 7', hidden: 'qrstuvwxyz0123' },
  { name: 'a token of 7 characters', args: ['--provider-base-url', unusedProvider], env: { GRAPH_ACCESS_TOKEN: 'k3Q9zW7' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'only 7 characters, fewer than 8', hidden: 'k3Q9zW7' },
  { name: 'a short token inside whitespace', args: ['--provider-base-url', unusedProvider], env: { GRAPH_ACCESS_TOKEN: '  k3Q9zW  \n' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'only 6 characters', hidden: 'k3Q9zW' },
  { name: 'a bad token with the embedded provider', args: [], env: { GRAPH_ACCESS_TOKEN: 'abcdefgh ijklmnop' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'whitespace at position 9', hidden: 'ijklmnop' },
  { name: 'a bad token with --dry-run', args: ['--provider-base-url', unusedProvider, '--dry-run'], env: { GRAPH_ACCESS_TOKEN: 'abcdefgh ijklmnop' }, exitCode: 2, code: 'credentials.token-invalid', expectedText: 'whitespace at position 9', hidden: 'ijklmnop' },

  // Empty option values would fall back to a default, such as the embedded provider.
  { spawn: true, name: 'an empty --provider-base-url', args: ['--provider-base-url', ''], exitCode: 2, code: 'cli.invalid-option', expectedText: '--provider-base-url "" is empty' },
  { name: 'an empty --provider-states-setup-url', args: ['--provider-base-url', unusedProvider, '--provider-states-setup-url', ''], exitCode: 2, code: 'cli.invalid-option', expectedText: '--provider-states-setup-url "" is empty' },
  { name: 'an empty --pact', args: ['--pact', ''], exitCode: 2, code: 'cli.invalid-option', expectedText: '--pact "" is empty' },
  { name: 'an empty --openapi', args: ['--openapi', ''], exitCode: 2, code: 'cli.invalid-option', expectedText: '--openapi "" is empty' },
  { name: 'an empty --report-dir', args: ['--report-dir', ''], exitCode: 2, code: 'cli.invalid-option', expectedText: '--report-dir "" is empty' },
  { name: 'an empty --allow-host', args: ['--allow-host', ''], exitCode: 2, code: 'cli.invalid-option', expectedText: '--allow-host "" is empty' },

  // Provider URLs: the same rules for the option, the variable and the state-change URL.
  { spawn: true, name: 'a provider URL with a password', args: ['--provider-base-url', 'http://user:secretpass@127.0.0.1:9/beta'], exitCode: 2, code: 'provider.url.invalid', expectedText: 'http://user:***@127.0.0.1:9/beta contains user info', hidden: 'secretpass' },
  { name: 'PROVIDER_BASE_URL with a password', args: [], env: { PROVIDER_BASE_URL: 'http://user:secretpass@127.0.0.1:9/beta' }, exitCode: 2, code: 'provider.url.invalid', expectedText: 'PROVIDER_BASE_URL http://user:***@127.0.0.1:9/beta', hidden: 'secretpass' },
  { name: 'a state-change URL with a password', args: ['--provider-base-url', unusedProvider, '--provider-states-setup-url', 'http://admin:secretpass@127.0.0.1:9/states'], exitCode: 2, code: 'provider.url.invalid', expectedText: '--provider-states-setup-url http://admin:***@127.0.0.1:9/states', hidden: 'secretpass' },
  { name: 'a provider URL with a user name only', args: ['--provider-base-url', 'http://someone@127.0.0.1:9/beta'], exitCode: 2, code: 'provider.url.invalid', expectedText: 'http://someone@127.0.0.1:9/beta contains user info' },
  { name: 'a provider URL with a query string', args: ['--provider-base-url', 'http://127.0.0.1:9/beta?x=1'], exitCode: 2, code: 'provider.url.invalid', expectedText: 'http://127.0.0.1:9/beta?x=1 contains a query string or fragment' },
  { name: 'a provider URL with an empty query string', args: ['--provider-base-url', 'http://127.0.0.1:9/beta?'], exitCode: 2, code: 'provider.url.invalid', expectedText: 'http://127.0.0.1:9/beta? contains a query string or fragment' },
  { name: 'a provider URL with a fragment', args: ['--provider-base-url', 'http://127.0.0.1:9/beta#top'], exitCode: 2, code: 'provider.url.invalid', expectedText: 'http://127.0.0.1:9/beta#top contains a query string or fragment' },
  { name: 'a state-change URL with a query string', args: ['--provider-base-url', unusedProvider, '--provider-states-setup-url', 'http://127.0.0.1:9/states?x=1'], exitCode: 2, code: 'provider.url.invalid', expectedText: '--provider-states-setup-url http://127.0.0.1:9/states?x=1' },
  { name: 'a provider URL with a line break', args: ['--provider-base-url', 'http://127.0.0.1:9/be\nta'], exitCode: 2, code: 'provider.url.invalid', expectedText: '"http://127.0.0.1:9/be\\nta" contains whitespace or a control character' },
  { name: 'a provider URL with surrounding spaces', args: ['--provider-base-url', ' http://127.0.0.1:9/beta '], exitCode: 2, code: 'provider.url.invalid', expectedText: '" http://127.0.0.1:9/beta " contains whitespace' },
  { name: 'a provider URL with another scheme', args: ['--provider-base-url', 'ftp://127.0.0.1:9/beta'], exitCode: 2, code: 'provider.url.invalid', expectedText: 'ftp://127.0.0.1:9/beta uses ftp:, not http or https' },
  { name: 'a provider URL that does not parse', args: ['--provider-base-url', 'http://user:secretpass@'], exitCode: 2, code: 'provider.url.invalid', expectedText: 'http://user:***@ is not a valid URL', hidden: 'secretpass' },
  {
    name: 'an authority host with a password',
    args: ['--provider-base-url', unusedProvider],
    env: { AZURE_TENANT_ID: standInTenantId, AZURE_CLIENT_ID: 'app-1', AZURE_CLIENT_SECRET: 'client-secret-value-1', AZURE_AUTHORITY_HOST: 'https://user:secretpass@127.0.0.1:9' },
    exitCode: 2,
    code: 'credentials.authority-invalid',
    expectedText: 'AZURE_AUTHORITY_HOST https://user:***@127.0.0.1:9 contains user info',
    hidden: 'secretpass',
  },
  {
    name: 'an authority host with a query string',
    args: ['--provider-base-url', unusedProvider],
    env: { AZURE_TENANT_ID: standInTenantId, AZURE_CLIENT_ID: 'app-1', AZURE_CLIENT_SECRET: 'client-secret-value-1', AZURE_AUTHORITY_HOST: 'https://127.0.0.1:9?x=1' },
    exitCode: 2,
    code: 'credentials.authority-invalid',
    expectedText: 'AZURE_AUTHORITY_HOST https://127.0.0.1:9?x=1 contains a query string',
  },

  // --timeout: decimal digits within what setTimeout accepts.
  ...['1e3', '0x10', ' 5 ', '1.5', '-5', '0', '99999999999999999999', '2147483648'].map(
    (value): BadInput => ({ spawn: value === '2147483648', name: `--timeout ${JSON.stringify(value)}`, args: [`--timeout=${value}`], exitCode: 2, code: 'cli.invalid-option', expectedText: `--timeout ${JSON.stringify(value)} is not a whole number of milliseconds from 1 to 2147483647` }),
  ),

  // Ports that Node's fetch blocks before connecting.
  ...['6000', '1'].map(
    (port): BadInput => ({ spawn: port === '6000', name: `a provider on blocked port ${port}`, args: ['--provider-base-url', `http://127.0.0.1:${port}/beta`], exitCode: 2, code: 'provider.port-blocked', expectedText: `blocks port ${port}` }),
  ),
];

/**
 * Calls the CLI's main function in this process with the given environment
 * and collects what it prints: one process start per row would take most of
 * the time budget. Rows marked `spawn` also run in their own process.
 */
async function runInProcess(args: string[], environment: Record<string, string | undefined>): Promise<CliRun> {
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  const setEnvironment = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
  };
  let stdout = '';
  let stderr = '';
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void (stdout += `${parts.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void (stderr += `${parts.join(' ')}\n`));
  setEnvironment(environment);
  try {
    const exitCode = await main(args);
    return { exitCode, stdout, stderr };
  } finally {
    setEnvironment(saved);
    log.mockRestore();
    error.mockRestore();
  }
}

const runs = new Map<string, CliRun>();
const spawnedRuns = new Map<string, CliRun>();
const spawnedInputs = badInputs.filter((row) => row.spawn);

beforeAll(async () => {
  const argsOf = (row: BadInput): string[] => ['--report-dir', path.join(reportRoot, row.name.replace(/\W+/g, '-')), ...row.args];
  // Sequential, because main reads process.env, which each row sets.
  for (const row of badInputs) {
    runs.set(row.name, await runInProcess(argsOf(row), { ...cleanEnvironment, ...row.env }));
  }
  const spawned = await Promise.all(spawnedInputs.map((row) => runCli(verifyScript, argsOf(row), { ...cleanEnvironment, ...row.env })));
  spawnedInputs.forEach((row, index) => spawnedRuns.set(row.name, spawned[index]));
});

afterAll(() => {
  rmSync(reportRoot, { recursive: true, force: true });
});

function expectRejected(run: CliRun, row: BadInput): void {
  const output = run.stdout + run.stderr;

  expect(run.exitCode).toBe(row.exitCode);
  expect(run.stderr).toContain(`error ${row.code}: `);
  expect(run.stderr).toContain(row.expectedText);
  expect(run.stderr).toContain('\n  what to do: ');
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('TimeoutOverflowWarning');
  if (row.hidden !== undefined) {
    expect(output).not.toContain(row.hidden);
  }
}

describe('npm run verify with a bad input', () => {
  it.each(badInputs.map((row) => [row.name, row] as const))('rejects %s', (name, row) => {
    expectRejected(runs.get(name) as CliRun, row);
  });

  it.each(spawnedInputs.map((row) => [row.name, row] as const))('rejects %s in its own process', (name, row) => {
    expectRejected(spawnedRuns.get(name) as CliRun, row);
  });
});

describe('npm run verify with an accepted input', () => {
  const token = 'abcdefghijklmnopqrstu-4821';
  let standIn: RunningTenantStandIn;

  beforeAll(async () => {
    standIn = await startTenantStandIn({ endpoint: readEndpoint(await loadOpenApi()), acceptedToken: token });
  });

  afterAll(async () => {
    await standIn.close();
  });

  it('removes spaces and a line break around GRAPH_ACCESS_TOKEN', async () => {
    const run = await runCli(verifyScript, ['--provider-base-url', standIn.graphBaseUrl, '--report-dir', path.join(reportRoot, 'trimmed-token')], {
      ...cleanEnvironment,
      GRAPH_ACCESS_TOKEN: `  ${token}  \n`,
      NODE_EXTRA_CA_CERTS: standIn.caPath,
    });

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Summary: 5 passed, 0 failed/);
    expect(standIn.requests.some((request) => request.authorization === 'accepted-token')).toBe(true);
    expect(standIn.requests.some((request) => request.authorization === 'other-token')).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it('treats an empty PROVIDER_BASE_URL as unset', async () => {
    const run = await runCli(verifyScript, ['--dry-run'], { ...cleanEnvironment, PROVIDER_BASE_URL: '' });

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('http://127.0.0.1:<port of the embedded provider>');
  });

  it('accepts the largest timeout setTimeout allows', async () => {
    const run = await runCli(verifyScript, ['--timeout', '2147483647', '--dry-run'], cleanEnvironment);

    expect(run.exitCode).toBe(0);
    expect(run.stderr).not.toContain('TimeoutOverflowWarning');
  });
});

describe('a token from the token endpoint', () => {
  const client = { clientId: 'app-with-odd-token', clientSecret: 'stand-in-client-secret-Zr5~p' };

  it.each([
    ['is too short', 'k3Q9zW7', 'only 7 characters'],
    ['contains a space', 'abcdefgh ijklmnop', 'whitespace at position 9'],
  ])('is rejected when it %s', async (_name, issuedToken, expectedText) => {
    const standIn = await startTenantStandIn({ endpoint: readEndpoint(await loadOpenApi()), acceptedToken: issuedToken, client });
    try {
      const run = await runCli(verifyScript, ['--provider-base-url', standIn.graphBaseUrl, '--report-dir', path.join(reportRoot, 'issued-token')], {
        ...cleanEnvironment,
        AZURE_TENANT_ID: standInTenantId,
        AZURE_CLIENT_ID: client.clientId,
        AZURE_CLIENT_SECRET: client.clientSecret,
        AZURE_AUTHORITY_HOST: standIn.origin,
        NODE_EXTRA_CA_CERTS: standIn.caPath,
      });
      const output = run.stdout + run.stderr;

      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('error credentials.token-invalid: The token from the token endpoint');
      expect(run.stderr).toContain(expectedText);
      expect(run.stderr).toContain('what to do:');
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain(issuedToken);
      expect(standIn.requests).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
});

describe('Redactor', () => {
  const secret = 'tok"en\\with/special+chars&=';
  const redactor = new Redactor();
  redactor.add(secret);

  it.each([
    ['the raw form', secret],
    ['the JSON-escaped form', JSON.stringify(secret).slice(1, -1)],
    ['the JSON-escaped form with an escaped slash', JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/')],
    ['the percent-encoded form', encodeURIComponent(secret)],
  ])('removes %s', (_name, form) => {
    const redacted = redactor.redact(`echo: ${form} end`);

    expect(redacted).toBe(`echo: ${redactedMarker} end`);
  });

  it('removes the secret from strings, nested JSON text and keys of a value', () => {
    const value = { body: JSON.stringify({ authorization: `Bearer ${secret}` }), headers: [secret], [secret]: 1, count: 2 };

    const redacted = JSON.stringify(redactor.redactValue(value));

    expect(redacted).not.toContain('tok');
    expect(redacted).not.toContain('special');
    expect(redacted).toContain('"count":2');
  });

  it('leaves a secret shorter than 8 characters in place', () => {
    const short = new Redactor();
    short.add('k3Q9zW7');

    expect(short.redact('value k3Q9zW7')).toBe('value k3Q9zW7');
  });

  it('removes an unknown bearer credential of 16 or more characters', () => {
    expect(new Redactor().redact('Authorization: Bearer abcdefghijklmnop')).toBe(`Authorization: Bearer ${redactedMarker}`);
  });
});

describe('URL helpers', () => {
  it.each([
    ['http://user:secretpass@127.0.0.1:9/beta', 'http://user:***@127.0.0.1:9/beta'],
    ['http://user:secretpass@', 'http://user:***@'],
    ['https://someone@127.0.0.1/', 'https://someone@127.0.0.1/'],
    ['http://127.0.0.1:9/beta', 'http://127.0.0.1:9/beta'],
  ])('masks the password of %s', (text, masked) => {
    expect(maskUserInfo(text)).toBe(masked);
  });

  it('classifies a port that fetch blocks as provider.port-blocked', async () => {
    const failure = await fetch('http://127.0.0.1:6000/beta').then(
      () => undefined,
      (error: unknown) => error,
    );

    const error = networkError('HEAD', 'http://127.0.0.1:6000/beta', failure, 1000);

    expect(error.code).toBe('provider.port-blocked');
    expect(error.message).toContain('port 6000');
    expect(error.hint).toContain('another port');
    expect(error.exitCode).toBe(2);
  });
});
