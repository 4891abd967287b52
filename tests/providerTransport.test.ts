// Faults below the HTTP body: a provider that closes the connection mid-body,
// trickles bytes past the timeout, or sends Content-Type twice. The recording
// proxy must report each one on its own interaction, within the timeout.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { verifyPact } from '../contracts/verification/verifyPact';
import { buildSummary } from '../contracts/reports/summaryReport';
import { verificationExitCode } from '../contracts/verification/verdict';
import { validSummary } from './support/summaries';

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

interface RawProvider {
  baseUrl: string;
  statesUrl: string;
  close(): Promise<void>;
}

/**
 * A provider written against raw sockets, standing in for a faulty
 * implementation: it responds to the state-change calls itself and the
 * verified requests with the behaviour given.
 */
async function startRawProvider(behaviour: Behaviour): Promise<RawProvider> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url?.startsWith('/states')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"scriptId":"raw-script"}');
        return;
      }
      if (request.method === 'HEAD') {
        response.writeHead(200);
        response.end();
        return;
      }
      behaviour(request, response);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/beta`,
    statesUrl: `http://127.0.0.1:${port}/states`,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

const validValue = { id: 'raw-script', ...validSummary };

async function verifyRaw(behaviour: Behaviour, timeoutMs = 5_000) {
  const provider = await startRawProvider(behaviour);
  try {
    return await verifyPact({ providerBaseUrl: provider.baseUrl, providerStatesSetupUrl: provider.statesUrl, timeoutMs });
  } finally {
    await provider.close();
  }
}

describe('provider transport faults', () => {
  it('reports a connection closed mid-body', async () => {
    const report = await verifyRaw((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"value": {"id": "raw-');
      setTimeout(() => response.socket?.destroy(), 20);
    });

    const findings = report.interactions.flatMap((result) => result.findings);
    expect(report.passed).toBe(false);
    expect(report.interactions.every((result) => !result.passed)).toBe(true);
    expect(findings.filter((finding) => finding.code === 'provider.request.failed').length).toBe(report.interactions.length);
    expect(findings.find((finding) => finding.code === 'provider.request.failed')?.actual).toContain('closed the connection before the response was complete');
    expect(findings.filter((finding) => finding.source === 'pact')).toEqual([]);
  });

  it('gives the report the exit code of an unverified run', async () => {
    const report = await verifyRaw((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"value": ');
      setTimeout(() => response.socket?.destroy(), 20);
    });

    const summary = buildSummary(report);

    expect(verificationExitCode(report)).toBe(2);
    expect(summary.exitCode).toBe(2);
    expect(summary.verdict).toBe('failed');
  });

  it('reports a response that trickles past the timeout', async () => {
    const report = await verifyRaw((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        if (sent > 40 || response.destroyed) {
          clearInterval(timer);
          response.end();
          return;
        }
        response.write(' ');
      }, 100);
    }, 1_000);

    const findings = report.interactions.flatMap((result) => result.findings);
    expect(report.passed).toBe(false);
    expect(findings.find((finding) => finding.code === 'provider.request.failed')?.actual).toContain('no complete response within 1000 ms');
  });

  it('reports a second Content-Type header', async () => {
    const report = await verifyRaw((request, response) => {
      const wantsCreate = request.headers.authorization !== undefined;
      response.writeHead(wantsCreate ? 201 : 401, [
        ['Content-Type', 'application/json'],
        ['Content-Type', 'text/html'],
      ]);
      response.end(JSON.stringify(wantsCreate ? { value: validValue } : { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' } }));
    });

    const contentTypeFindings = report.interactions
      .flatMap((result) => result.findings)
      .filter((finding) => finding.code === 'response.header.content-type.mismatch');
    expect(report.passed).toBe(false);
    expect(contentTypeFindings.length).toBeGreaterThan(0);
    expect(contentTypeFindings[0]?.actual).toContain('text/html');
  });
});
