import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type BrokerSource, brokerPactNames, brokerVerifierOptions } from '../broker/brokerSource';
import { ExitCode, SuiteError } from '../errors';
import { pactFilePath } from '../consumer/pactFiles';
import { type EndpointContract, readEndpoint } from '../spec/endpoint';
import { loadOpenApi } from '../spec/loadOpenApi';
import { type Finding, showValue } from './findings';
import { readPactFile } from './pactFile';
import { type Fixture, type ProviderStateHandlers, describeFixture, graphStateHandlers } from './providerStates';
import { type RecordedExchange, startRecordingProxy } from './recordingProxy';
import { Redactor } from './redact';
import { checkResponse } from './responseCheck';
import { networkError } from './setupHttp';
import { type StateEvent, forwardingStateHandlers, startStateServer } from './stateServer';
import { type VerifierWorker, startVerifierWorker } from './verifierWorker';

export interface VerificationOptions {
  /** Service root of the provider; its path prefix is kept. */
  providerBaseUrl: string;
  openApiPath?: string;
  /** The endpoint read from the OpenAPI already, so the document is not parsed twice; wins over openApiPath. */
  endpoint?: EndpointContract;
  /**
   * A verifier child the caller started, so Pact loads while the caller
   * prepares, or so that many verifications share one child. The caller stops it.
   */
  worker?: VerifierWorker;
  pactPath?: string;
  /** Bearer token for interactions whose pact request carries Authorization. */
  token?: string;
  /** A provider's own Pact state-change endpoint, used instead of the Graph API for states. */
  providerStatesSetupUrl?: string;
  /** Timeout of each call, in milliseconds. */
  timeoutMs?: number;
  /** Attempts for set-up calls that get 429 or 503, and the waits between them. */
  setupRetry?: { maxAttempts?: number; defaultRetryDelayMs?: number; maxRetryDelayMs?: number };
  redactor?: Redactor;
  /** Called once per interaction as soon as its verdict is known. */
  onInteraction?: (result: InteractionResult) => void;
  /** Aborting stops the verifier, deletes fixtures and rejects with `run.interrupted`. */
  signal?: AbortSignal;
  /** Called with one line per retried set-up call (429 or 503), secrets removed. */
  onSetupRetry?: (message: string) => void;
  /** Fetch the pacts from a Pact Broker instead of `pactPath`, and optionally publish the result there. */
  broker?: BrokerSource;
}

export interface InteractionResult {
  description: string;
  passed: boolean;
  findings: Finding[];
  /**
   * Set when a Pact Broker marked the interaction's pact as pending (not yet
   * verified by any provider version): its failures are reported but do not
   * fail the run.
   */
  pending?: boolean;
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
  /** Failures of pending pacts, which Pact lists apart from `errors`. */
  pendingErrors?: { interaction: string; mismatch?: { type: string; message?: string; mismatches?: PactMismatch[] } }[];
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
  // The child needs a few hundred milliseconds to load Pact, so it starts
  // first and loads while this process reads the OpenAPI and starts its servers.
  if (options.worker) {
    return verifyWithWorker(options, options.worker);
  }
  const worker = startVerifierWorker();
  try {
    return await verifyWithWorker(options, worker);
  } finally {
    worker.stop();
  }
}

async function verifyWithWorker(options: VerificationOptions, worker: VerifierWorker): Promise<VerificationReport> {
  const startedAt = new Date();
  const redactor = options.redactor ?? new Redactor();
  redactor.add(options.token);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pactPath = path.resolve(options.pactPath ?? pactFilePath());

  const endpoint = options.endpoint ?? readEndpoint(await loadOpenApi(options.openApiPath));
  // With a broker, Pact fetches the pacts itself, so there is no local file to read.
  const pact = options.broker ? brokerPactNames(options.broker) : readPactFile(pactPath);
  const pactSource = options.broker ? brokerVerifierOptions(options.broker) : { pactUrls: [pactPath] };
  redactor.add(options.broker?.token);
  redactor.add(options.broker?.password);
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
        signal: options.signal,
        onRetry: options.onSetupRetry,
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
    const { json, output } = await worker.run(
      {
        keepAlive: options.worker !== undefined,
        options: {
          provider: pact.provider.name,
          providerBaseUrl: proxy.url,
          ...pactSource,
          providerStatesSetupUrl: stateServer.url,
          logLevel: 'error',
          // Pact's timeout covers a whole state call, retries included, so it
          // must outlast the set-up budget; the proxy bounds the verified request.
          timeout: timeoutMs + setupBudgetMs(timeoutMs, options.setupRetry),
        },
      },
      options.signal,
    );
    const results = parseResults(json, redactor);
    const interactions = buildResults(endpoint, results, events, redactor, output);

    const credentials = events
      .map((entry) => (entry.kind === 'state' ? entry.event.error : undefined))
      .find((error) => error?.exitCode === ExitCode.credentialsRejected);
    report = {
      consumer: pact.consumer.name,
      provider: pact.provider.name,
      providerBaseUrl: options.providerBaseUrl,
      pactPath: options.broker?.pactBrokerUrl ?? pactPath,
      startedAt: startedAt.toISOString(),
      durationMs: 0,
      interactions,
      passed: interactions.length > 0 && interactions.every((result) => result.passed || result.pending === true),
      fixturesLeft: [],
      credentialsProblem: credentials ? { code: credentials.code, message: credentials.message, hint: credentials.hint } : undefined,
      verifierOutput: redactor.redact(stripAnsi(output)),
    };
  } catch (error) {
    fixturesLeft = await handlers.cleanUp().catch(() => []);
    if (error instanceof SuiteError) {
      error.fixturesLeft.push(...fixturesLeft.map(describeFixture));
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

/** Maximum time one set-up call can take: every attempt times out, with the maximum wait between attempts. */
function setupBudgetMs(timeoutMs: number, retry: VerificationOptions['setupRetry']): number {
  const attempts = retry?.maxAttempts ?? 4;
  return attempts * timeoutMs + (attempts - 1) * (retry?.maxRetryDelayMs ?? 60_000);
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

/** Pact's verifier in a child process, started before the request is known. */
function parseResults(json: string, redactor: Redactor): PactResultJson {
  try {
    return JSON.parse(redactor.redact(json)) as PactResultJson;
  } catch {
    throw new SuiteError('verifier.output-invalid', 'Pact\'s verifier returned a result that is not JSON', 'Run with --verbose to see its output.');
  }
}

function buildResults(endpoint: EndpointContract, results: PactResultJson, events: RunEvent[], redactor: Redactor, output: string): InteractionResult[] {
  const entries = results.interactionResults ?? [];
  if (entries.length === 0) {
    // Pact reads the file itself; a pact it cannot load yields no interaction at all.
    const line = stripAnsi(output).split('\n').find((candidate) => /error|invalid|failed/i.test(candidate)) ?? 'no interaction was verified';
    // Pact's log line carries a timestamp, a thread id and colour codes written out as text.
    const reason = line.replace(/\\x1b\[[0-9;]*m/g, '').replace(/^.*?pact_verifier: /, '').trim();
    throw new SuiteError('pact.unusable', `Pact's verifier could not load any interaction from the pact: ${redactor.redact(reason)}`, 'Check that the pact is a Pact V3 or V4 file in UTF-8, or regenerate it with `npm run pact:update`.');
  }

  const errorsOf = (description: string, list: PactResultJson['errors']) =>
    (list ?? []).filter((error) => error.interaction === description || error.interaction.endsWith(` - ${description}`));
  const correlated = correlateEvents(entries.map((entry) => errorsOf(entry.description, results.errors).some(isStateChangeError)), events);

  return entries.map((entry, index) => {
    const findings: Finding[] = [];
    const { stateErrors, exchange, lost } = correlated[index] ?? { stateErrors: [], lost: true };

    for (const event of stateErrors) {
      findings.push({
        code: event.error?.code ?? 'state.setup.failed',
        interaction: entry.description,
        location: `state.${event.state}`,
        expected: `${event.action} of provider state '${event.state}' succeeds`,
        actual: event.error?.message ?? 'failed',
        source: 'state',
      });
    }

    for (const error of errorsOf(entry.description, results.errors)) {
      findings.push(...pactFindings(entry.description, error.mismatch));
    }
    // NOTE: Pact reports pending status only through failures, so a pending pact's interaction that Pact passes but the schema check fails still fails the run.
    const pendingErrors = errorsOf(entry.description, results.pendingErrors);
    for (const error of pendingErrors) {
      findings.push(...pactFindings(entry.description, error.mismatch));
    }

    if (lost) {
      findings.push({
        code: 'verification.response-unmatched',
        interaction: entry.description,
        location: 'response',
        expected: 'one recorded response per interaction Pact sent',
        actual: 'the responses could not be matched to interactions, so the schema check did not run',
        source: 'schema',
      });
    } else if (exchange?.error) {
      // Pact compared the proxy's stand-in 502, not a provider response, so its mismatches are not about the provider.
      findings.splice(0, findings.length, ...findings.filter((finding) => finding.source !== 'pact'));
      findings.push({ code: 'provider.request.failed', interaction: entry.description, location: 'request', expected: 'a response from the provider', actual: exchange.error, source: 'schema' });
    } else if (exchange?.response) {
      findings.push(...checkResponse(endpoint, entry.description, exchange.response));
    }

    const redacted = findings.map((finding) => redactor.redactValue(finding));
    const passed = entry.result === 'OK' && redacted.length === 0;
    return { description: entry.description, passed, findings: redacted, ...(pendingErrors.length > 0 && !passed ? { pending: true } : {}) };
  });
}

/** Tells whether Pact skipped an interaction because a state set-up failed after its retries. */
function isStateChangeError(error: { mismatch?: { type: string; message?: string } }): boolean {
  return error.mismatch?.type !== 'mismatches' && /state change/i.test(error.mismatch?.message ?? '');
}

interface CorrelatedInteraction {
  stateErrors: StateEvent[];
  exchange?: RecordedExchange;
  /** True when the recorded responses could not be matched to the interactions. */
  lost: boolean;
}

/**
 * Matches the run's events to the interactions, in the order Pact verified
 * them. Pact retries a failed state set-up and, when every attempt fails,
 * skips the request and the tear-down, so only the interactions without a
 * state failure sent a request: the n-th recorded response belongs to the
 * n-th of those. A failed set-up is reported only for an interaction Pact
 * skipped; a set-up that failed and then succeeded on a retry is not a failure.
 */
/**
 * Attempts Pact's verifier (pact_ffi 0.5.4) makes at a failing state set-up,
 * seen in its calls. Only the attribution of set-up messages depends on it.
 */
// NOTE: a pact whose interactions have several states each may split the set-up messages unevenly.
const pactStateAttempts = 3;

function correlateEvents(stateFailed: boolean[], events: RunEvent[]): CorrelatedInteraction[] {
  const exchanges = events.flatMap((entry) => (entry.kind === 'exchange' ? [entry.exchange] : []));
  const sent = stateFailed.filter((failed) => !failed).length;
  const lost = exchanges.length !== sent;

  const correlated: CorrelatedInteraction[] = [];
  let position = 0;
  for (const failed of stateFailed) {
    const item: CorrelatedInteraction = { stateErrors: [], lost };
    if (failed) {
      // Consume this interaction's failed attempts; the next success or request starts the next interaction.
      while (position < events.length && item.stateErrors.length < pactStateAttempts) {
        const entry = events[position];
        if (entry?.kind !== 'state' || entry.event.action !== 'setup' || !entry.event.error) {
          break;
        }
        item.stateErrors.push(entry.event);
        position += 1;
      }
      item.stateErrors = distinctErrors(item.stateErrors);
    } else {
      while (position < events.length && events[position]?.kind !== 'exchange') {
        position += 1;
      }
      const entry = events[position];
      item.exchange = entry?.kind === 'exchange' ? entry.exchange : undefined;
      position += 1;
      while (position < events.length) {
        const next = events[position];
        if (next?.kind !== 'state' || next.event.action !== 'teardown') {
          break;
        }
        position += 1;
      }
    }
    correlated.push(item);
  }
  return correlated;
}

function distinctErrors(events: StateEvent[]): StateEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => {
    const key = `${event.state} ${event.error?.code ?? ''} ${event.error?.message ?? ''}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
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
