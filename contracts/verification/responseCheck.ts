import type { OpenAPIV3 } from 'openapi-types';
import type { EndpointContract } from '../spec/endpoint';
import { type ErrorObject, schemaErrors } from '../spec/schemaValidator';
import { type Finding, showValue } from './findings';

/** A response as it came back from the provider. Header names may be in any case. */
export interface ObservedResponse {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
}

/**
 * Checks a provider's response against the OpenAPI, more strictly than Pact
 * can: the status must be declared, the media type must match (parameters
 * allowed, any case), and the body must satisfy the schema of that status,
 * Int32 ranges and real calendar date-times included. Header names compare
 * case-insensitively, as HTTP defines them.
 *
 * Finding codes: `response.status.undeclared`,
 * `response.header.content-type.missing|mismatch`,
 * `response.header.missing|invalid`, `response.body.missing|not-json|type`,
 * `response.body.<top-level member>.missing|type|null` (such as
 * `response.body.value.missing` and `response.body.error.type`),
 * `response.body.odata-type.mismatch`, and
 * `response.body.member.missing|type|null|range|format|enum|unknown|empty|invalid`
 * for members deeper down.
 */
export function checkResponse(endpoint: EndpointContract, interaction: string, response: ObservedResponse): Finding[] {
  const finding = (code: string, location: string, expected: string, actual: string): Finding => ({
    code,
    interaction,
    location,
    expected,
    actual,
    source: 'schema',
  });

  const declared = endpoint.responses.get(response.status);
  if (!declared) {
    const statuses = [...endpoint.responses.keys()].join(', ');
    return [finding('response.status.undeclared', 'status', `one of ${statuses}`, String(response.status))];
  }

  const findings: Finding[] = [];
  const headers = lowerCaseNames(response.headers);
  const contentType = headers['content-type'];
  if (declared.mediaType) {
    if (contentType === undefined) {
      findings.push(finding('response.header.content-type.missing', 'header.content-type', declared.mediaType, '(absent)'));
    } else if (mediaTypeOf(contentType) !== declared.mediaType.toLowerCase()) {
      findings.push(finding('response.header.content-type.mismatch', 'header.content-type', `${declared.mediaType} (parameters allowed)`, showValue(contentType)));
    }
  }

  for (const [name, header] of Object.entries(declared.headers)) {
    const value = headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) {
        findings.push(finding('response.header.missing', `header.${name.toLowerCase()}`, 'present', '(absent)'));
      }
      continue;
    }
    const typed = header.schema.type === 'integer' || header.schema.type === 'number' ? Number(value) : value;
    if (schemaErrors(header.schema, typed).length > 0 || (typeof typed === 'number' && Number.isNaN(typed))) {
      findings.push(finding('response.header.invalid', `header.${name.toLowerCase()}`, describeSchema(header.schema), showValue(value)));
    }
  }

  if (Object.keys(declared.schema).length === 0) {
    return findings;
  }
  if (response.bodyText.trim().length === 0) {
    findings.push(finding('response.body.missing', '$', `a JSON body that matches the ${response.status} schema`, '(empty)'));
    return findings;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.bodyText);
  } catch {
    findings.push(finding('response.body.not-json', '$', 'a JSON document', showValue(response.bodyText)));
    return findings;
  }

  const seen = new Set<string>();
  for (const error of schemaErrors(declared.schema, body)) {
    const mapped = mapSchemaError(error);
    const key = `${mapped.code} ${mapped.location}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    findings.push(finding(mapped.code, mapped.location, mapped.expected, mapped.actual));
  }
  return findings;
}

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    lowered[name.toLowerCase()] = value;
  }
  return lowered;
}

/** Returns the media type of a Content-Type value without its parameters, in lower case. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function mapSchemaError(error: ErrorObject): { code: string; location: string; expected: string; actual: string } {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const location = jsonPath(segments);
  const schema = (error.parentSchema ?? {}) as OpenAPIV3.SchemaObject;
  const actual = showValue(error.data);

  // An OData type annotation names the entity type. So any error on it, wrong
  // type or wrong value, means the body claims to be another entity.
  if (segments[segments.length - 1] === '@odata.type') {
    return { code: 'response.body.odata-type.mismatch', location, expected: describeSchema(schema), actual };
  }

  switch (error.keyword) {
    case 'required': {
      const member = String(error.params.missingProperty);
      const code = segments.length === 0 ? `response.body.${member}.missing` : 'response.body.member.missing';
      return { code, location: jsonPath([...segments, member]), expected: `member "${member}" present`, actual: '(absent)' };
    }
    case 'type': {
      return { code: typeCode(segments, error.data), location, expected: describeSchema(schema), actual };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { code: 'response.body.member.range', location, expected: describeSchema(schema), actual };
    case 'format':
      // int32 and int64 are ranges of whole numbers, not text formats. So 2.5
      // is reported as a type error and 2147483648 as a range error, and the
      // duplicate of Ajv's own type or range error is dropped below.
      if (schema.format === 'int32' || schema.format === 'int64') {
        const code = Number.isInteger(error.data) ? 'response.body.member.range' : typeCode(segments, error.data);
        return { code, location, expected: describeSchema(schema), actual };
      }
      return { code: 'response.body.member.format', location, expected: describeSchema(schema), actual };
    case 'pattern':
      return { code: 'response.body.member.format', location, expected: describeSchema(schema), actual };
    case 'enum':
      return { code: 'response.body.member.enum', location, expected: describeSchema(schema), actual };
    case 'additionalProperties': {
      const member = String(error.params.additionalProperty);
      return { code: 'response.body.member.unknown', location: jsonPath([...segments, member]), expected: 'no members beyond the schema', actual: `member "${member}"` };
    }
    case 'minLength':
      return { code: 'response.body.member.empty', location, expected: describeSchema(schema), actual };
    default:
      return { code: 'response.body.member.invalid', location, expected: `${error.keyword}: ${error.message ?? ''}`, actual };
  }
}

function typeCode(segments: string[], data: unknown): string {
  if (segments.length === 0) {
    return 'response.body.type';
  }
  if (segments.length === 1) {
    return `response.body.${segments[0]}.${data === null ? 'null' : 'type'}`;
  }
  return data === null ? 'response.body.member.null' : 'response.body.member.type';
}

function jsonPath(segments: string[]): string {
  return segments.reduce((path, segment) => (/^[A-Za-z_$][\w$]*$/.test(segment) ? `${path}.${segment}` : `${path}[${JSON.stringify(segment)}]`), '$');
}

/** Describes what a schema accepts, for the expected side of a finding. */
export function describeSchema(schema: OpenAPIV3.SchemaObject): string {
  const parts: string[] = [String(schema.type ?? 'any')];
  if (schema.format) {
    parts.push(`(${schema.format})`);
  }
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    parts.push(`from ${schema.minimum ?? '-∞'} to ${schema.maximum ?? '∞'}`);
  }
  if (schema.enum) {
    parts.push(`one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`);
  }
  if (schema.pattern && schema.format !== 'date-time') {
    parts.push(`matching ${schema.pattern}`);
  }
  if (schema.format === 'date-time') {
    parts.push('with an offset, a real calendar date and time');
  }
  if (schema.minLength !== undefined) {
    parts.push(`at least ${schema.minLength} characters`);
  }
  if (schema.nullable) {
    parts.push('or null');
  }
  return parts.join(' ');
}
