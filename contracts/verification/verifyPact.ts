import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ExitCode, SuiteError } from '../errors';
import { pactFilePath } from '../consumer/pactFiles';
import { type EndpointContract, readEndpoint } from '../spec/endpoint';
import { loadOpenApi } from '../spec/loadOpenApi';
import { type Finding, showValue } from './findings';
import { readPactFile } from './pactFile';
import { type Fixture, type ProviderStateHandlers, graphStateHandlers } from './providerStates';
import { type RecordedExchange, startRecordingProxy } from './recordingProxy';
import { Redactor } from './redact';
import { checkResponse } from './responseCheck';
import { networkError } from './setupHttp';
import { type StateEvent, forwardingStateHandlers, startStateServer } from './stateServer';
import type { WorkerReply, WorkerRequest } from './verifierWorker';

export interface VerificationOptions {
  /** Service root of the provider; its path prefix is kept. */
  providerBaseUrl: string;
  openApiPath?: string;
  pactPath?: string;
  /** Bearer token for interactions whose pact request carries Authorization. */
  token?: string;
  /** A provider's own Pact state-change endpoint, used instead of the Graph API for states. */
  providerStatesSetupUrl?: string;
  /** Timeout of each call, in milliseconds. */
  timeoutMs?: number;
  /** Attempts for set-up calls answered 429 or 503, and the waits between them. */
  setupRetry?: { maxAttempts?: number; defaultRetryDelayMs?: number; maxRetryDelayMs?: number };
  redactor?: Redactor;
  /** Called once per interaction as soon as its verdict is known. */
  onInteraction?: (result: InteractionResult) => void;
  /** Aborting stops the verifier, deletes fixtures and rejects with `run.interrupted`. */
  signal?: AbortSignal;
}

export interface InteractionResult {
  description: string;
  passed: boolean;
  findings: Finding[];
}

export interface VerificationReport {
  consumer: string;
  provider: string;
  providerBaseUrl: string;
  pactPath: string;
  startedAt: string;
  durationMs: number;
  interactions: InteractionResult[];
  passed: boolean;
  /** Fixtures that could not be deleted; a person has to remove them. */
  fixturesLeft: Fixture[];
  /** Set when the provider rejected the credentials during set-up. */
  credentialsProblem?: { code: string; message: string; hint: string };
  /** Pact's own report, secrets removed, for --verbose and the logs. */
  verifierOutput: string;
}

type RunEvent = { kind: 'state'; event: StateEvent } | { kind: 'exchange'; exchange: RecordedExchange };

interface PactResultJson {
  interactionResults?: { description: string; result: string }[];
  errors?: { interaction: string; mismatch?: { type: string; message?: string; mismatches?: PactMismatch[] } }[];
}

interface PactMismatch {
  type: string;
  expected?: unknown;
  actual?: unknown;
  mismatch?: string;
  path?: string;
  key?: string;
}

/**
 * Verifies the committed pact against a provider with Pact's verifier, and
 * checks every actual response against the OpenAPI as well. Throws a
 * SuiteError when the run cannot happen; otherwise returns the verdict of
 * each interaction.
 */
export async function verifyPact(options: VerificationOptions): Promise<VerificationReport> {
  const startedAt = new Date();
  const redactor = options.redactor ?? new Redactor();
  redactor.add(options.token);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pactPath = path.resolve(options.pactPath ?? pactFilePath());

  const endpoint = readEndpoint(await loadOpenApi(options.openApiPath));
  const pact = readPactFile(pactPath);
  await checkReachable(options.providerBaseUrl, timeoutMs);

  const events: RunEvent[] = [];
  const handlers: ProviderStateHandlers = options.providerStatesSetupUrl
    ? forwardingStateHandlers(options.providerStatesSetupUrl, timeoutMs)
    : graphStateHandlers({
        baseUrl: options.providerBaseUrl,
        token: options.token ?? 'contract-test-placeholder-token',
        runId: `${startedAt.toISOString().slice(0, 19)}Z-${randomUUID().slice(0, 8)}`,
        timeoutMs,
        maxAttempts: options.setupRetry?.maxAttempts ?? 4,
        defaultRetryDelayMs: options.setupRetry?.defaultRetryDelayMs ?? 2_000,
        maxRetryDelayMs: options.setupRetry?.maxRetryDelayMs ?? 60_000,
      });

  const proxy = await startRecordingProxy({
    targetBaseUrl: options.providerBaseUrl,
    token: options.token,
    timeoutMs,
    redactor,
    onExchange: (exchange) => events.push({ kind: 'exchange', exchange }),
  });
  const stateServer = await startStateServer(handlers, redactor, (event) => events.push({ kind: 'state', event }));

  let report: VerificationReport | undefined;
  let fixturesLeft: Fixture[] = [];
  try {
    const { json, output } = await runVerifierWorker(
      {
        options: {
          provider: pact.provider.name,
          providerBaseUrl: proxy.url,
          pactUrls: [pactPath],
          providerStatesSetupUrl: stateServer.url,
          logLevel: 'error',
          timeout: timeoutMs,
        },
      },
      options.signal,
    );
    const results = parseResults(json, redactor);
    const interactions = buildResults(endpoint, results, events, redactor);

    const credentials = events
      .map((entry) => (entry.kind === 'state' ? entry.event.error : undefined))
      .find((error) => error?.exitCode === ExitCode.credentialsRejected);
    report = {
      consumer: pact.consumer.name,
      provider: pact.provider.name,
      providerBaseUrl: options.providerBaseUrl,
      pactPath,
      startedAt: startedAt.toISOString(),
      durationMs: 0,
      interactions,
      passed: interactions.length > 0 && interactions.every((result) => result.passed),
      fixturesLeft: [],
      credentialsProblem: credentials ? { code: credentials.code, message: credentials.message, hint: credentials.hint } : undefined,
      verifierOutput: redactor.redact(stripAnsi(output)),
    };
  } catch (error) {
    fixturesLeft = await handlers.cleanUp().catch(() => []);
    if (error instanceof SuiteError) {
      error.fixturesLeft.push(...fixturesLeft.map((fixture) => `${fixture.scriptId} (${fixture.displayName})`));
    }
    throw error;
  } finally {
    if (report) {
      fixturesLeft = await handlers.cleanUp().catch(() => []);
    }
    await Promise.all([proxy.close(), stateServer.close()]);
  }

  report.fixturesLeft = fixturesLeft;
  report.durationMs = Date.now() - startedAt.getTime();
  report.interactions.forEach((result) => options.onInteraction?.(result));
  return report;
}

async function checkReachable(baseUrl: string, timeoutMs: number): Promise<void> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new SuiteError('provider.url.invalid', `Provider base URL ${JSON.stringify(baseUrl)} is not a valid URL`, 'Pass an absolute URL such as https://graph.microsoft.com/beta.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SuiteError('provider.url.invalid', `Provider base URL ${baseUrl} uses ${url.protocol}, not http or https`, 'Pass an http:// or https:// URL.');
  }
  try {
    const response = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
  } catch (error) {
    throw networkError('HEAD', baseUrl, error, timeoutMs);
  }
}

function runVerifierWorker(request: WorkerRequest, signal: AbortSignal | undefined): Promise<{ json: string; output: string }> {
  const workerPath = path.join(__dirname, 'verifierWorker.ts');
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = fork(workerPath, [], {
        execArgv: ['--require', require.resolve('tsx/cjs')],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
      });
    } catch (error) {
      reject(new SuiteError('verifier.start-failed', `Pact's verifier could not start: ${String(error)}`, 'Run `npm ci` to restore the dependencies.'));
      return;
    }
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    let settled = false;
    const settle = (action: () => void): void => {
      if (!settled) {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        action();
      }
    };
    const onAbort = (): void => {
      child.kill('SIGKILL');
      settle(() => reject(new SuiteError('run.interrupted', 'Verification was interrupted', 'Run it again when ready.', { exitCode: ExitCode.interrupted })));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) {
      onAbort();
      return;
    }

    child.on('message', (reply: WorkerReply) => {
      settle(() => {
        if (reply.kind === 'result') {
          resolve({ json: reply.json, output });
        } else {
          reject(new SuiteError('verifier.crashed', `Pact's verifier could not run: ${reply.message}`, 'Check the pact file and the provider URL; run with --verbose for Pact\'s output.'));
        }
      });
    });
    child.on('exit', (code) => {
      settle(() => reject(new SuiteError('verifier.crashed', `Pact's verifier exited with code ${code} before reporting`, 'Run with --verbose to see its output.')));
    });
    child.send(request);
  });
}

function parseResults(json: string, redactor: Redactor): PactResultJson {
  try {
    return JSON.parse(redactor.redact(json)) as PactResultJson;
  } catch {
    throw new SuiteError('verifier.output-invalid', 'Pact\'s verifier returned a result that is not JSON', 'Run with --verbose to see its output.');
  }
}

function buildResults(endpoint: EndpointContract, results: PactResultJson, events: RunEvent[], redactor: Redactor): InteractionResult[] {
  const groups = groupByInteraction(events);
  return (results.interactionResults ?? []).map((entry, index) => {
    const findings: Finding[] = [];
    const group = groups[index];

    for (const event of group?.states ?? []) {
      if (event.error) {
        findings.push({
          code: event.error.code,
          interaction: entry.description,
          location: `state.${event.state}`,
          expected: `${event.action} of provider state '${event.state}' succeeds`,
          actual: event.error.message,
          source: 'state',
        });
      }
    }

    for (const error of results.errors ?? []) {
      if (error.interaction === entry.description || error.interaction.endsWith(` - ${entry.description}`)) {
        findings.push(...pactFindings(entry.description, error.mismatch));
      }
    }

    const exchange = group?.exchange;
    if (exchange?.error) {
      findings.push({ code: 'provider.request.failed', interaction: entry.description, location: 'request', expected: 'an answer from the provider', actual: exchange.error, source: 'schema' });
    } else if (exchange?.response) {
      findings.push(...checkResponse(endpoint, entry.description, exchange.response));
    }

    const redacted = findings.map((finding) => redactor.redactValue(finding));
    return { description: entry.description, passed: entry.result === 'OK' && redacted.length === 0, findings: redacted };
  });
}

/**
 * Splits the run's events into one group per interaction. Pact verifies
 * interactions one after another: state set-up, the request, state
 * tear-down. A group starts at a set-up after a request, or at a request
 * that no set-up preceded.
 */
function groupByInteraction(events: RunEvent[]): { states: StateEvent[]; exchange?: RecordedExchange }[] {
  const groups: { states: StateEvent[]; exchange?: RecordedExchange; closed: boolean }[] = [];
  let current: (typeof groups)[number] | undefined;
  for (const entry of events) {
    if (entry.kind === 'state') {
      if (entry.event.action === 'setup') {
        if (!current || current.exchange || current.closed) {
          current = { states: [], closed: false };
          groups.push(current);
        }
        current.states.push(entry.event);
      } else if (current) {
        current.closed = true;
      }
      continue;
    }
    if (!current || current.exchange || current.closed) {
      current = { states: [], closed: false };
      groups.push(current);
    }
    current.exchange = entry.exchange;
  }
  return groups;
}

function pactFindings(description: string, mismatch: { type: string; message?: string; mismatches?: PactMismatch[] } | undefined): Finding[] {
  if (!mismatch) {
    return [];
  }
  if (mismatch.type !== 'mismatches') {
    return [{ code: 'pact.request.failed', interaction: description, location: 'request', expected: 'the request to complete', actual: mismatch.message ?? mismatch.type, source: 'pact' }];
  }
  return (mismatch.mismatches ?? []).map((item): Finding => {
    switch (item.type) {
      case 'StatusMismatch':
        return { code: 'pact.status.mismatch', interaction: description, location: 'status', expected: String(item.expected), actual: String(item.actual), source: 'pact' };
      case 'HeaderMismatch':
        return { code: 'pact.header.mismatch', interaction: description, location: `header.${String(item.key ?? '').toLowerCase()}`, expected: showValue(item.expected), actual: `${showValue(item.actual)} (${item.mismatch ?? ''})`, source: 'pact' };
      case 'BodyTypeMismatch':
        return { code: 'pact.body.content-type', interaction: description, location: '$', expected: showValue(item.expected), actual: `${showValue(item.actual)} (${item.mismatch ?? ''})`, source: 'pact' };
      case 'BodyMismatch':
        return { code: 'pact.body.mismatch', interaction: description, location: item.path ?? '$', expected: showValue(item.expected), actual: `${showValue(item.actual)} (${item.mismatch ?? ''})`, source: 'pact' };
      default:
        return { code: 'pact.mismatch', interaction: description, location: item.path ?? '$', expected: showValue(item.expected), actual: item.mismatch ?? showValue(item.actual), source: 'pact' };
    }
  });
}

function stripAnsi(text: string): string {
   
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
