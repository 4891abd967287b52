// Verifying a deployed provider: the CLI runs as a child process against a
// stand-in for a Graph tenant over HTTPS, trusting the stand-in's CA only
// through NODE_EXTRA_CA_CERTS. A run has to pass against a conforming
// provider, fail against a faulty one, and leave no fixture behind, even when
// Ctrl-C interrupts it.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProviderAnswer } from '../contracts/provider/referenceProvider';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { pactFilePath } from '../contracts/consumer/pactFiles';
import { readPactFile } from '../contracts/verification/pactFile';
import { type CliRun, type RunningTenantStandIn, type TenantStandInOptions, runVerifyCli, startTenantStandIn, startVerifyCli } from './support/tenantStandIn';

const token = `eyJ0eXAiOiJKV1Qi.stand-in-token.${Date.now().toString(36)}Zq81`;
const reportRoot = mkdtempSync(path.join(os.tmpdir(), 'deployed-provider-'));
const interactionCount = readPactFile(pactFilePath()).interactions.length;
const standIns: RunningTenantStandIn[] = [];

interface Scenario {
  standIn: RunningTenantStandIn;
  run: CliRun;
  reportDir: string;
  /** Fixtures on the stand-in at the moment of the interrupt. */
  fixturesAtInterrupt?: string[];
}

async function startStandIn(options: Omit<TenantStandInOptions, 'endpoint' | 'acceptedToken'>): Promise<RunningTenantStandIn> {
  const endpoint = readEndpoint(await loadOpenApi());
  const standIn = await startTenantStandIn({ endpoint, acceptedToken: token, ...options });
  standIns.push(standIn);
  return standIn;
}

function cliArguments(standIn: RunningTenantStandIn, reportDir: string, ...extra: string[]): string[] {
  return ['--provider-base-url', standIn.graphBaseUrl, '--report-dir', reportDir, '--timeout', '20000', ...extra];
}

async function verifyAgainst(name: string, options: Omit<TenantStandInOptions, 'endpoint' | 'acceptedToken'>, ...extra: string[]): Promise<Scenario> {
  const standIn = await startStandIn(options);
  const reportDir = path.join(reportRoot, name);
  const run = await runVerifyCli(cliArguments(standIn, reportDir, ...extra), { NODE_EXTRA_CA_CERTS: standIn.caPath, GRAPH_ACCESS_TOKEN: token });
  return { standIn, run, reportDir };
}

/** Sends SIGINT to the CLI's process group once the stand-in is delaying a runSummary call, the way Ctrl-C would. */
async function interruptMidRun(): Promise<Scenario> {
  const standIn = await startStandIn({ holdRunSummary: true });
  const reportDir = path.join(reportRoot, 'interrupted');
  const cli = startVerifyCli(cliArguments(standIn, reportDir), { NODE_EXTRA_CA_CERTS: standIn.caPath, GRAPH_ACCESS_TOKEN: token });
  let fixturesDuringRun: string[] = [];
  void standIn.runSummaryHeld.then(() => {
    fixturesDuringRun = standIn.scriptIds();
    process.kill(-(cli.child.pid ?? 0), 'SIGINT');
  });
  const run = await cli.finished;
  return { standIn, run, reportDir, fixturesAtInterrupt: fixturesDuringRun };
}

function filesUnder(directory: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(directory, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

// Echoes the bearer token back in the body, and in a count where Pact prints the actual value.
function echoAuthorization(answer: ProviderAnswer, request: { headers: Record<string, string | string[] | undefined> }): ProviderAnswer {
  const authorization = String(request.headers.authorization ?? '');
  const body = (answer.body ?? {}) as { value?: Record<string, unknown> };
  return {
    ...answer,
    body: { ...body, echoedAuthorization: authorization, echoedToken: authorization.replace(/^Bearer /, ''), value: { ...body.value, detectionScriptErrorDeviceCount: authorization } },
  };
}

let conforming: Scenario;
let faulty: Scenario;
let echoing: Scenario;
let interrupted: Scenario;

beforeAll(async () => {
  // The four runs are independent, so they run side by side to keep the file short.
  [conforming, faulty, echoing, interrupted] = await Promise.all([
    verifyAgainst('conforming', {}),
    verifyAgainst('faulty', { throttleRunSummary: { status: 503, times: 1 } }),
    verifyAgainst('echoing', { transformRunSummaryAnswer: echoAuthorization }, '--verbose'),
    interruptMidRun(),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(standIns.map((standIn) => standIn.close()));
  rmSync(reportRoot, { recursive: true, force: true });
});

describe('verifying a deployed provider', () => {
  it('passes against a conforming stand-in', () => {
    expect(conforming.run.stderr).toBe('');
    expect(conforming.run.stdout).toContain(`Summary: ${interactionCount} passed, 0 failed`);
    expect(conforming.run.status).toBe(0);
  });

  it('keeps the path prefix of the service root', () => {
    const graphPaths = conforming.standIn.requests.filter((request) => request.method !== 'HEAD').map((request) => request.path);

    expect(graphPaths.length).toBeGreaterThan(0);
    expect(graphPaths.every((requestPath) => requestPath.startsWith('/beta/deviceManagement/deviceHealthScripts'))).toBe(true);
  });

  it('sends the token only where the pact does', () => {
    const runSummaryCalls = conforming.standIn.requests.filter((request) => request.path.endsWith('/runSummary'));

    expect(runSummaryCalls).toHaveLength(interactionCount);
    expect(runSummaryCalls.filter((request) => request.authorization === 'none')).toHaveLength(1);
    expect(runSummaryCalls.filter((request) => request.authorization === 'other-token')).toHaveLength(0);
  });

  it('sends the token with every set-up call', () => {
    const setupCalls = conforming.standIn.requests.filter((request) => request.method !== 'HEAD' && !request.path.endsWith('/runSummary'));

    expect(setupCalls.length).toBeGreaterThan(0);
    expect(setupCalls.every((request) => request.authorization === 'accepted-token')).toBe(true);
  });

  it('deletes every fixture after a passing run', () => {
    expect(conforming.standIn.scriptIds()).toEqual([]);
    expect(conforming.run.stdout).toContain('No fixture left on the provider.');
  });

  it('fails against a faulty stand-in', () => {
    expect(faulty.run.stdout).toMatch(/FAIL +a request to create/);
    expect(faulty.run.stdout).toContain('pact.status.mismatch');
    expect(faulty.run.status).toBe(1);
  });

  it('never retries the verified request', () => {
    const runSummaryCalls = faulty.standIn.requests.filter((request) => request.path.endsWith('/runSummary'));

    expect(runSummaryCalls).toHaveLength(interactionCount);
  });

  it('deletes every fixture after a failing run', () => {
    expect(faulty.standIn.scriptIds()).toEqual([]);
    expect(faulty.run.stdout).toContain('No fixture left on the provider.');
  });

  it('shows an echoed token nowhere', () => {
    const files = [...filesUnder(path.resolve(__dirname, '..', 'pacts')), ...filesUnder(echoing.reportDir)];
    const filesWithToken = files.filter((file) => readFileSync(file, 'utf8').includes(token));

    expect(echoing.run.stdout).toContain('[redacted]');
    expect(echoing.run.stdout).not.toContain(token);
    expect(echoing.run.stderr).not.toContain(token);
    expect(filesUnder(echoing.reportDir).length).toBeGreaterThan(0);
    expect(filesWithToken).toEqual([]);
  });

  it('cleans up when interrupted with Ctrl-C', () => {
    expect(interrupted.fixturesAtInterrupt).toHaveLength(1);
    expect(interrupted.standIn.scriptIds()).toEqual([]);
    expect(interrupted.run.stderr).toContain('error run.interrupted');
    expect(interrupted.run.stderr).toContain('No fixture left on the provider.');
    expect(interrupted.run.status).toBe(130);
  });
});
