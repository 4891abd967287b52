import { existsSync, readFileSync } from 'node:fs';
import { SuiteError, messageOf } from '../errors';

/** The parts of a Pact V4 HTTP interaction the suite reads. */
export interface PactInteraction {
  description: string;
  type?: string;
  providerStates?: { name: string; params?: Record<string, unknown> }[];
  request: { method: string; path: string; headers?: Record<string, string[] | string>; body?: unknown };
  response: { status: number; headers?: Record<string, string[] | string>; body?: unknown };
}

export interface PactDocument {
  consumer: { name: string };
  provider: { name: string };
  interactions: PactInteraction[];
  metadata?: Record<string, unknown>;
}

/**
 * Reads a pact file and checks the structure the verifier and the schema
 * check rely on, so a broken file gives one message naming the file and the
 * member at fault instead of an error from deep inside Pact.
 */
export function readPactFile(filePath: string): PactDocument {
  const hint = 'Regenerate it with `npm run pact:update`, or pass the path of a valid Pact V4 file with --pact.';
  if (!existsSync(filePath)) {
    throw new SuiteError('pact.not-found', `Pact file not found: ${filePath}`, hint);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new SuiteError('pact.invalid-json', `Pact file ${filePath} is not valid JSON: ${messageOf(error)}`, hint, { cause: error });
  }

  const problem = structuralProblem(parsed);
  if (problem) {
    throw new SuiteError('pact.invalid', `Pact file ${filePath} is not a usable pact: ${problem}`, hint);
  }
  return parsed as PactDocument;
}

function structuralProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'the top level is not a JSON object';
  }
  const pact = value as Record<string, unknown>;
  for (const party of ['consumer', 'provider']) {
    const name = (pact[party] as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name.length === 0) {
      return `"${party}.name" is missing`;
    }
  }
  if (!Array.isArray(pact.interactions)) {
    return '"interactions" is missing or not an array';
  }
  if (pact.interactions.length === 0) {
    return '"interactions" is empty';
  }
  const version = (pact.metadata as { pactSpecification?: { version?: unknown } } | undefined)?.pactSpecification?.version;
  if (typeof version === 'string' && Number.parseInt(version, 10) < 3) {
    // Provider-state parameters and the generator that puts the script id into the path need V3 or later.
    return `it is a Pact ${version} file, but provider-state parameters need Pact V3 or V4`;
  }
  const descriptions = new Set<string>();
  for (const [index, interaction] of pact.interactions.entries()) {
    const item = interaction as Record<string, unknown> | null;
    const where = `interactions[${index}]`;
    if (typeof item !== 'object' || item === null) {
      return `${where} is not an object`;
    }
    if (typeof item.description !== 'string') {
      return `${where}.description is missing`;
    }
    // Pact reports results by description, so two equal ones would share their findings.
    if (descriptions.has(item.description)) {
      return `${where}.description ${JSON.stringify(item.description)} is used twice`;
    }
    descriptions.add(item.description);
    if (typeof item.type === 'string' && item.type !== 'Synchronous/HTTP') {
      return `${where} is a ${item.type} interaction, but this suite verifies HTTP interactions only`;
    }
    const request = item.request as Record<string, unknown> | undefined;
    const response = item.response as Record<string, unknown> | undefined;
    if (typeof request?.method !== 'string' || typeof request.path !== 'string') {
      return `${where}.request needs a method and a path`;
    }
    if (typeof response?.status !== 'number' || !Number.isInteger(response.status)) {
      return `${where}.response.status is missing or not an integer`;
    }
  }
  return undefined;
}
