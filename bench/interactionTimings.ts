import { ProviderStates } from '../contracts/consumer/contractNames';
import { pactFilePath } from '../contracts/consumer/pactFiles';
import { type RunningProvider, startReferenceProvider } from '../contracts/provider/referenceProvider';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { type PactInteraction, readPactFile } from '../contracts/verification/pactFile';
import { verifyPact } from '../contracts/verification/verifyPact';
import { type Summary, summarise } from './stats';

/** Round trips timed per interaction after the warm-up ones. */
const roundTrips = 100;
const warmUpRoundTrips = 5;
const benchToken = 'bench-placeholder-token';

export interface InteractionTiming {
  description: string;
  expectedStatus: number;
  /** Status of the bare request. It differs from expectedStatus only if the bench rebuilt the request wrongly. */
  bareStatus: number;
  /** Pact's own "verification" time for the interaction, from its report. */
  pactVerificationMs: Summary;
  /** The request alone, sent with fetch over a kept-alive connection. */
  bareRequestMs: Summary;
  /** Create the script, send the request, delete the script: the calls a verification makes for one interaction. */
  bareWithStateMs: Summary;
}

export interface InteractionTimings {
  /** verifyPact from start to report, in this process, with the worker start included. */
  verifyPactMs: Summary;
  interactions: InteractionTiming[];
}

/**
 * Runs verifyPact against a reference provider several times and reads the
 * per-interaction times from Pact's report, then sends the pact's requests
 * with fetch to the same provider to time the bare HTTP round trips.
 */
export async function measureInteractions(runs: number): Promise<InteractionTimings> {
  const endpoint = readEndpoint(await loadOpenApi());
  const provider = await startReferenceProvider({ endpoint });
  try {
    const durations: number[] = [];
    const pactTimes = new Map<string, number[]>();
    for (let run = 0; run < runs; run += 1) {
      const report = await verifyPact({ providerBaseUrl: provider.baseUrl });
      if (!report.passed) {
        throw new Error(`verifyPact failed against the reference provider in run ${run + 1}; run \`npm run verify\` to see why`);
      }
      durations.push(report.durationMs);
      for (const [description, milliseconds] of parseVerificationTimes(report.verifierOutput)) {
        pactTimes.set(description, [...(pactTimes.get(description) ?? []), milliseconds]);
      }
    }

    const interactions: InteractionTiming[] = [];
    for (const interaction of readPactFile(pactFilePath()).interactions) {
      const bare = await timeBareRequests(provider, interaction);
      interactions.push({
        description: interaction.description,
        expectedStatus: interaction.response.status,
        bareStatus: bare.status,
        pactVerificationMs: summarise(pactTimes.get(interaction.description) ?? []),
        bareRequestMs: summarise(bare.requestMs),
        bareWithStateMs: summarise(bare.withStateMs),
      });
    }
    return { verifyPactMs: summarise(durations), interactions };
  } finally {
    await provider.close();
  }
}

/** Reads lines such as "  a request to … (1ms loading, 23ms verification)" from Pact's report. */
export function parseVerificationTimes(verifierOutput: string): [string, number][] {
  const times: [string, number][] = [];
  for (const match of verifierOutput.matchAll(/^\s+(.+?) \((\d+)ms loading, (\d+)ms verification\)\s*$/gm)) {
    times.push([match[1], Number(match[3])]);
  }
  return times;
}

async function timeBareRequests(provider: RunningProvider, interaction: PactInteraction): Promise<{ status: number; requestMs: number[]; withStateMs: number[] }> {
  const state = interaction.providerStates?.[0];
  const stateScriptId = state?.params?.scriptId;
  const pactScriptId = typeof stateScriptId === 'string' ? stateScriptId : '';
  const needsScript = state?.name === ProviderStates.scriptExists;
  const headers = flattenHeaders(interaction.request.headers);
  const body = requestBodyText(interaction.request.body);

  const send = async (scriptId: string): Promise<number> => {
    const url = `${provider.baseUrl}${interaction.request.path.replace(pactScriptId, scriptId)}`;
    const response = await fetch(url, { method: interaction.request.method, headers, body });
    await response.arrayBuffer();
    return response.status;
  };

  const requestMs: number[] = [];
  const standingScript = needsScript ? await createScript(provider) : pactScriptId;
  let status = 0;
  for (let index = 0; index < warmUpRoundTrips + roundTrips; index += 1) {
    const started = performance.now();
    status = await send(standingScript);
    if (index >= warmUpRoundTrips) {
      requestMs.push(performance.now() - started);
    }
  }
  if (needsScript) {
    await deleteScript(provider, standingScript);
  }

  const withStateMs: number[] = [];
  for (let index = 0; index < roundTrips; index += 1) {
    const started = performance.now();
    const scriptId = needsScript ? await createScript(provider) : pactScriptId;
    await send(scriptId);
    if (needsScript) {
      await deleteScript(provider, scriptId);
    }
    withStateMs.push(performance.now() - started);
  }
  return { status, requestMs, withStateMs };
}

function flattenHeaders(headers: Record<string, string[] | string> | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Returns the request body as sent; a Pact V4 file keeps it under `content`. */
function requestBodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) {
    return undefined;
  }
  const content = typeof body === 'object' && 'content' in body ? body.content : body;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

async function createScript(provider: RunningProvider): Promise<string> {
  const response = await fetch(`${provider.baseUrl}/deviceManagement/deviceHealthScripts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${benchToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: 'bench script' }),
  });
  const created = (await response.json()) as { id?: unknown };
  if (response.status !== 201 || typeof created.id !== 'string') {
    throw new Error(`the reference provider returned ${response.status} when the bench created a script`);
  }
  return created.id;
}

async function deleteScript(provider: RunningProvider, scriptId: string): Promise<void> {
  const response = await fetch(`${provider.baseUrl}/deviceManagement/deviceHealthScripts/${scriptId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${benchToken}` },
  });
  await response.arrayBuffer();
}
