import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Redactor } from './redact';

/** One request the verifier sent and the provider's response, secrets removed. */
export interface RecordedExchange {
  sequence: number;
  request: { method: string; path: string; sentToken: boolean };
  response?: { status: number; headers: Record<string, string>; bodyText: string };
  /** Set when no response came back: a timeout or a connection error. */
  error?: string;
}

export interface RecordingProxyOptions {
  /** Service root of the provider, such as https://graph.example.test/beta; its path is kept. */
  targetBaseUrl: string;
  /** Replaces the pact's placeholder bearer token in requests that carry one. */
  token?: string;
  timeoutMs: number;
  redactor: Redactor;
  /** Called for every exchange as it completes, in order. */
  onExchange?: (exchange: RecordedExchange) => void;
}

export interface RunningProxy {
  url: string;
  exchanges: RecordedExchange[];
  close(): Promise<void>;
}

/**
 * Starts a loopback proxy between Pact's verifier and the provider. It
 * records each response for the schema check, and puts the real token into
 * the request, so the token never passes through Pact and never lands in a pact.
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RunningProxy> {
  const target = new URL(options.targetBaseUrl);
  const targetPrefix = target.pathname.replace(/\/+$/, '');
  const transport = target.protocol === 'https:' ? https : http;
  const exchanges: RecordedExchange[] = [];

  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const headers = { ...incoming.headers };
      delete headers.host;
      const sentToken = headers.authorization !== undefined;
      if (sentToken && options.token) {
        headers.authorization = `Bearer ${options.token}`;
      }
      const exchange: RecordedExchange = {
        sequence: exchanges.length,
        request: { method: incoming.method ?? 'GET', path: incoming.url ?? '/', sentToken },
      };
      exchanges.push(exchange);

      let finished = false;
      const finish = (status: number, responseHeaders: Record<string, string>, body: Buffer): void => {
        if (finished) {
          return;
        }
        finished = true;
        clearTimeout(deadline);
        outgoing.writeHead(status, responseHeaders);
        outgoing.end(body);
        options.onExchange?.(exchange);
      };
      const fail = (reason: string): void => {
        if (finished) {
          return;
        }
        exchange.error = options.redactor.redact(reason);
        finish(502, { 'content-type': 'text/plain' }, Buffer.from(`contract proxy: ${exchange.error}`));
      };

      // The socket timeout below only notices silence; this bounds a provider that trickles bytes.
      const deadline = setTimeout(() => {
        request?.destroy(new Error(`no complete response within ${options.timeoutMs} ms`));
      }, options.timeoutMs);

      let request: http.ClientRequest | undefined;
      try {
        request = transport.request(
          {
            protocol: target.protocol,
            hostname: target.hostname,
            port: target.port,
            method: incoming.method,
            path: `${targetPrefix}${incoming.url ?? '/'}`,
            headers: { ...headers, host: target.host },
            timeout: options.timeoutMs,
          },
          (response) => {
            const bodyChunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => bodyChunks.push(chunk));
            response.on('error', () => undefined);
            response.on('close', () => {
              if (!response.complete) {
                fail('the provider closed the connection before the response was complete');
              }
            });
            response.on('end', () => {
              const body = Buffer.concat(bodyChunks);
              const responseHeaders = joinedHeaders(response.rawHeaders);
              exchange.response = options.redactor.redactValue({
                status: response.statusCode ?? 0,
                headers: responseHeaders,
                bodyText: body.toString('utf8'),
              });
              delete responseHeaders['transfer-encoding'];
              delete responseHeaders.connection;
              finish(response.statusCode ?? 502, responseHeaders, body);
            });
          },
        );
      } catch (error) {
        // Node rejects header values it cannot send, such as a token with a line break.
        fail(`the request could not be sent: ${(error as Error).message}`);
        return;
      }
      request.on('timeout', () => {
        request?.destroy(new Error(`no response within ${options.timeoutMs} ms`));
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        fail(`${error.code ? `${error.code}: ` : ''}${error.message}`);
      });
      request.end(Buffer.concat(chunks));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Collects response headers under lower-case names. A header sent twice is
 * joined with ", ", so a second Content-Type reaches Pact and the schema
 * check instead of being dropped the way Node's parsed headers drop it.
 */
function joinedHeaders(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index].toLowerCase();
    const value = rawHeaders[index + 1];
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}
