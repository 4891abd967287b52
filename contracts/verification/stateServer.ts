import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SuiteError, messageOf } from '../errors';
import type { ProviderStateHandlers } from './providerStates';
import type { Redactor } from './redact';

/** A provider-state call from Pact's verifier, as it arrived. */
export interface StateEvent {
  action: 'setup' | 'teardown';
  state: string;
  params: Record<string, unknown>;
  /** Set when the handler failed; the interaction then fails too. */
  error?: SuiteError;
}

export interface RunningStateServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves Pact's state-change protocol on loopback: the verifier posts
 * `{state, params, action}` before and after each interaction. A failing
 * handler returns 500, so Pact fails the interaction instead of sending the
 * request against a provider that was never set up.
 */
export async function startStateServer(
  handlers: ProviderStateHandlers,
  redactor: Redactor,
  onEvent: (event: StateEvent) => void,
): Promise<RunningStateServer> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void handle(Buffer.concat(chunks).toString('utf8')).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
  });

  async function handle(text: string): Promise<{ status: number; body: unknown }> {
    let call: { state?: unknown; params?: unknown; action?: unknown };
    try {
      call = JSON.parse(text) as typeof call;
    } catch {
      return { status: 400, body: { error: 'state-change body is not JSON' } };
    }
    const event: StateEvent = {
      action: call.action === 'teardown' ? 'teardown' : 'setup',
      state: typeof call.state === 'string' ? call.state : '',
      params: (call.params as Record<string, unknown> | undefined) ?? {},
    };
    if (event.state === '') {
      // Pact calls the endpoint for an interaction without a provider state too; there is nothing to set up.
      return { status: 200, body: {} };
    }
    try {
      const values = event.action === 'setup' ? await handlers.setup(event.state, event.params) : (await handlers.teardown(event.state, event.params), {});
      onEvent(event);
      return { status: 200, body: values };
    } catch (error) {
      event.error =
        error instanceof SuiteError
          ? new SuiteError(error.code, redactor.redact(error.message), error.hint, { exitCode: error.exitCode })
          : new SuiteError('state.setup.failed', redactor.redact(messageOf(error)), 'Fix the state handler or the provider call it makes.');
      onEvent(event);
      return { status: 500, body: { error: `${event.action} of provider state '${event.state}' failed: ${event.error.message}` } };
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/provider-states`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Forwards state calls to a provider's own state-change endpoint (Pact's
 * protocol), for providers that set up their data themselves.
 */
export function forwardingStateHandlers(setupUrl: string, timeoutMs: number): ProviderStateHandlers {
  const call = async (action: string, state: string, params: Record<string, unknown>): Promise<Record<string, string>> => {
    const response = await fetch(setupUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ state, params, action }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new SuiteError('state.setup.failed', `The provider's state endpoint ${setupUrl} answered ${response.status} for '${state}' (${action})`, 'Check the state handler of the provider.');
    }
    try {
      return text ? (JSON.parse(text) as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  return {
    setup: (state, params) => call('setup', state, params),
    teardown: async (state, params) => {
      await call('teardown', state, params);
    },
    cleanUp: () => Promise.resolve([]),
  };
}
