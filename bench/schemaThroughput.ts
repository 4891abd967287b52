import { graphJsonContentType } from '../contracts/provider/referenceProvider';
import { declaredResponse, firstExample, readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { type ObservedResponse, checkResponse } from '../contracts/verification/responseCheck';
import { type Summary, summarise } from './stats';

/** Length of one timed window, in milliseconds. */
const windowMs = 500;

export interface SchemaThroughput {
  /** The first check of a freshly loaded OpenAPI, which compiles the schema with Ajv. */
  firstCheckMs: number;
  checksPerSecond: Summary;
  /** Number of findings on the OpenAPI's own 201 example. Anything but 0 means the figure timed an error path. */
  findings: number;
}

/**
 * Times checkResponse on the OpenAPI's 201 example, as Graph would send it:
 * once on a fresh OpenAPI, then as many checks as fit in one window,
 * repeated `runs` times.
 */
export async function measureSchemaThroughput(runs: number): Promise<SchemaThroughput> {
  const endpoint = readEndpoint(await loadOpenApi());
  const description = 'the 201 example of the OpenAPI';
  const response: ObservedResponse = {
    status: endpoint.successStatus,
    headers: { 'content-type': graphJsonContentType },
    bodyText: JSON.stringify(firstExample(declaredResponse(endpoint, endpoint.successStatus).examples, 'the 201 response')),
  };

  const firstStarted = performance.now();
  const findings = checkResponse(endpoint, description, response).length;
  const firstCheckMs = performance.now() - firstStarted;

  const rates: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    let checks = 0;
    const started = performance.now();
    let elapsed = 0;
    while (elapsed < windowMs) {
      checkResponse(endpoint, description, response);
      checks += 1;
      elapsed = performance.now() - started;
    }
    rates.push((checks / elapsed) * 1000);
  }
  return { firstCheckMs, checksPerSecond: summarise(rates), findings };
}
