// The embedded reference provider must honour the OpenAPI the way Graph
// does, or verifying against it proves nothing. The typed client is the
// consumer here, so both sides are exercised over real loopback HTTP.
import { GraphApiError, RunSummaryClient, UnexpectedResponseError } from '../contracts/consumer/client';
import { type ReferenceProviderOptions, type RunningProvider, startReferenceProvider } from '../contracts/provider/referenceProvider';
import { committedEndpoint } from './support/endpoint';
import { validSummary } from './support/summaries';

const token = 'reference-provider-test-token';

let provider: RunningProvider;

async function startWith(options: Partial<ReferenceProviderOptions> = {}): Promise<RunningProvider> {
  return startReferenceProvider({ endpoint: await committedEndpoint(), basePath: '/beta', ...options });
}

async function createScript(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/deviceManagement/deviceHealthScripts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ displayName: 'reference provider test' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

function client(baseUrl: string, withToken = true): RunSummaryClient {
  return new RunSummaryClient({ baseUrl, getToken: () => (withToken ? token : undefined) });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  provider = await startWith();
});

afterAll(async () => {
  await provider.close();
});

describe('reference provider', () => {
  it('creates a run summary under the script id', async () => {
    const scriptId = await createScript(provider.baseUrl);

    const created = await client(provider.baseUrl).createRunSummary(scriptId, validSummary);

    expect(created.id).toBe(scriptId);
    expect(created.issueDetectedDeviceCount).toBe(187);
    expect(created.lastScriptRunDateTime).toBe('2026-11-30T08:15:42.1234567Z');
  });

  it('accepts a null lastScriptRunDateTime', async () => {
    const scriptId = await createScript(provider.baseUrl);

    const created = await client(provider.baseUrl).createRunSummary(scriptId, { ...validSummary, lastScriptRunDateTime: null });

    expect(created.lastScriptRunDateTime).toBeNull();
  });

  it('answers 401 without a bearer token', async () => {
    const scriptId = await createScript(provider.baseUrl);

    const failure = await rejection(client(provider.baseUrl, false).createRunSummary(scriptId, validSummary));

    expect(failure).toBeInstanceOf(GraphApiError);
    expect((failure as GraphApiError).status).toBe(401);
    expect((failure as GraphApiError).code).toBe('InvalidAuthenticationToken');
  });

  it('answers 404 for an unknown script', async () => {
    const failure = await rejection(client(provider.baseUrl).createRunSummary('no-such-script', validSummary));

    expect(failure).toBeInstanceOf(GraphApiError);
    expect((failure as GraphApiError).status).toBe(404);
  });

  const invalidBodies: [string, Record<string, unknown>][] = [
    ['a count sent as a string', { ...validSummary, issueDetectedDeviceCount: 'Int32' }],
    ['a count above the Int32 maximum', { ...validSummary, issueDetectedDeviceCount: 2147483648 }],
    ['a fractional count', { ...validSummary, issueDetectedDeviceCount: 2.5 }],
    ['a null count', { ...validSummary, issueDetectedDeviceCount: null }],
    ['a missing required count', (({ remediationSkippedDeviceCount: _dropped, ...rest }) => rest)(validSummary)],
    ['an impossible date', { ...validSummary, lastScriptRunDateTime: '2026-13-45T99:00:00Z' }],
    ['a date without an offset', { ...validSummary, lastScriptRunDateTime: '2026-11-30T08:15:42' }],
    ['the read-only id', { ...validSummary, id: 'chosen-by-client' }],
    ['an unknown member', { ...validSummary, issueDetectedDeviceCuont: 4 }],
    ['a wrong @odata.type', { ...validSummary, '@odata.type': '#microsoft.graph.deviceHealthScript' }],
  ];

  it.each(invalidBodies)('answers 400 for %s', async (_name, body) => {
    const scriptId = await createScript(provider.baseUrl);

    const failure = await rejection(client(provider.baseUrl).createRunSummary(scriptId, body));

    expect(failure).toBeInstanceOf(GraphApiError);
    expect((failure as GraphApiError).status).toBe(400);
    expect((failure as GraphApiError).code).toBe('BadRequest');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const scriptId = await createScript(provider.baseUrl);

    const response = await fetch(`${provider.baseUrl}/deviceManagement/deviceHealthScripts/${scriptId}/runSummary`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${token}` },
      body: 'counts',
    });

    expect(response.status).toBe(415);
  });

  it('deletes a script and then answers 404 for it', async () => {
    const scriptId = await createScript(provider.baseUrl);
    const url = `${provider.baseUrl}/deviceManagement/deviceHealthScripts/${scriptId}`;

    const deleted = await fetch(url, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    const read = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });

    expect(deleted.status).toBe(204);
    expect(read.status).toBe(404);
    expect(provider.scriptIds()).not.toContain(scriptId);
  });

  it('keeps the base path of the service root', async () => {
    const outside = await fetch(provider.baseUrl.replace('/beta', '/v1.0') + '/deviceManagement/deviceHealthScripts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ displayName: 'outside' }),
    });

    expect(outside.status).toBe(404);
  });
});

describe('run summary client', () => {
  it('rejects a 201 without a value object', async () => {
    const unwrapped = await startWith({ transformRunSummaryAnswer: (answer) => ({ ...answer, body: { id: 'x' } }) });
    try {
      const scriptId = await createScript(unwrapped.baseUrl);

      const failure = await rejection(client(unwrapped.baseUrl).createRunSummary(scriptId, validSummary));

      expect(failure).toBeInstanceOf(UnexpectedResponseError);
      expect((failure as UnexpectedResponseError).message).toContain('value');
    } finally {
      await unwrapped.close();
    }
  });

  it('rejects an error answer that is not an OData error', async () => {
    const plain = await startWith({ transformRunSummaryAnswer: () => ({ status: 502, headers: { 'content-type': 'text/html' }, rawBody: '<h1>Bad gateway</h1>' }) });
    try {
      const failure = await rejection(client(plain.baseUrl).createRunSummary('any', validSummary));

      expect(failure).toBeInstanceOf(UnexpectedResponseError);
      expect((failure as UnexpectedResponseError).status).toBe(502);
    } finally {
      await plain.close();
    }
  });

  it('reads Retry-After from a throttled answer', async () => {
    const throttled = await startWith({
      transformRunSummaryAnswer: () => ({
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '30' },
        body: { error: { code: 'TooManyRequests', message: 'Slow down.' } },
      }),
    });
    try {
      const failure = await rejection(client(throttled.baseUrl).createRunSummary('any', validSummary));

      expect(failure).toBeInstanceOf(GraphApiError);
      expect((failure as GraphApiError).retryAfterSeconds).toBe(30);
    } finally {
      await throttled.close();
    }
  });
});
