// The parts of a deployed run that need no TLS, tested in-process against
// plain HTTP servers on loopback: retries of set-up calls, the host policy,
// the token source read from the environment, and fixture clean-up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SuiteError } from '../contracts/errors';
import { ProviderStates } from '../contracts/consumer/interactions';
import { readTokenSource } from '../contracts/verification/credentials';
import { graphStateHandlers } from '../contracts/verification/providerStates';
import { type SetupHttpOptions, assertHostAllowed, isLoopbackHost, retryDelay, sendSetupRequest } from '../contracts/verification/setupHttp';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

const servers: http.Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

const quickRetries: SetupHttpOptions = { timeoutMs: 5_000, maxAttempts: 3, defaultRetryDelayMs: 10, maxRetryDelayMs: 50 };

function answer(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

describe('sendSetupRequest', () => {
  it('retries 429 after Retry-After and returns the next answer', async () => {
    let calls = 0;
    const retries: string[] = [];
    const base = await serve((_request, response) => {
      calls += 1;
      if (calls === 1) {
        answer(response, 429, {}, { 'retry-after': '0' });
      } else {
        answer(response, 201, { id: 'script-1' });
      }
    });

    const result = await sendSetupRequest('POST', `${base}/scripts`, { ...quickRetries, onRetry: (message) => retries.push(message) }, {});

    expect(result.status).toBe(201);
    expect(calls).toBe(2);
    expect(retries).toEqual([`POST ${base}/scripts answered 429; retrying in 0.0 s (attempt 2 of 3)`]);
  });

  it('stops after the last attempt when 503 keeps coming', async () => {
    let calls = 0;
    const base = await serve((_request, response) => {
      calls += 1;
      answer(response, 503, {});
    });

    const result = await sendSetupRequest('GET', `${base}/scripts/1`, quickRetries);

    expect(result.status).toBe(503);
    expect(calls).toBe(3);
  });

  it('makes no further attempt once the signal aborts', async () => {
    let calls = 0;
    const base = await serve((_request, response) => {
      calls += 1;
      answer(response, 503, {});
    });

    const result = await sendSetupRequest('GET', `${base}/scripts/1`, { ...quickRetries, signal: AbortSignal.abort() });

    expect(result.status).toBe(503);
    expect(calls).toBe(1);
  });

  it('reports a call without an answer as a timeout', async () => {
    const base = await serve(() => undefined);

    const failure = await sendSetupRequest('GET', `${base}/scripts/1`, { ...quickRetries, timeoutMs: 200 }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SuiteError);
    expect((failure as SuiteError).code).toBe('provider.timeout');
    expect((failure as SuiteError).message).toBe(`GET ${base}/scripts/1 timed out after 200 ms`);
  });
});

describe('retryDelay', () => {
  const bounds = { defaultRetryDelayMs: 2_000, maxRetryDelayMs: 60_000 };

  it.each([
    ['seconds', '3', 3_000],
    ['a missing header', null, 2_000],
    ['an empty header', '', 2_000],
    ['an unreadable value', 'soon', 2_000],
    ['a value above the bound', '3600', 60_000],
    ['a date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT', 0],
  ])('waits the right time for %s', (_case, header, expected) => {
    expect(retryDelay(header, bounds)).toBe(expected);
  });
});

describe('host policy', () => {
  it.each(['localhost', '127.0.0.1', '127.8.9.10', '[::1]'])('accepts loopback host %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['graph.microsoft.com', '10.0.0.1', '127.0.0.1.example.com', 'localhost.example.com'])('treats %s as remote', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('accepts a remote host given with --allow-host', () => {
    expect(() => assertHostAllowed(new URL('https://Graph.Microsoft.com/beta'), ['graph.microsoft.com'], '--provider-base-url')).not.toThrow();
  });

  it('rejects a remote host that was not allowed', () => {
    const check = (): void => assertHostAllowed(new URL('https://graph.microsoft.com/beta'), ['graph.example.com'], '--provider-base-url');

    expect(check).toThrow('--provider-base-url https://graph.microsoft.com points at graph.microsoft.com, which is not a loopback host and was not given with --allow-host');
  });
});

describe('readTokenSource', () => {
  it('prefers GRAPH_ACCESS_TOKEN over client credentials', () => {
    const source = readTokenSource({ GRAPH_ACCESS_TOKEN: 'token-value-1234', AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' });

    expect(source.kind).toBe('access-token');
  });

  it('reads client credentials with the default authority', () => {
    const source = readTokenSource({ AZURE_TENANT_ID: 'tenant-1', AZURE_CLIENT_ID: 'app-1', AZURE_CLIENT_SECRET: 'secret-1' });

    expect(source).toEqual({
      kind: 'client-secret',
      tenantId: 'tenant-1',
      clientId: 'app-1',
      authorityHost: 'https://login.microsoftonline.com',
      tokenEndpoint: 'https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token',
    });
  });

  it('returns none when no variable is set', () => {
    expect(readTokenSource({}).kind).toBe('none');
  });

  it('names the missing variables of incomplete client credentials', () => {
    expect(() => readTokenSource({ AZURE_CLIENT_ID: 'app-1', AZURE_CLIENT_SECRET: 'secret-1' })).toThrow('Client credentials are incomplete: AZURE_TENANT_ID is missing');
  });

  it('rejects an authority host without https', () => {
    expect(() => readTokenSource({ AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's', AZURE_AUTHORITY_HOST: 'http://127.0.0.1:9' })).toThrow(
      'AZURE_AUTHORITY_HOST http://127.0.0.1:9 does not use https',
    );
  });

  it('rejects a certificate path that does not exist', () => {
    expect(() => readTokenSource({ AZURE_TENANT_ID: 't', AZURE_CLIENT_ID: 'c', AZURE_CLIENT_CERTIFICATE_PATH: '/nonexistent/app.pem' })).toThrow(
      'AZURE_CLIENT_CERTIFICATE_PATH names /nonexistent/app.pem, which does not exist',
    );
  });
});

describe('graphStateHandlers clean-up', () => {
  const stateOptions = (baseUrl: string): Parameters<typeof graphStateHandlers>[0] => ({ ...quickRetries, baseUrl, runId: 'test-run', token: 'token-value-1234' });

  it('waits for a set-up still running and deletes its fixture', async () => {
    const existing = new Set<string>();
    const base = await serve((request, response) => {
      if (request.method === 'POST') {
        existing.add('script-1');
        answer(response, 201, { id: 'script-1' });
      } else {
        existing.delete('script-1');
        response.writeHead(204).end();
      }
    });
    const handlers = graphStateHandlers(stateOptions(base));

    const setup = handlers.setup(ProviderStates.scriptExists, {});
    const left = await handlers.cleanUp();

    await expect(setup).resolves.toEqual({ scriptId: 'script-1' });
    expect(left).toEqual([]);
    expect([...existing]).toEqual([]);
  });

  it('lists a fixture whose deletion failed', async () => {
    const base = await serve((request, response) => {
      if (request.method === 'POST') {
        answer(response, 201, { id: 'script-2' });
      } else {
        answer(response, 500, {});
      }
    });
    const handlers = graphStateHandlers(stateOptions(base));

    await handlers.setup(ProviderStates.scriptExists, {});
    const left = await handlers.cleanUp();

    expect(left).toHaveLength(1);
    expect(left[0]?.scriptId).toBe('script-2');
    expect(left[0]?.displayName).toBe('contract-test fixture test-run #1');
    expect(left[0]?.problem).toBe(`DELETE ${base}/deviceManagement/deviceHealthScripts/script-2 answered 500`);
  });

  it('lists a fixture whose creation got no answer', async () => {
    const base = await serve(() => undefined);
    const handlers = graphStateHandlers({ ...stateOptions(base), timeoutMs: 200 });

    const setup = await handlers.setup(ProviderStates.scriptExists, {}).catch((error: unknown) => error);
    const left = await handlers.cleanUp();

    expect((setup as SuiteError).code).toBe('provider.timeout');
    expect(left).toHaveLength(1);
    expect(left[0]?.scriptId).toBe('');
    expect(left[0]?.problem).toContain('the script may exist');
  });
});
