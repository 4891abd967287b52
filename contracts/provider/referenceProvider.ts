import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EndpointContract } from '../spec/endpoint';
import { schemaErrors } from '../spec/schemaValidator';

/** The media type Graph sends on success, parameters included. */
export const graphJsonContentType =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** A request as the reference provider received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  scriptId: string;
}

/**
 * A response before it is written. `body` is serialised as JSON unless
 * `rawBody` is set, which lets a fault send text that is not JSON.
 */
export interface ProviderAnswer {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

export interface ReferenceProviderOptions {
  endpoint: EndpointContract;
  /** Path prefix the service root carries, such as `/beta`. Empty by default. */
  basePath?: string;
  /** Loopback port to listen on; 0, the default, picks a free one. */
  port?: number;
  /** Returns 401 to calls without a bearer token. On by default. */
  enforceAuth?: boolean;
  /** Returns 400 to run summaries that break the request schema. On by default. */
  validateRequestBody?: boolean;
  /** Returns 404 for a script id that does not exist. On by default. */
  checkScriptExists?: boolean;
  /**
   * Lets members the request schema does not declare through, while still
   * checking the declared ones. Off by default. The fault catalog turns it on
   * to model a provider that stores a member it does not know instead of
   * rejecting the request.
   */
  acceptUnknownRequestMembers?: boolean;
  /**
   * Rewrites every response of the run summary operation before it is sent.
   * The fault catalog uses it to turn the conforming provider into a faulty one.
   */
  transformRunSummaryAnswer?: (answer: ProviderAnswer, request: ReceivedRequest) => ProviderAnswer;
}

export interface RunningProvider {
  /** Service root to verify against, such as http://127.0.0.1:41234/beta. */
  baseUrl: string;
  /** Ids of the device health scripts that exist now. */
  scriptIds(): string[];
  close(): Promise<void>;
}

interface StoredScript {
  id: string;
  displayName: string;
  createdDateTime: string;
  runSummary?: Record<string, unknown>;
}

/**
 * Starts an in-memory implementation of the endpoint and of the parent
 * resource that provider states need (create, read and delete a device
 * health script), on a loopback port. It is a stand-in for Microsoft Graph,
 * which these machines cannot reach. It checks requests against
 * the OpenAPI the way Graph does, so a conforming consumer passes and a faulty
 * request gets Graph's error.
 */
export async function startReferenceProvider(options: ReferenceProviderOptions): Promise<RunningProvider> {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const scripts = new Map<string, StoredScript>();
  const settings = {
    enforceAuth: options.enforceAuth ?? true,
    validateRequestBody: options.validateRequestBody ?? true,
    checkScriptExists: options.checkScriptExists ?? true,
  };
  const requestSchema = options.acceptUnknownRequestMembers
    ? { ...options.endpoint.requestSchema, additionalProperties: true }
    : options.endpoint.requestSchema;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const origin = `http://${request.headers.host ?? '127.0.0.1'}`;
      const answer = route(request, Buffer.concat(chunks).toString('utf8'), origin);
      writeAnswer(response, answer, request.headers['client-request-id']);
    });
  });

  function route(request: http.IncomingMessage, text: string, origin: string): ProviderAnswer {
    const url = new URL(request.url ?? '/', origin);
    if (!url.pathname.startsWith(`${basePath}/`)) {
      return odataError(404, 'ResourceNotFound', `No resource at ${url.pathname}.`);
    }
    const relative = url.pathname.slice(basePath.length);
    const method = request.method ?? 'GET';
    const collection = '/deviceManagement/deviceHealthScripts';

    const runSummaryMatch = /^\/deviceManagement\/deviceHealthScripts\/([^/]+)\/runSummary$/.exec(relative);
    if (runSummaryMatch) {
      const scriptId = decodeURIComponent(runSummaryMatch[1]);
      const received: ReceivedRequest = { method, path: url.pathname, headers: request.headers, body: parseJson(text), scriptId };
      const answer = method === 'POST'
        ? createRunSummary(request, text, scriptId, `${origin}${basePath}`)
        : odataError(405, 'MethodNotAllowed', `${method} is not supported on runSummary by this provider.`);
      return options.transformRunSummaryAnswer ? options.transformRunSummaryAnswer(answer, received) : answer;
    }

    if (!hasBearerToken(request) && settings.enforceAuth) {
      return odataError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    if (relative === collection && method === 'POST') {
      return createScript(text);
    }
    const scriptMatch = /^\/deviceManagement\/deviceHealthScripts\/([^/]+)$/.exec(relative);
    if (scriptMatch) {
      const scriptId = decodeURIComponent(scriptMatch[1]);
      const script = scripts.get(scriptId);
      if (!script) {
        return odataError(404, 'ResourceNotFound', `No deviceHealthScript has the id '${scriptId}'.`);
      }
      if (method === 'GET') {
        return jsonAnswer(200, { id: script.id, displayName: script.displayName, createdDateTime: script.createdDateTime });
      }
      if (method === 'DELETE') {
        scripts.delete(scriptId);
        return { status: 204, headers: {} };
      }
    }
    return odataError(404, 'ResourceNotFound', `No resource for ${method} ${url.pathname}.`);
  }

  function createScript(text: string): ProviderAnswer {
    const body = parseJson(text) as { displayName?: unknown } | undefined;
    if (typeof body?.displayName !== 'string' || body.displayName.length === 0) {
      return odataError(400, 'BadRequest', 'A deviceHealthScript needs a displayName.');
    }
    const script: StoredScript = { id: randomUUID(), displayName: body.displayName, createdDateTime: new Date().toISOString() };
    scripts.set(script.id, script);
    return jsonAnswer(201, { id: script.id, displayName: script.displayName, createdDateTime: script.createdDateTime });
  }

  function createRunSummary(request: http.IncomingMessage, text: string, scriptId: string, serviceRoot: string): ProviderAnswer {
    if (settings.enforceAuth && !hasBearerToken(request)) {
      return odataError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    }
    const script = scripts.get(scriptId);
    if (settings.checkScriptExists && !script) {
      return odataError(404, 'ResourceNotFound', `No deviceHealthScript has the id '${scriptId}'.`);
    }
    const contentType = String(request.headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(contentType)) {
      return odataError(415, 'UnsupportedMediaType', `Content-Type '${contentType}' is not application/json.`);
    }
    const body = parseJson(text);
    if (body === undefined) {
      return odataError(400, 'BadRequest', 'The request body is not valid JSON.');
    }
    if (settings.validateRequestBody) {
      const errors = schemaErrors(requestSchema, body);
      if (errors.length > 0) {
        const first = errors[0];
        return odataError(400, 'BadRequest', `Invalid run summary at '${first?.instancePath || '/'}': ${first?.message ?? 'invalid'}.`);
      }
    }

    const { '@odata.type': _ignoredType, ...members } = body as Record<string, unknown>;
    const stored = { id: scriptId, ...members };
    if (script) {
      script.runSummary = stored;
    }
    return jsonAnswer(201, {
      '@odata.context': `${serviceRoot}/$metadata#deviceManagement/deviceHealthScripts('${scriptId}')/runSummary/$entity`,
      value: stored,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    scriptIds: () => [...scripts.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hasBearerToken(request: http.IncomingMessage): boolean {
  return /^Bearer \S+/.test(String(request.headers.authorization ?? ''));
}

function jsonAnswer(status: number, body: unknown): ProviderAnswer {
  return { status, headers: { 'content-type': graphJsonContentType }, body };
}

/** Builds Graph's OData error body; `innerError.date` has no offset, as Graph sends it. */
export function odataError(status: number, code: string, message: string): ProviderAnswer {
  const requestId = randomUUID();
  return jsonAnswer(status, {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
    },
  });
}

function writeAnswer(response: http.ServerResponse, answer: ProviderAnswer, clientRequestId: string | string[] | undefined): void {
  const payload = answer.rawBody ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
  const headers: Record<string, string> = { 'request-id': randomUUID(), ...answer.headers };
  if (typeof clientRequestId === 'string') {
    headers['client-request-id'] = clientRequestId;
  }
  response.writeHead(answer.status, headers);
  response.end(payload);
}

function parseJson(text: string): unknown {
  if (text.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
