import { existsSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI, OpenAPIV3 } from 'openapi-types';
import { SuiteError, messageOf } from '../errors';

/** The endpoint description that the whole suite is derived from. */
export const defaultOpenApiPath = path.resolve(__dirname, '..', '..', 'openapi', 'runSummary.openapi.yaml');

/**
 * Loads an OpenAPI document: parses it, validates it against the OpenAPI
 * schema, dereferences every `$ref`, and narrows it to OpenAPI 3.0.
 * Every failure becomes a SuiteError that names the file and the problem.
 */
export async function loadOpenApi(filePath: string = defaultOpenApiPath): Promise<OpenAPIV3.Document> {
  const absolutePath = path.resolve(filePath);
  if (!existsSync(absolutePath)) {
    throw new SuiteError(
      'openapi.not-found',
      `OpenAPI document not found: ${absolutePath}`,
      'Check the path; the suite\'s own document is openapi/runSummary.openapi.yaml.',
    );
  }

  let document: OpenAPI.Document;
  const parser = new SwaggerParser();
  try {
    // validate() also dereferences. Circular references stay as $ref objects,
    // so they can be reported below instead of recursing without end later.
    document = await parser.validate(absolutePath, { dereference: { circular: 'ignore' } });
  } catch (error) {
    throw new SuiteError(
      'openapi.invalid',
      `OpenAPI document ${absolutePath} is invalid: ${firstLine(messageOf(error))}`,
      'Fix the document at the location given above, then check it with `npx redocly lint`.',
      { cause: error },
    );
  }

  if (parser.$refs.circular) {
    throw new SuiteError(
      'openapi.circular-reference',
      `OpenAPI document ${absolutePath} has a circular $ref, which this suite cannot turn into pact matchers or schema checks`,
      'Break the cycle, for example by inlining one level of the recursive schema.',
    );
  }
  return narrowToOpenApi3(document, absolutePath);
}

function narrowToOpenApi3(document: OpenAPI.Document, absolutePath: string): OpenAPIV3.Document {
  const version = (document as { openapi?: unknown }).openapi;
  if (typeof version !== 'string' || !version.startsWith('3.0.')) {
    throw new SuiteError(
      'openapi.unsupported-version',
      `OpenAPI document ${absolutePath} declares version ${JSON.stringify(version ?? (document as { swagger?: unknown }).swagger)}, but this suite reads OpenAPI 3.0.x only`,
      'Convert the document to OpenAPI 3.0 (for example with swagger2openapi) and set `openapi: 3.0.3`.',
    );
  }
  return document as OpenAPIV3.Document;
}

function firstLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  // Swagger-parser puts the summary first and the detailed findings after it;
  // keep up to three lines so the location survives without flooding the output.
  return lines.slice(0, 3).join(' ');
}
