import { type EndpointContract, readEndpoint } from '../../contracts/spec/endpoint';
import { loadOpenApi } from '../../contracts/spec/loadOpenApi';

let cached: Promise<EndpointContract> | undefined;

/** Loads the committed OpenAPI once per test file. */
export function committedEndpoint(): Promise<EndpointContract> {
  cached ??= loadOpenApi().then(readEndpoint);
  return cached;
}
