import { MatchersV3 } from '@pact-foundation/pact';
import type { OpenAPIV3 } from 'openapi-types';
import { SuiteError } from '../errors';
import { type EndpointContract, declaredResponse, firstExample } from '../spec/endpoint';
import { type ProviderStateName, ProviderStates, placeholderToken, scriptIdParameter } from './contractNames';
import { escapeRegex, matcherFor } from './matchers';

export { consumerName, placeholderToken, type ProviderStateName, ProviderStates, providerName, scriptIdParameter } from './contractNames';

export type InteractionKey = 'create' | 'missingToken' | 'wrongType' | 'unknownMember' | 'unknownScript';

/** One interaction of the pact, in the form the consumer test and docs use. */
export interface ContractInteraction {
  key: InteractionKey;
  description: string;
  providerState: { name: ProviderStateName; params: Record<string, string> };
  request: {
    method: string;
    /** Pact expression with `${scriptId}`, filled from the provider state. */
    pathExpression: string;
    pathExample: string;
    sendsToken: boolean;
    headers: Record<string, unknown>;
    /** The body with Pact matchers, as the pact records it. */
    body: unknown;
    /** The body the consumer actually sends. */
    plainBody: unknown;
  };
  response: {
    status: number;
    headers: Record<string, unknown>;
    body: unknown;
  };
}

/**
 * Derives the pact's interactions from the endpoint description. Change a
 * schema or an example in the OpenAPI and the pact follows with no hand edit.
 */
export function buildInteractions(endpoint: EndpointContract): ContractInteraction[] {
  const requestExample = firstExample(endpoint.requestExamples, `the request body of ${endpoint.method} ${endpoint.pathTemplate}`);
  const scriptId = endpoint.pathParameter.example;
  const pathExpression = endpoint.pathTemplate.replace(`{${endpoint.pathParameter.name}}`, `\${${scriptIdParameter}}`);
  const pathFor = (id: string): string => endpoint.pathTemplate.replace(`{${endpoint.pathParameter.name}}`, id);

  const requestHeaders = (sendsToken: boolean): Record<string, unknown> => {
    const headers: Record<string, unknown> = {
      'Content-Type': MatchersV3.regex(mediaTypePattern(endpoint.requestMediaType), endpoint.requestMediaType),
    };
    if (sendsToken && endpoint.requiresBearerToken) {
      headers.Authorization = MatchersV3.regex('^Bearer \\S+$', `Bearer ${placeholderToken}`);
    }
    return headers;
  };

  const request = (sendsToken: boolean, plainBody: unknown, body: unknown, id = scriptId): ContractInteraction['request'] => ({
    method: endpoint.method,
    pathExpression,
    pathExample: pathFor(id),
    sendsToken,
    headers: requestHeaders(sendsToken),
    body,
    plainBody,
  });

  const existing = { name: ProviderStates.scriptExists, params: { [scriptIdParameter]: scriptId } };
  const wrongTypeBody = withWrongType(endpoint.requestSchema, requestExample);
  const unknownMemberBody = withUnknownMember(endpoint.requestSchema, requestExample);
  const missingScriptId = 'a1b2c3d4-0000-4000-8000-000000000000';

  return [
    {
      key: 'create',
      description: 'a request to create the run summary of a device health script',
      providerState: existing,
      request: request(true, requestExample, matcherFor(endpoint.requestSchema, requestExample, 'present')),
      response: expectedResponse(endpoint, endpoint.successStatus),
    },
    {
      key: 'missingToken',
      description: 'a request to create a run summary without a bearer token',
      providerState: existing,
      request: request(false, requestExample, matcherFor(endpoint.requestSchema, requestExample, 'present')),
      response: expectedResponse(endpoint, 401),
    },
    {
      key: 'wrongType',
      description: 'a request to create a run summary with a count sent as a string',
      providerState: existing,
      // The wrong-typed body is kept literal: a type matcher would hide the fault.
      request: request(true, wrongTypeBody, wrongTypeBody),
      response: expectedResponse(endpoint, 400),
    },
    {
      key: 'unknownMember',
      description: 'a request to create a run summary with a member the schema does not define',
      providerState: existing,
      // Literal for the same reason: the misspelled member is the point of the request.
      request: request(true, unknownMemberBody, unknownMemberBody),
      response: expectedResponse(endpoint, 400),
    },
    {
      key: 'unknownScript',
      description: 'a request to create the run summary of a device health script that does not exist',
      providerState: {
        name: ProviderStates.scriptMissing,
        params: { [scriptIdParameter]: missingScriptId },
      },
      request: request(true, requestExample, matcherFor(endpoint.requestSchema, requestExample, 'present'), missingScriptId),
      response: expectedResponse(endpoint, 404),
    },
  ];
}

/**
 * Matches a media type with any parameters after it, such as OData's. Media
 * types compare case-insensitively (RFC 9110), hence Rust regex's `(?i)` flag.
 */
export function mediaTypePattern(mediaType: string): string {
  return `(?i)^${escapeRegex(mediaType)}(\\s*;.*)?$`;
}

function expectedResponse(endpoint: EndpointContract, status: number): ContractInteraction['response'] {
  const declared = declaredResponse(endpoint, status);
  const example = firstExample(declared.examples, `the ${status} response`);
  return {
    status,
    headers: { 'Content-Type': MatchersV3.regex(mediaTypePattern(declared.mediaType), declared.mediaType) },
    body: matcherFor(declared.schema, example, 'required'),
  };
}

/**
 * Copies the example with its first required Int32 member replaced by the
 * string "Int32", the placeholder Microsoft's docs page shows as a value.
 */
function withWrongType(schema: OpenAPIV3.SchemaObject, example: unknown): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const target = (schema.required ?? []).find((name) => (properties[name] as OpenAPIV3.SchemaObject | undefined)?.type === 'integer');
  if (!target || typeof example !== 'object' || example === null) {
    throw new SuiteError(
      'openapi.request-body.no-integer',
      'The request body schema has no required integer member to send with a wrong type',
      'Keep at least one required Int32 count in the request body schema.',
    );
  }
  return { ...(example as Record<string, unknown>), [target]: 'Int32' };
}

/**
 * Copies the example with one extra member: the first Int32 count's name in
 * the plural, a typo a client could make and a provider must reject rather
 * than drop silently.
 */
function withUnknownMember(schema: OpenAPIV3.SchemaObject, example: unknown): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const base = Object.keys(properties).find((name) => (properties[name] as OpenAPIV3.SchemaObject | undefined)?.type === 'integer');
  const misspelled = `${base ?? 'count'}s`;
  if (misspelled in properties || schema.additionalProperties !== false) {
    throw new SuiteError(
      'openapi.request-body.open',
      'The request body schema accepts unknown members, so no request can show that the provider rejects them',
      'Set `additionalProperties: false` on the request body schema.',
    );
  }
  return { ...(example as Record<string, unknown>), [misspelled]: 1 };
}
