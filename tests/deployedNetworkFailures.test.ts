// A run that cannot reach the provider ends with one clear message and exit
// code 2, never a stack trace: a closed port, a host name that does not
// resolve, a certificate from an unknown CA, and a provider that does not
// respond in time. Every host is loopback or under the reserved .invalid TLD.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { type CliRun, type RunningTenantStandIn, runVerifyCli, startTenantStandIn } from './support/tenantStandIn';

const token = 'stand-in-token-for-network-failures-0001';
const reportRoot = mkdtempSync(path.join(os.tmpdir(), 'deployed-network-'));
const standIns: RunningTenantStandIn[] = [];

async function closedLoopbackPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function verify(name: string, baseUrl: string, environment: Record<string, string>, ...extra: string[]): Promise<CliRun> {
  return runVerifyCli(['--provider-base-url', baseUrl, '--report-dir', path.join(reportRoot, name), ...extra], { GRAPH_ACCESS_TOKEN: token, ...environment });
}

let unreachable: CliRun;
let unresolvable: CliRun;
let untrusted: CliRun;
let timedOut: CliRun;
let timedOutStandIn: RunningTenantStandIn;

beforeAll(async () => {
  const endpoint = readEndpoint(await loadOpenApi());
  const trustedStandIn = await startTenantStandIn({ endpoint, acceptedToken: token });
  timedOutStandIn = await startTenantStandIn({ endpoint, acceptedToken: token, holdRunSummary: true });
  standIns.push(trustedStandIn, timedOutStandIn);
  const port = await closedLoopbackPort();

  [unreachable, unresolvable, untrusted, timedOut] = await Promise.all([
    verify('unreachable', `https://127.0.0.1:${port}/beta`, {}),
    verify('dns', 'https://tenant-stand-in.invalid/beta', {}, '--allow-host', 'tenant-stand-in.invalid'),
    // No NODE_EXTRA_CA_CERTS: the stand-in's CA is unknown to the CLI.
    verify('tls', trustedStandIn.graphBaseUrl, {}),
    verify('timeout', timedOutStandIn.graphBaseUrl, { NODE_EXTRA_CA_CERTS: timedOutStandIn.caPath }, '--timeout', '1000'),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(standIns.map((standIn) => standIn.close()));
  rmSync(reportRoot, { recursive: true, force: true });
});

describe('network failures of a deployed run', () => {
  it('reports an unreachable host', () => {
    expect(unreachable.stderr).toContain('error provider.unreachable: HEAD https://127.0.0.1:');
    expect(unreachable.stderr).toContain('ECONNREFUSED');
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
    expect(unreachable.status).toBe(2);
  });

  it('reports a host name that does not resolve', () => {
    expect(unresolvable.stderr).toContain('error provider.dns: HEAD https://tenant-stand-in.invalid/beta failed: the host name tenant-stand-in.invalid does not resolve');
    expect(unresolvable.status).toBe(2);
  });

  it('reports a certificate from an unknown CA', () => {
    expect(untrusted.stderr).toContain('error provider.tls: HEAD https://127.0.0.1:');
    expect(untrusted.stderr).toContain('NODE_EXTRA_CA_CERTS');
    expect(untrusted.status).toBe(2);
  });

  it('reports a verified request that times out', () => {
    expect(timedOut.stdout).toMatch(/provider.request.failed[^]*within 1000 ms/);
    expect(timedOut.stdout).toMatch(/ERROR +a request to create/);
    expect(timedOut.stdout).toContain('Not a contract failure');
    expect(timedOut.status).toBe(2);
  });

  it('deletes fixtures after a timeout', () => {
    expect(timedOutStandIn.scriptIds()).toEqual([]);
    expect(timedOut.stdout).toContain('No fixture left on the provider.');
  });
});
