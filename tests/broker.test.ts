// Pact Broker wiring, tested against a STAND-IN broker: no broker server can
// run on these machines, so a loopback HTTP server below serves the few
// calls that Pact's official tools make (pact-broker publish and
// can-i-deploy from @pact-foundation/pact-cli, and pact-js's Verifier) with
// minimal HAL documents, and records every request. The tests check what the
// tools sent: versions, branch, selectors, pending and WIP settings, and the
// published verification result. The stand-in checks no auth and keeps no
// state; a real broker's answers are richer.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type BrokerSource, brokerSourceFromEnvironment, brokerVerifierOptions } from '../contracts/broker/brokerSource';
import { main as canIDeployMain } from '../contracts/broker/canIDeploy';
import { readGitVersion } from '../contracts/broker/gitVersion';
import { main as publishMain } from '../contracts/broker/publishPacts';
import { consumerName, providerName } from '../contracts/consumer/interactions';
import { SuiteError } from '../contracts/errors';
import { type ProviderAnswer, startReferenceProvider } from '../contracts/provider/referenceProvider';
import { buildSummary } from '../contracts/reports/summaryReport';
import { type VerificationReport, verifyPact } from '../contracts/verification/verifyPact';
import { committedEndpoint } from './support/endpoint';

interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
  body: string;
}

interface StandInBroker {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const repositoryRoot = path.join(__dirname, '..');
const pactPath = path.join(repositoryRoot, 'pacts', `${consumerName}-${providerName}.json`);
const brokerToken = 'stand-in-broker-token-0123456789';
const pactVersionPath = `/pacts/provider/${providerName}/consumer/${consumerName}/pact-version/0f1e2d3c`;

/** Starts the stand-in broker on an ephemeral loopback port. */
async function startStandInBroker(behaviour: { pending?: boolean; deployable?: boolean } = {}): Promise<StandInBroker> {
  const pact = JSON.parse(readFileSync(pactPath, 'utf8')) as Record<string, unknown>;
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      requests.push({ method: request.method ?? '', path: url.pathname, query: url.searchParams, authorization: request.headers.authorization, body });
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const send = (status: number, value: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/hal+json' });
        response.end(JSON.stringify(value));
      };
      const route = `${request.method ?? ''} ${url.pathname}`;

      if (route === 'GET /') {
        send(200, {
          _links: {
            'pb:publish-contracts': { href: `${base}/contracts/publish` },
            'pb:provider-pacts-for-verification': { href: `${base}/pacts/provider/{provider}/for-verification`, templated: true },
          },
        });
      } else if (route === `GET /pacts/provider/${providerName}/for-verification`) {
        send(200, { _links: { self: { href: `${base}${url.pathname}` } } });
      } else if (route === `POST /pacts/provider/${providerName}/for-verification`) {
        send(200, {
          _embedded: {
            pacts: [{ shortDescription: 'latest from main', verificationProperties: { pending: behaviour.pending ?? false, notices: [] }, _links: { self: { href: `${base}${pactVersionPath}`, name: 'pact' } } }],
          },
        });
      } else if (route === `GET ${pactVersionPath}`) {
        send(200, { ...pact, _links: { 'pb:provider': { href: `${base}/pacticipants/${providerName}` }, 'pb:publish-verification-results': { href: `${base}${pactVersionPath}/verification-results` } } });
      } else if (route === `GET /pacticipants/${providerName}`) {
        send(200, { name: providerName, _links: { 'pb:branch-version': { href: `${base}/pacticipants/${providerName}/branches/{branch}/versions/{version}`, templated: true } } });
      } else if (request.method === 'PUT' && url.pathname.startsWith(`/pacticipants/${providerName}/branches/`)) {
        send(200, { _links: {} });
      } else if (route === `POST ${pactVersionPath}/verification-results`) {
        send(201, { _links: {} });
      } else if (route === 'POST /contracts/publish') {
        send(200, { notices: [{ type: 'success', text: 'stand-in stored the pact' }], _links: {} });
      } else if (route === 'GET /matrix') {
        const deployable = behaviour.deployable ?? true;
        send(200, { summary: { deployable, reason: deployable ? 'all verified (stand-in)' : 'missing verification (stand-in)', success: deployable ? 1 : 0, failed: deployable ? 0 : 1, unknown: 0 }, matrix: [], notices: [] });
      } else {
        send(404, { error: `the stand-in broker has no route for ${route}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function captureConsole(run: () => Promise<number>): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void lines.push(text));
  const error = jest.spyOn(console, 'error').mockImplementation((text: string) => void lines.push(text));
  try {
    const code = await run();
    return { code, output: lines.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function find(requests: RecordedRequest[], method: string, pathEnd: string): RecordedRequest | undefined {
  return requests.find((request) => request.method === method && request.path.endsWith(pathEnd));
}

async function verifyFromBroker(broker: StandInBroker, source: Partial<BrokerSource>, transform?: (answer: ProviderAnswer) => ProviderAnswer): Promise<VerificationReport> {
  const provider = await startReferenceProvider({ endpoint: await committedEndpoint(), transformRunSummaryAnswer: transform });
  try {
    return await verifyPact({ providerBaseUrl: provider.baseUrl, broker: { pactBrokerUrl: broker.url, token: brokerToken, ...source } });
  } finally {
    await provider.close();
  }
}

let broker: StandInBroker;

afterEach(async () => {
  await broker?.close();
});

describe('pact publication', () => {
  it('uses the git SHA and branch as consumer version', async () => {
    broker = await startStandInBroker();
    const headSha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repositoryRoot, encoding: 'utf8' }).trim();
    const environment = { PATH: process.env.PATH, PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: brokerToken, GIT_BRANCH: 'feature/run-summary-v2' };

    const { code, output } = await captureConsole(() => publishMain(['--pact-files', pactPath], environment));
    const publish = find(broker.requests, 'POST', '/contracts/publish');
    const body = JSON.parse(publish?.body ?? '{}') as { pacticipantName: string; pacticipantVersionNumber: string; branch: string; contracts: { consumerName: string; providerName: string; content: string }[] };

    expect(code).toBe(0);
    expect(body.pacticipantName).toBe(consumerName);
    expect(body.pacticipantVersionNumber).toBe(headSha);
    expect(body.branch).toBe('feature/run-summary-v2');
    expect(body.contracts[0]?.providerName).toBe(providerName);
    const published = JSON.parse(Buffer.from(body.contracts[0]?.content ?? '', 'base64').toString('utf8')) as { interactions: unknown[] };
    expect(published.interactions).toEqual((JSON.parse(readFileSync(pactPath, 'utf8')) as { interactions: unknown[] }).interactions);
    expect(publish?.authorization).toBe(`Bearer ${brokerToken}`);
    expect(output).not.toContain(brokerToken);
  });

  it('prefers the CI commit over git', () => {
    const version = readGitVersion({ GITHUB_SHA: 'c0ffee0000000000000000000000000000000000', GITHUB_HEAD_REF: 'pr-branch', GITHUB_REF_NAME: '17/merge' }, repositoryRoot);

    expect(version.sha).toBe('c0ffee0000000000000000000000000000000000');
    expect(version.branch).toBe('pr-branch');
  });

  it('rejects a broker URL with credentials in it', async () => {
    const environment = { PACT_BROKER_BASE_URL: 'https://user:secret@broker.invalid', GIT_COMMIT: 'abc', GIT_BRANCH: 'main' };

    const { code, output } = await captureConsole(() => publishMain([], environment));

    expect(code).toBe(2);
    expect(output).toContain('broker.url.invalid');
    expect(output).not.toContain('secret');
  });
});

describe('verification from a broker', () => {
  it('sends the selectors, pending and WIP settings', async () => {
    broker = await startStandInBroker();

    const report = await verifyFromBroker(broker, { includeWipPactsSince: '2026-11-01', providerVersionBranch: 'main', providerVersion: 'a1b2c3d' });
    const forVerification = JSON.parse(find(broker.requests, 'POST', '/for-verification')?.body ?? '{}') as Record<string, unknown>;

    expect(report.passed).toBe(true);
    expect(report.interactions).toHaveLength((JSON.parse(readFileSync(pactPath, 'utf8')) as { interactions: unknown[] }).interactions.length);
    expect(forVerification.consumerVersionSelectors).toEqual([{ mainBranch: true }, { deployedOrReleased: true }]);
    expect(forVerification.includePendingStatus).toBe(true);
    expect(forVerification.includeWipPactsSince).toBe('2026-11-01');
    expect(forVerification.providerVersionBranch).toBe('main');
    expect(find(broker.requests, 'POST', '/verification-results')).toBeUndefined();
  });

  it('publishes the result with provider version and branch', async () => {
    broker = await startStandInBroker();

    const report = await verifyFromBroker(broker, { publishVerificationResult: true, providerVersion: 'a1b2c3d', providerVersionBranch: 'release/2026-12' });
    const published = JSON.parse(find(broker.requests, 'POST', '/verification-results')?.body ?? '{}') as { success: boolean; providerApplicationVersion: string };

    expect(report.passed).toBe(true);
    expect(published.success).toBe(true);
    expect(published.providerApplicationVersion).toBe('a1b2c3d');
    expect(find(broker.requests, 'PUT', '/branches/release%2F2026-12/versions/a1b2c3d') ?? find(broker.requests, 'PUT', '/branches/release/2026-12/versions/a1b2c3d')).toBeDefined();
    expect(report.verifierOutput).not.toContain(brokerToken);
  });

  it('keeps a pending pact from failing the run', async () => {
    broker = await startStandInBroker({ pending: true });

    const report = await verifyFromBroker(broker, { publishVerificationResult: true, providerVersion: 'a1b2c3d' }, (answer) => (answer.status === 201 ? { ...answer, status: 200 } : answer));
    const failing = report.interactions.find((result) => !result.passed);
    const published = JSON.parse(find(broker.requests, 'POST', '/verification-results')?.body ?? '{}') as { success: boolean };

    expect(failing?.pending).toBe(true);
    expect(failing?.findings.map((finding) => finding.code)).toContain('pact.status.mismatch');
    expect(report.passed).toBe(true);
    expect(buildSummary(report).counts.pending).toBe(1);
    expect(published.success).toBe(false);
  });

  it('fails a provider that breaks a pact that is not pending', async () => {
    broker = await startStandInBroker({ pending: false });

    const report = await verifyFromBroker(broker, {}, (answer) => (answer.status === 201 ? { ...answer, status: 200 } : answer));

    expect(report.passed).toBe(false);
    expect(report.interactions.filter((result) => result.pending === true)).toEqual([]);
  });

  it('needs a provider version to publish', () => {
    let failure: unknown;
    try {
      brokerVerifierOptions({ pactBrokerUrl: 'http://127.0.0.1:9', publishVerificationResult: true });
    } catch (error) {
      failure = error;
    }

    expect(failure).toBeInstanceOf(SuiteError);
    expect((failure as SuiteError).code).toBe('broker.version-missing');
  });
});

describe('broker settings from the environment', () => {
  it('reads selectors and flags', () => {
    const source = brokerSourceFromEnvironment(
      { PACT_BROKER_BASE_URL: 'https://broker.invalid', PACT_CONSUMER_VERSION_SELECTORS: '[{"matchingBranch":true}]', PACT_PUBLISH_VERIFICATION_RESULTS: 'true', PACT_PROVIDER_VERSION: 'v9', PACT_PROVIDER_BRANCH: 'main' },
      repositoryRoot,
    );

    expect(source?.consumerVersionSelectors).toEqual([{ matchingBranch: true }]);
    expect(source?.publishVerificationResult).toBe(true);
    expect(source?.enablePending).toBe(true);
    expect(source?.providerVersion).toBe('v9');
    expect(source?.providerVersionBranch).toBe('main');
  });

  it('returns undefined without a broker URL', () => {
    expect(brokerSourceFromEnvironment({}, repositoryRoot)).toBeUndefined();
  });

  it('names a flag that is not true or false', () => {
    expect(() => brokerSourceFromEnvironment({ PACT_BROKER_BASE_URL: 'https://broker.invalid', PACT_ENABLE_PENDING: 'yes' }, repositoryRoot)).toThrow('PACT_ENABLE_PENDING must be true or false, not "yes"');
  });

  it('names selectors that are not a JSON array', () => {
    expect(() => brokerSourceFromEnvironment({ PACT_BROKER_BASE_URL: 'https://broker.invalid', PACT_CONSUMER_VERSION_SELECTORS: '{"mainBranch":true}' }, repositoryRoot)).toThrow('PACT_CONSUMER_VERSION_SELECTORS must be a non-empty JSON array');
  });
});

describe('can-i-deploy', () => {
  it('exits 0 when the broker says deployable', async () => {
    broker = await startStandInBroker({ deployable: true });

    const { code } = await captureConsole(() => canIDeployMain(['--to-environment', 'production', '--version', 'a1b2c3d'], { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: brokerToken }));
    const matrix = find(broker.requests, 'GET', '/matrix');

    expect(code).toBe(0);
    expect(matrix?.query.get('q[][pacticipant]')).toBe(providerName);
    expect(matrix?.query.get('q[][version]')).toBe('a1b2c3d');
    expect(matrix?.query.get('environment')).toBe('production');
  });

  it('exits 1 when the broker says not deployable', async () => {
    broker = await startStandInBroker({ deployable: false });

    const { code, output } = await captureConsole(() => canIDeployMain(['--to-environment', 'production', '--version', 'a1b2c3d'], { PACT_BROKER_BASE_URL: broker.url }));

    expect(code).toBe(1);
    expect(output).toContain('Computer says no');
  });

  it('asks for the target environment', async () => {
    const { code, output } = await captureConsole(() => canIDeployMain(['--version', 'a1b2c3d'], { PACT_BROKER_BASE_URL: 'http://127.0.0.1:9' }));

    expect(code).toBe(2);
    expect(output).toContain('--to-environment is missing');
  });
});
