import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { version as parserVersion } from '@apidevtools/swagger-parser/package.json';
import type { OpenAPI, OpenAPIV3 } from 'openapi-types';
import { SuiteError, messageOf } from '../errors';

/** The endpoint description that the whole suite is derived from. */
export const defaultOpenApiPath = path.resolve(__dirname, '..', '..', 'openapi', 'runSummary.openapi.yaml');

/**
 * Folder of markers for documents that passed validation. Validating against
 * the OpenAPI schema takes about 0.15 s, most of a verify run's own work, and
 * a document whose bytes have not changed cannot have become invalid.
 */
export const validationCacheDirectory = path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'runsummary-contract', 'openapi');

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
  const marker = validationMarkerPath(absolutePath);
  try {
    // validate() also dereferences. Circular references stay as $ref objects,
    // so they can be reported below instead of recursing without end later.
    const options = { dereference: { circular: 'ignore' as const } };
    document = existsSync(marker) ? await parser.dereference(absolutePath, options) : await parser.validate(absolutePath, options);
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
  const narrowed = narrowToOpenApi3(document, absolutePath);
  rememberValid(marker, parser);
  return narrowed;
}

/** Returns where the marker for the document's current bytes lives, whether or not it exists. */
export function validationMarkerPath(filePath: string): string {
  const digest = createHash('sha256').update(parserVersion).update('\0').update(readFileSync(filePath)).digest('hex');
  return path.join(validationCacheDirectory, `${digest}.valid`);
}

/**
 * Writes the marker of a document that passed validation. A document that
 * pulls in other files is not marked, because its own bytes do not cover theirs.
 */
function rememberValid(marker: string, parser: SwaggerParser): void {
  if (existsSync(marker) || parser.$refs.paths().length !== 1) {
    return;
  }
  try {
    mkdirSync(path.dirname(marker), { recursive: true });
    writeFileSync(marker, '');
  } catch {
    // A read-only node_modules only costs the next run the validation.
  }
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
