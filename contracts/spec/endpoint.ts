import type { OpenAPIV3 } from 'openapi-types';
import { SuiteError } from '../errors';

/** The one operation this suite is about. */
export const runSummaryPath = '/deviceManagement/deviceHealthScripts/{id}/runSummary';
export const runSummaryMethod = 'post';

/** A response of the operation, as the OpenAPI declares it. */
export interface DeclaredResponse {
  status: number;
  description: string;
  mediaType: string;
  schema: OpenAPIV3.SchemaObject;
  examples: Record<string, unknown>;
  headers: Record<string, { required: boolean; schema: OpenAPIV3.SchemaObject }>;
}

/**
 * Everything the suite derives interactions and checks from, read out of a
 * dereferenced OpenAPI document. Nothing here is hard-coded except where the
 * operation sits (path and method).
 */
export interface EndpointContract {
  document: OpenAPIV3.Document;
  pathTemplate: string;
  method: string;
  serverUrl: string;
  pathParameter: { name: string; schema: OpenAPIV3.SchemaObject; example: string };
  requiresBearerToken: boolean;
  requestMediaType: string;
  requestSchema: OpenAPIV3.SchemaObject;
  requestExamples: Record<string, unknown>;
  successStatus: number;
  responses: Map<number, DeclaredResponse>;
}

/** Reads the run summary operation out of a dereferenced OpenAPI document. */
export function readEndpoint(document: OpenAPIV3.Document): EndpointContract {
  const pathItem = document.paths[runSummaryPath];
  const operation = pathItem?.[runSummaryMethod];
  if (!pathItem || !operation) {
    throw new SuiteError(
      'openapi.operation.missing',
      `The OpenAPI document has no ${runSummaryMethod.toUpperCase()} ${runSummaryPath} operation`,
      `Add the operation under paths['${runSummaryPath}'].${runSummaryMethod}.`,
    );
  }

  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map(dereferenced);
  const pathParameter = parameters.find(
    (parameter): parameter is OpenAPIV3.ParameterObject => isParameter(parameter) && parameter.in === 'path',
  );
  if (!pathParameter) {
    throw new SuiteError(
      'openapi.parameter.missing',
      `${runSummaryPath} declares no path parameter`,
      'Declare the path parameter `id` with `in: path`.',
    );
  }
  const pathParameterSchema = dereferenced<OpenAPIV3.SchemaObject>(pathParameter.schema);
  const pathParameterExample: unknown = pathParameter.example ?? pathParameterSchema?.example;
  if (typeof pathParameterExample !== 'string') {
    throw new SuiteError(
      'openapi.parameter.example-missing',
      `Path parameter '${pathParameter.name}' has no string example`,
      'Give the parameter an `example`; the pact uses it where a provider state supplies no id.',
    );
  }

  const requestBody = dereferenced<OpenAPIV3.RequestBodyObject>(operation.requestBody);
  const [requestMediaType, requestContent] = Object.entries(requestBody?.content ?? {})[0] ?? [];
  if (!requestMediaType || !requestContent?.schema) {
    throw new SuiteError(
      'openapi.request-body.missing',
      `${runSummaryPath} declares no request body schema`,
      'Declare `requestBody.content.application/json.schema`.',
    );
  }

  const responses = new Map<number, DeclaredResponse>();
  for (const [statusText, responseOrRef] of Object.entries(operation.responses ?? {})) {
    const status = Number(statusText);
    if (!Number.isInteger(status)) {
      continue;
    }
    responses.set(status, readResponse(status, dereferenced(responseOrRef) as OpenAPIV3.ResponseObject));
  }
  const successStatus = [...responses.keys()].filter((status) => status >= 200 && status < 300).sort()[0];
  if (successStatus === undefined) {
    throw new SuiteError(
      'openapi.response.success-missing',
      `${runSummaryPath} declares no 2xx response`,
      'Declare the 201 response with its schema.',
    );
  }

  const security = operation.security ?? document.security ?? [];
  const schemes = document.components?.securitySchemes ?? {};
  const requiresBearerToken = security.some((requirement) =>
    Object.keys(requirement).some((name) => {
      const scheme = dereferenced<OpenAPIV3.SecuritySchemeObject>(schemes[name]);
      return scheme?.type === 'http' && scheme.scheme.toLowerCase() === 'bearer';
    }),
  );

  return {
    document,
    pathTemplate: runSummaryPath,
    method: runSummaryMethod.toUpperCase(),
    serverUrl: document.servers?.[0]?.url ?? '',
    pathParameter: {
      name: pathParameter.name,
      schema: pathParameterSchema ?? { type: 'string' },
      example: pathParameterExample,
    },
    requiresBearerToken,
    requestMediaType,
    requestSchema: requestContent.schema as OpenAPIV3.SchemaObject,
    requestExamples: exampleValues(requestContent),
    successStatus,
    responses,
  };
}

/** Returns the declared response for a status, or fails naming the status. */
export function declaredResponse(endpoint: EndpointContract, status: number): DeclaredResponse {
  const response = endpoint.responses.get(status);
  if (!response) {
    throw new SuiteError(
      'openapi.response.missing',
      `${endpoint.method} ${endpoint.pathTemplate} declares no ${status} response`,
      `Declare the ${status} response in the OpenAPI document.`,
    );
  }
  return response;
}

/** Returns the first named example of a request or response, or fails naming what lacks one. */
export function firstExample(examples: Record<string, unknown>, owner: string): unknown {
  const names = Object.keys(examples);
  if (names.length === 0) {
    throw new SuiteError(
      'openapi.example.missing',
      `${owner} has no named example`,
      `Add an entry under \`examples\` of ${owner}; pacts take their values from it.`,
    );
  }
  return examples[names[0]];
}

function readResponse(status: number, response: OpenAPIV3.ResponseObject): DeclaredResponse {
  const [mediaType, content] = Object.entries(response.content ?? {})[0] ?? [];
  const headers: DeclaredResponse['headers'] = {};
  for (const [name, headerOrRef] of Object.entries(response.headers ?? {})) {
    const header = dereferenced(headerOrRef) as OpenAPIV3.HeaderObject;
    headers[name] = {
      required: header.required === true,
      schema: dereferenced<OpenAPIV3.SchemaObject>(header.schema) ?? { type: 'string' },
    };
  }
  return {
    status,
    description: response.description,
    mediaType: mediaType ?? '',
    schema: (content?.schema as OpenAPIV3.SchemaObject | undefined) ?? {},
    examples: content ? exampleValues(content) : {},
    headers,
  };
}

function exampleValues(content: OpenAPIV3.MediaTypeObject): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, exampleOrRef] of Object.entries(content.examples ?? {})) {
    values[name] = (dereferenced(exampleOrRef) as OpenAPIV3.ExampleObject).value;
  }
  if (Object.keys(values).length === 0 && content.example !== undefined) {
    values.example = content.example;
  }
  return values;
}

function isParameter(value: unknown): value is OpenAPIV3.ParameterObject {
  return typeof value === 'object' && value !== null && 'in' in value && 'name' in value;
}

/**
 * Narrows a value that may be a reference object. The loader dereferences the
 * document, so a `$ref` left here means the document was not loaded through it.
 */
function dereferenced<T>(value: T | OpenAPIV3.ReferenceObject | undefined): T | undefined {
  if (value && typeof value === 'object' && '$ref' in value) {
    throw new SuiteError(
      'openapi.reference.unresolved',
      `Unresolved reference ${(value).$ref}`,
      'Load the document with loadOpenApi(), which dereferences it.',
    );
  }
  return value;
}
