import { MatchersV3 } from '@pact-foundation/pact';
import type { OpenAPIV3 } from 'openapi-types';

/**
 * RFC 3339 date-time with an offset, as Graph sends it (up to seven
 * fractional digits, `Z` or `±hh:mm`). Used when a date-time schema has no
 * `pattern` of its own. Pact's ISO 8601 matchers reject some of Graph's forms,
 * so a regex is the portable choice.
 */
export const rfc3339Pattern =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$';

/** Escapes a literal for use inside a regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Turns a schema and an example value into Pact matchers. Only the members a
 * schema requires are kept in objects, because Pact fails a response that
 * lacks any member the pact shows, while optional members may be absent.
 * Nullable members are left out of responses too: Pact has no "null or this
 * pattern" matcher, so a pattern would reject a valid null.
 * Pact checks types and patterns only; Int32 ranges, real calendar dates and
 * the rest are left to the schema check that runs beside the verifier.
 */
export function matcherFor(schema: OpenAPIV3.SchemaObject, example: unknown, keep: 'required' | 'present' = 'required'): unknown {
  if (example === null) {
    return null;
  }

  if (schema.type === 'object' || schema.properties) {
    return objectMatcher(schema, example, keep);
  }
  if (schema.type === 'array') {
    const items = (schema.items ?? {}) as OpenAPIV3.SchemaObject;
    const first: unknown = Array.isArray(example) ? example[0] : undefined;
    return MatchersV3.eachLike(matcherFor(items, first, keep));
  }
  if (schema.type === 'integer') {
    return MatchersV3.integer(example as number);
  }
  if (schema.type === 'number') {
    return MatchersV3.number(example as number);
  }
  if (schema.type === 'boolean') {
    return MatchersV3.boolean(example as boolean);
  }
  if (schema.type === 'string') {
    return stringMatcher(schema, example as string);
  }
  return MatchersV3.like(example);
}

function objectMatcher(schema: OpenAPIV3.SchemaObject, example: unknown, keep: 'required' | 'present'): unknown {
  if (typeof example !== 'object' || example === null || Array.isArray(example)) {
    return MatchersV3.like(example);
  }
  const required = new Set(schema.required ?? []);
  const properties = schema.properties ?? {};
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(example)) {
    const propertySchema = properties[name] as OpenAPIV3.SchemaObject | undefined;
    const kept = keep === 'present' || (required.has(name) && propertySchema?.nullable !== true);
    if (!kept) {
      continue;
    }
    result[name] = propertySchema ? matcherFor(propertySchema, value, keep) : MatchersV3.like(value);
  }
  return result;
}

function stringMatcher(schema: OpenAPIV3.SchemaObject, example: string): unknown {
  if (schema.enum && schema.enum.length > 0) {
    const alternatives = schema.enum.map((value) => escapeRegex(String(value))).join('|');
    return MatchersV3.regex(`^(${alternatives})$`, example);
  }
  if (schema.format === 'date-time') {
    return MatchersV3.regex(schema.pattern ?? rfc3339Pattern, example);
  }
  if (schema.pattern) {
    return MatchersV3.regex(schema.pattern, example);
  }
  return MatchersV3.string(example);
}
