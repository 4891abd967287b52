import { pactFilePath } from '../contracts/consumer/pactFiles';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { readPactFile } from '../contracts/verification/pactFile';
import { type ObservedResponse, checkResponse } from '../contracts/verification/responseCheck';
import { type Summary, summarise } from './stats';

/** Length of one timed window, in milliseconds. */
const windowMs = 500;

export interface SchemaThroughput {
  /** The first check of a freshly loaded OpenAPI, which compiles the schema with Ajv. */
  firstCheckMs: number;
  checksPerSecond: Summary;
  /** Number of findings on the pact's own 201 response. Anything but 0 means the figure timed an error path. */
  findings: number;
}

/**
 * Times checkResponse on the pact's 201 response: once on a fresh OpenAPI,
 * then as many checks as fit in one window, repeated `runs` times.
 */
export async function measureSchemaThroughput(runs: number): Promise<SchemaThroughput> {
  const endpoint = readEndpoint(await loadOpenApi());
  const interaction = readPactFile(pactFilePath()).interactions.find((candidate) => candidate.response.status === 201);
  if (!interaction) {
    throw new Error(`the pact ${pactFilePath()} has no interaction with a 201 response to time`);
  }
  const response = observedResponse(interaction.response);

  const firstStarted = performance.now();
  const findings = checkResponse(endpoint, interaction.description, response).length;
  const firstCheckMs = performance.now() - firstStarted;

  const rates: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    let checks = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < windowMs) {
      checkResponse(endpoint, interaction.description, response);
      checks += 1;
      elapsed = performance.now() - started;
    }
    rates.push((checks / elapsed) * 1000);
  }
  return { firstCheckMs, checksPerSecond: summarise(rates), findings };
}

function observedResponse(response: { status: number; headers?: Record<string, string[] | string>; body?: unknown }): ObservedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const body = response.body;
  const content = typeof body === 'object' && body !== null && 'content' in body ? body.content : body;
  return { status: response.status, headers, bodyText: typeof content === 'string' ? content : JSON.stringify(content) };
}
