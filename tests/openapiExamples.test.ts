// Every example in the OpenAPI must satisfy its own schema. The pacts, the
// docs and the reference provider take their values from these examples, so
// a placeholder such as the string "Int32" in place of a count would spread
// into all of them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { parse, stringify } from 'yaml';
import { defaultOpenApiPath, loadOpenApi } from '../contracts/spec/loadOpenApi';
import { schemaErrors } from '../contracts/spec/schemaValidator';

/** One example and the schema it must satisfy, with its JSON Pointer in the document. */
interface ExampleSite {
  location: string;
  schema: OpenAPIV3.SchemaObject;
  value: unknown;
}

const operationMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const runSummaryPointer = '#/paths/~1deviceManagement~1deviceHealthScripts~1{id}~1runSummary';
const runSummaryPost = ['paths', '/deviceManagement/deviceHealthScripts/{id}/runSummary', 'post'];

function pointer(base: string, ...segments: string[]): string {
  return [base, ...segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1'))].join('/');
}

/**
 * Collects every example of a dereferenced OpenAPI 3.0 document: those of
 * media types, parameters and headers, and the `example` of every schema and
 * subschema, under components and under paths. Dereferencing shares one
 * object between a component and each place that refers to it, so each
 * object is visited once, and components go first to report the place where
 * an author writes the example.
 */
function collectExamples(document: OpenAPIV3.Document): ExampleSite[] {
  const sites: ExampleSite[] = [];
  const visited = new Set<object>();
  const components = document.components ?? {};
  const componentSchemas = new Set<object>(Object.values(components.schemas ?? {}));

  const fromSchema = (schema: OpenAPIV3.SchemaObject | undefined, location: string, isComponent = false): void => {
    // A component schema reached through a property is visited at its own name instead.
    if (!schema || visited.has(schema) || (componentSchemas.has(schema) && !isComponent)) {
      return;
    }
    visited.add(schema);
    if (schema.example !== undefined) {
      sites.push({ location: pointer(location, 'example'), schema, value: schema.example });
    }
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      fromSchema(property as OpenAPIV3.SchemaObject, pointer(location, 'properties', name));
    }
    if ('items' in schema) {
      fromSchema(schema.items as OpenAPIV3.SchemaObject, pointer(location, 'items'));
    }
    if (typeof schema.additionalProperties === 'object') {
      fromSchema(schema.additionalProperties as OpenAPIV3.SchemaObject, pointer(location, 'additionalProperties'));
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      (schema[keyword] ?? []).forEach((part, index) => fromSchema(part as OpenAPIV3.SchemaObject, pointer(location, keyword, String(index))));
    }
  };

  // Parameters, headers and media types share this shape: a schema beside `example` or `examples`.
  const fromHolder = (
    holder: { schema?: unknown; example?: unknown; examples?: Record<string, unknown> },
    location: string,
  ): void => {
    const schema = holder.schema as OpenAPIV3.SchemaObject | undefined;
    if (!schema || visited.has(holder)) {
      return;
    }
    visited.add(holder);
    if (holder.example !== undefined) {
      sites.push({ location: pointer(location, 'example'), schema, value: holder.example });
    }
    for (const [name, example] of Object.entries(holder.examples ?? {})) {
      sites.push({ location: pointer(location, 'examples', name), schema, value: (example as OpenAPIV3.ExampleObject).value });
    }
    fromSchema(schema, pointer(location, 'schema'));
  };

  const fromResponse = (response: OpenAPIV3.ResponseObject, location: string): void => {
    for (const [mediaType, content] of Object.entries(response.content ?? {})) {
      fromHolder(content, pointer(location, 'content', mediaType));
    }
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      fromHolder(header as OpenAPIV3.HeaderObject, pointer(location, 'headers', name));
    }
  };

  for (const [name, schema] of Object.entries(components.schemas ?? {})) {
    fromSchema(schema as OpenAPIV3.SchemaObject, pointer('#/components/schemas', name), true);
  }
  for (const [name, parameter] of Object.entries(components.parameters ?? {})) {
    fromHolder(parameter as OpenAPIV3.ParameterObject, pointer('#/components/parameters', name));
  }
  for (const [name, header] of Object.entries(components.headers ?? {})) {
    fromHolder(header as OpenAPIV3.HeaderObject, pointer('#/components/headers', name));
  }
  for (const [name, response] of Object.entries(components.responses ?? {})) {
    fromResponse(response as OpenAPIV3.ResponseObject, pointer('#/components/responses', name));
  }

  for (const [pathName, pathItem] of Object.entries(document.paths)) {
    const pathLocation = pointer('#/paths', pathName);
    (pathItem?.parameters ?? []).forEach((parameter, index) => fromHolder(parameter as OpenAPIV3.ParameterObject, pointer(pathLocation, 'parameters', String(index))));
    for (const method of operationMethods) {
      const operation = pathItem?.[method];
      if (!operation) {
        continue;
      }
      const location = pointer(pathLocation, method);
      (operation.parameters ?? []).forEach((parameter, index) => fromHolder(parameter as OpenAPIV3.ParameterObject, pointer(location, 'parameters', String(index))));
      const requestBody = operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
      for (const [mediaType, content] of Object.entries(requestBody?.content ?? {})) {
        fromHolder(content, pointer(location, 'requestBody', 'content', mediaType));
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        fromResponse(response as OpenAPIV3.ResponseObject, pointer(location, 'responses', status));
      }
    }
  }
  return sites;
}

/** Returns one line per example that breaks its schema: where, which member, and why. */
function exampleProblems(document: OpenAPIV3.Document): string[] {
  return collectExamples(document).flatMap((site) =>
    schemaErrors(site.schema, site.value).map((error) => `${site.location}: ${error.instancePath || '/'} ${error.message ?? error.keyword}`),
  );
}

/**
 * Loads a copy of the committed OpenAPI with the member at `segments` of its
 * parsed YAML set to `value`. A path that does not exist fails, so a broken
 * copy can never silently equal the original.
 */
async function loadEditedCopy(segments: string[], value: unknown): Promise<OpenAPIV3.Document> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'openapi-examples-'));
  try {
    const document: unknown = parse(readFileSync(defaultOpenApiPath, 'utf8'));
    let parent = document;
    for (const segment of segments.slice(0, -1)) {
      parent = (parent as Record<string, unknown> | undefined)?.[segment];
    }
    const member = segments[segments.length - 1] ?? '';
    if (typeof parent !== 'object' || parent === null || !(member in parent)) {
      throw new Error(`The committed OpenAPI has no member at ${segments.join(' > ')}`);
    }
    (parent as Record<string, unknown>)[member] = value;
    const copyPath = path.join(directory, 'runSummary.openapi.yaml');
    writeFileSync(copyPath, stringify(document));
    return await loadOpenApi(copyPath);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('OpenAPI examples', () => {
  it('all validate against their schemas', async () => {
    const document = await loadOpenApi();

    expect(exampleProblems(document)).toEqual([]);
  });

  it('include every example the pacts and docs use', async () => {
    const locations = collectExamples(await loadOpenApi()).map((site) => site.location);

    expect(locations).toContain(`${runSummaryPointer}/post/requestBody/content/application~1json/examples/weeklyFleetRun`);
    expect(locations).toContain(`${runSummaryPointer}/post/requestBody/content/application~1json/examples/notYetRun`);
    expect(locations).toContain(`${runSummaryPointer}/post/responses/201/content/application~1json/examples/weeklyFleetRun`);
    expect(locations).toContain('#/components/responses/BadRequest/content/application~1json/examples/countAsString');
    expect(locations).toContain('#/components/headers/Retry-After/example');
    expect(locations).toContain('#/components/parameters/deviceHealthScriptId/example');
    expect(locations).toContain('#/components/schemas/issueDetectedDeviceCount/example');
  });

  it('reject a count written as "Int32"', async () => {
    const broken = await loadEditedCopy(
      [...runSummaryPost, 'requestBody', 'content', 'application/json', 'examples', 'weeklyFleetRun', 'value', 'detectionScriptErrorDeviceCount'],
      'Int32',
    );

    expect(exampleProblems(broken)).toEqual([
      `${runSummaryPointer}/post/requestBody/content/application~1json/examples/weeklyFleetRun: /detectionScriptErrorDeviceCount must be integer`,
    ]);
  });

  it('reject an impossible date in a response example', async () => {
    const broken = await loadEditedCopy(
      [...runSummaryPost, 'responses', '201', 'content', 'application/json', 'examples', 'weeklyFleetRun', 'value', 'value', 'lastScriptRunDateTime'],
      '2026-13-45T99:00:00Z',
    );

    expect(exampleProblems(broken)).toEqual([
      `${runSummaryPointer}/post/responses/201/content/application~1json/examples/weeklyFleetRun: /value/lastScriptRunDateTime must match format "date-time"`,
    ]);
  });

  it('reject a schema example outside Int32', async () => {
    const broken = await loadEditedCopy(['components', 'schemas', 'issueDetectedDeviceCount', 'example'], 2147483648);

    expect(exampleProblems(broken)).toEqual([
      '#/components/schemas/issueDetectedDeviceCount/example: / must be <= 2147483647',
      '#/components/schemas/issueDetectedDeviceCount/example: / must match format "int32"',
    ]);
  });
});
