// Credentials and safety of a deployed run. A token comes from client
// credentials. A token endpoint or a provider that rejects the credentials
// ends the run with exit code 3, reported apart from contract failures. A
// host outside the allowed list is rejected, and --dry-run makes no call.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { graphScope } from '../contracts/verification/credentials';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { type CliRun, type RunningTenantStandIn, type TenantStandInOptions, generateClientCertificate, runVerifyCli, standInTenantId, startTenantStandIn } from './support/tenantStandIn';

const token = 'stand-in-token-issued-to-the-app-7c41';
const reportRoot = mkdtempSync(path.join(os.tmpdir(), 'deployed-credentials-'));
const appCertificate = generateClientCertificate(reportRoot);
const client = { clientId: '0f3c9b1e-stand-in-app', clientSecret: 'stand-in-client-secret-Qw8~x', certificatePem: appCertificate.certificatePem };
const standIns: RunningTenantStandIn[] = [];

interface Scenario {
  standIn: RunningTenantStandIn;
  run: CliRun;
}

async function verify(name: string, options: Omit<TenantStandInOptions, 'endpoint' | 'acceptedToken'>, environment: (standIn: RunningTenantStandIn) => Record<string, string>, ...extra: string[]): Promise<Scenario> {
  const standIn = await startTenantStandIn({ endpoint: readEndpoint(await loadOpenApi()), acceptedToken: token, client, ...options });
  standIns.push(standIn);
  const run = await runVerifyCli(['--provider-base-url', standIn.graphBaseUrl, '--report-dir', path.join(reportRoot, name), ...extra], {
    NODE_EXTRA_CA_CERTS: standIn.caPath,
    ...environment(standIn),
  });
  return { standIn, run };
}

function clientCredentials(secret: string): (standIn: RunningTenantStandIn) => Record<string, string> {
  return (standIn) => ({ AZURE_TENANT_ID: standInTenantId, AZURE_CLIENT_ID: client.clientId, AZURE_CLIENT_SECRET: secret, AZURE_AUTHORITY_HOST: standIn.origin });
}

const wrongSecret = 'wrong-client-secret-value-5512';
let fromClientCredentials: Scenario;
let fromCertificate: Scenario;
let tokenEndpointError: Scenario;
let tokenRejected: Scenario;
let permissionDenied: Scenario;
let dryRun: Scenario;
let hostNotAllowed: CliRun;

beforeAll(async () => {
  [fromClientCredentials, fromCertificate, tokenEndpointError, tokenRejected, permissionDenied, dryRun, hostNotAllowed] = await Promise.all([
    verify('client-credentials', {}, clientCredentials(client.clientSecret)),
    verify('client-certificate', {}, (standIn) => ({
      AZURE_TENANT_ID: standInTenantId,
      AZURE_CLIENT_ID: client.clientId,
      AZURE_CLIENT_CERTIFICATE_PATH: appCertificate.pemPath,
      AZURE_AUTHORITY_HOST: standIn.origin,
    })),
    verify('token-endpoint-error', {}, clientCredentials(wrongSecret)),
    verify('token-rejected', {}, () => ({ GRAPH_ACCESS_TOKEN: 'a-token-the-stand-in-never-issued-93' })),
    verify('permission-denied', { createStatus: 403 }, () => ({ GRAPH_ACCESS_TOKEN: token })),
    verify('dry-run', {}, clientCredentials(client.clientSecret), '--dry-run'),
    // graph.example.com is never contacted: the host check comes before any call.
    runVerifyCli(['--report-dir', path.join(reportRoot, 'host')], { GRAPH_ACCESS_TOKEN: token, PROVIDER_BASE_URL: 'https://graph.example.com/beta' }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(standIns.map((standIn) => standIn.close()));
  rmSync(reportRoot, { recursive: true, force: true });
});

describe('credentials of a deployed run', () => {
  it('passes with a token from client credentials', () => {
    expect(fromClientCredentials.run.stdout).toContain('Token: client credentials (AZURE_CLIENT_SECRET)');
    expect(fromClientCredentials.run.stdout).toContain('0 failed');
    expect(fromClientCredentials.run.status).toBe(0);
  });

  it('requests the Graph default scope once', () => {
    const scopes = fromClientCredentials.standIn.tokenRequests.map((fields) => fields.scope);

    expect(scopes).toEqual([graphScope]);
  });

  it('sends the issued token to the provider', () => {
    const calls = fromClientCredentials.standIn.requests.filter((request) => request.method === 'POST');

    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((request) => request.authorization === 'other-token')).toEqual([]);
  });

  it('prints neither the client secret nor the token', () => {
    const output = fromClientCredentials.run.stdout + fromClientCredentials.run.stderr;

    expect(output).not.toContain(client.clientSecret);
    expect(output).not.toContain(token);
  });

  it('passes with a token from a client certificate', () => {
    expect(fromCertificate.run.stdout).toContain('Token: client credentials (AZURE_CLIENT_CERTIFICATE_PATH)');
    expect(fromCertificate.run.stdout).toContain('0 failed');
    expect(fromCertificate.run.status).toBe(0);
  });

  it('reports a token endpoint error', () => {
    expect(tokenEndpointError.run.stderr).toContain(`error credentials.token-endpoint: Requesting a token from ${tokenEndpointError.standIn.origin}/${standInTenantId}/oauth2/v2.0/token`);
    expect(tokenEndpointError.run.stderr).toContain('AADSTS7000215');
    expect(tokenEndpointError.run.stderr).not.toContain(wrongSecret);
    expect(tokenEndpointError.run.status).toBe(3);
  });

  it('sends nothing to the provider without a token', () => {
    expect(tokenEndpointError.standIn.requests).toEqual([]);
  });

  it('reports a rejected token apart', () => {
    expect(tokenRejected.run.stdout).toContain('Not a contract failure: the credentials were rejected during set-up.');
    expect(tokenRejected.run.stdout).toContain('error credentials.rejected');
    expect(tokenRejected.run.stdout).toContain('0 failed');
    expect(tokenRejected.run.status).toBe(3);
  });

  it('reports a denied permission', () => {
    expect(permissionDenied.run.stdout).toContain('error credentials.forbidden');
    expect(permissionDenied.run.stdout).toContain('DeviceManagementScripts.ReadWrite.All');
    expect(permissionDenied.run.status).toBe(3);
  });

  it('rejects a host that was not allowed', () => {
    expect(hostNotAllowed.stderr).toContain('error provider.host-not-allowed: PROVIDER_BASE_URL https://graph.example.com points at graph.example.com');
    expect(hostNotAllowed.stderr).toContain('--allow-host graph.example.com');
    expect(hostNotAllowed.status).toBe(2);
  });
});

describe('dry run', () => {
  it('prints the calls a run would make', () => {
    const base = dryRun.standIn.graphBaseUrl;

    expect(dryRun.run.stdout).toContain(`POST ${dryRun.standIn.origin}/${standInTenantId}/oauth2/v2.0/token`);
    expect(dryRun.run.stdout).toContain(`HEAD ${base}`);
    expect(dryRun.run.stdout).toContain(`set-up     POST ${base}/deviceManagement/deviceHealthScripts`);
    expect(dryRun.run.stdout).toContain(`verified   POST ${base}/deviceManagement/deviceHealthScripts/{scriptId}/runSummary`);
    expect(dryRun.run.stdout).toContain(`tear-down  DELETE ${base}/deviceManagement/deviceHealthScripts/{scriptId}`);
    expect(dryRun.run.status).toBe(0);
  });

  it('makes no call', () => {
    expect(dryRun.standIn.requests).toEqual([]);
    expect(dryRun.standIn.tokenRequests).toEqual([]);
  });
});
