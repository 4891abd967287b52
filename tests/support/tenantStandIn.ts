// A stand-in for a Microsoft Graph tenant, for tests only: real tenants
// cannot be reached from here. It serves HTTPS on loopback with a
// certificate from a CA generated per stand-in, so the CLI under test checks
// TLS the way it would against Graph. The reference provider behind it
// serves Graph's paths. The stand-in adds the token endpoint, the check of
// the issued token, and the faults a test requests.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { constants, createPublicKey, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type ReferenceProviderOptions, startReferenceProvider } from '../../contracts/provider/referenceProvider';
import type { EndpointContract } from '../../contracts/spec/endpoint';

export const graphBasePath = '/beta';
export const standInTenantId = 'contoso-stand-in-tenant';

/** Client credentials the stand-in's token endpoint accepts: the secret, or a client assertion signed with the certificate's key. */
export interface StandInClient {
  clientId: string;
  clientSecret: string;
  /** PEM certificate whose public key must verify a client assertion. */
  certificatePem?: string;
}

export interface TenantStandInOptions {
  endpoint: EndpointContract;
  /** The only bearer token the Graph paths accept; the token endpoint issues it. */
  acceptedToken: string;
  client?: StandInClient;
  /** Status returned to every POST …/deviceHealthScripts instead of creating a script. */
  createStatus?: number;
  /** Status returned to every DELETE instead of deleting. */
  deleteStatus?: number;
  /** Never responds to runSummary calls until the stand-in closes; `runSummaryHeld` resolves at the first one. */
  holdRunSummary?: boolean;
  /** Responds to the first `times` runSummary calls with this status, without Retry-After. */
  throttleRunSummary?: { status: 429 | 503; times: number };
  transformRunSummaryAnswer?: ReferenceProviderOptions['transformRunSummaryAnswer'];
}

/** One request the stand-in received. `authorization` is the token it carried. */
export interface StandInRequest {
  method: string;
  path: string;
  authorization: 'accepted-token' | 'other-token' | 'none';
}

export interface RunningTenantStandIn {
  origin: string;
  /** Service root for --provider-base-url, such as https://127.0.0.1:41234/beta. */
  graphBaseUrl: string;
  /** PEM file of the stand-in's CA, for NODE_EXTRA_CA_CERTS. */
  caPath: string;
  requests: StandInRequest[];
  /** Form fields of each token request, secrets included: the tests compare them. */
  tokenRequests: Record<string, string>[];
  /** Resolves when the first held runSummary call arrives. */
  runSummaryHeld: Promise<void>;
  scriptIds(): string[];
  close(): Promise<void>;
}

interface Certificates {
  directory: string;
  caPath: string;
  key: string;
  cert: string;
}

/** Generates a CA and a server certificate for 127.0.0.1 and localhost with the machine's openssl. */
function generateCertificates(): Certificates {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'tenant-stand-in-'));
  const file = (name: string): string => path.join(directory, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  openssl('req', '-x509', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=contract-test tenant stand-in CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '2',
    '-extfile', file('server.ext'));

  return { directory, caPath: file('ca.pem'), key: readFileSync(file('server.key'), 'utf8'), cert: readFileSync(file('server.pem'), 'utf8') };
}

/**
 * Generates an app's client certificate (RSA, self-signed) into `directory`;
 * returns the PEM file with key and certificate, for
 * AZURE_CLIENT_CERTIFICATE_PATH, and the certificate alone, for the stand-in.
 */
export function generateClientCertificate(directory: string): { pemPath: string; certificatePem: string } {
  const keyPath = path.join(directory, 'app.key');
  const certificatePath = path.join(directory, 'app.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certificatePath, '-days', '2', '-subj', '/CN=contract-test stand-in app'], { stdio: 'pipe' });
  const certificatePem = readFileSync(certificatePath, 'utf8');
  const pemPath = path.join(directory, 'app.pem');
  writeFileSync(pemPath, readFileSync(keyPath, 'utf8') + certificatePem);
  return { pemPath, certificatePem };
}

/** Starts the stand-in on an ephemeral loopback port. */
export async function startTenantStandIn(options: TenantStandInOptions): Promise<RunningTenantStandIn> {
  const certificates = generateCertificates();
  const provider = await startReferenceProvider({
    endpoint: options.endpoint,
    basePath: graphBasePath,
    transformRunSummaryAnswer: options.transformRunSummaryAnswer,
  });
  const providerUrl = new URL(provider.baseUrl);
  const requests: StandInRequest[] = [];
  const tokenRequests: Record<string, string>[] = [];
  let throttled = 0;
  let markHeld: () => void = () => undefined;
  const runSummaryHeld = new Promise<void>((resolve) => {
    markHeld = resolve;
  });

  const server = https.createServer({ key: certificates.key, cert: certificates.cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? '/', origin);
      if (url.pathname.startsWith(`/${standInTenantId}/`)) {
        answerTokenService(url.pathname, body.toString('utf8'), response);
        return;
      }
      answerGraph(request, url.pathname, body, response);
    });
  });

  function answerTokenService(pathname: string, form: string, response: http.ServerResponse): void {
    const tenantRoot = `${origin}/${standInTenantId}`;
    if (pathname.endsWith('/v2.0/.well-known/openid-configuration')) {
      sendJson(response, 200, {
        issuer: `${tenantRoot}/v2.0`,
        authorization_endpoint: `${tenantRoot}/oauth2/v2.0/authorize`,
        token_endpoint: `${tenantRoot}/oauth2/v2.0/token`,
        end_session_endpoint: `${tenantRoot}/oauth2/v2.0/logout`,
        jwks_uri: `${tenantRoot}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      });
      return;
    }
    if (pathname.endsWith('/oauth2/v2.0/token')) {
      const fields = Object.fromEntries(new URLSearchParams(form));
      tokenRequests.push(fields);
      const client = options.client;
      const proof = client && (fields.client_secret === client.clientSecret || (client.certificatePem !== undefined && assertionIsSigned(fields.client_assertion, client.certificatePem)));
      const accepted = client && fields.grant_type === 'client_credentials' && fields.client_id === client.clientId && proof;
      if (!accepted) {
        sendJson(response, 401, {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: ${randomUUID()}`,
          error_codes: [7000215],
        });
        return;
      }
      sendJson(response, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: options.acceptedToken });
      return;
    }
    sendJson(response, 404, { error: 'not_found' });
  }

  function answerGraph(request: http.IncomingMessage, pathname: string, body: Buffer, response: http.ServerResponse): void {
    const header = request.headers.authorization;
    let authorization: StandInRequest['authorization'] = 'other-token';
    if (header === undefined) {
      authorization = 'none';
    } else if (header === `Bearer ${options.acceptedToken}`) {
      authorization = 'accepted-token';
    }
    const method = request.method ?? 'GET';
    requests.push({ method, path: pathname, authorization });

    const collection = `${graphBasePath}/deviceManagement/deviceHealthScripts`;
    const isRunSummary = pathname.startsWith(`${collection}/`) && pathname.endsWith('/runSummary');
    if (pathname.startsWith(`${graphBasePath}/deviceManagement/`) && authorization === 'other-token') {
      sendJson(response, 401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } });
      return;
    }
    if (options.createStatus !== undefined && method === 'POST' && pathname === collection) {
      sendJson(response, options.createStatus, { error: { code: 'Forbidden', message: 'Application is not authorized to perform this operation.' } });
      return;
    }
    if (options.deleteStatus !== undefined && method === 'DELETE') {
      sendJson(response, options.deleteStatus, { error: { code: 'InternalServerError', message: 'The stand-in was told to fail deletions.' } });
      return;
    }
    if (isRunSummary && options.holdRunSummary) {
      // The response stays open until close() destroys the connection.
      markHeld();
      return;
    }
    if (isRunSummary && options.throttleRunSummary && throttled < options.throttleRunSummary.times) {
      throttled += 1;
      sendJson(response, options.throttleRunSummary.status, { error: { code: 'TooManyRequests', message: 'The stand-in throttles this call.' } });
      return;
    }
    forwardToProvider(request, body, response);
  }

  function forwardToProvider(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): void {
    const forwarded = http.request(
      { hostname: providerUrl.hostname, port: providerUrl.port, method: request.method, path: request.url, headers: { ...request.headers, host: providerUrl.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => sendJson(response, 502, { error: { code: 'BadGateway', message: 'The reference provider behind the stand-in failed.' } }));
    forwarded.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;

  return {
    origin,
    graphBaseUrl: `${origin}${graphBasePath}`,
    caPath: certificates.caPath,
    requests,
    tokenRequests,
    runSummaryHeld,
    scriptIds: () => provider.scriptIds(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.close();
      rmSync(certificates.directory, { recursive: true, force: true });
    },
  };
}

/** Checks the signature of a JWT client assertion (RS256 or PS256) against the certificate; claims are not checked. */
function assertionIsSigned(assertion: string | undefined, certificatePem: string): boolean {
  const [header, payload, signature] = (assertion ?? '').split('.');
  if (!header || !payload || !signature) {
    return false;
  }
  const algorithm = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string }).alg;
  const key = createPublicKey(certificatePem);
  const signed = Buffer.from(`${header}.${payload}`);
  const bytes = Buffer.from(signature, 'base64url');
  if (algorithm === 'PS256') {
    return verify('sha256', signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, bytes);
  }
  return algorithm === 'RS256' && verify('sha256', signed, key, bytes);
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** What a finished CLI run printed and how it ended. */
export interface CliRun {
  /** Exit status as a shell reports it: the code, or 128 + the signal number when a signal ended the process. */
  status: number;
  stdout: string;
  stderr: string;
}

// Variables of the developer's shell that would change what the CLI does.
const inheritedSettings = /^(GRAPH_ACCESS_TOKEN|PROVIDER_BASE_URL|AZURE_.*|PACT_BROKER_.*|NODE_EXTRA_CA_CERTS)$/;

/**
 * Starts the verify command the way `npm run verify` does, through the
 * launcher with tsx's import hook, in its own process group, as a terminal
 * would run it, so a test can send SIGINT to the whole group the way Ctrl-C
 * does: `process.kill(-child.pid, 'SIGINT')`.
 */
export function startVerifyCli(args: string[], environment: Record<string, string>): { child: ChildProcess; finished: Promise<CliRun> } {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !inheritedSettings.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'contracts/cli/run.ts', 'verify', ...args], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...inherited, PACT_DO_NOT_TRACK: 'true', ...environment },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const finished = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ status: code ?? 128 + (signal ? os.constants.signals[signal] : 0), stdout, stderr });
    });
  });
  return { child, finished };
}

/** Runs the CLI to its end; see startVerifyCli. */
export function runVerifyCli(args: string[], environment: Record<string, string>): Promise<CliRun> {
  return startVerifyCli(args, environment).finished;
}
