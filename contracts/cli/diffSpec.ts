// Compares two versions of the OpenAPI document and reports, for each change,
// whether it breaks consumers (clients written against the old version) or
// providers (servers that implement the old version). A change to a request
// hurts the side that sends it when it narrows what is allowed, and the side
// that receives it when it widens what is allowed; a response is the reverse.
// Exit codes: 0 no breaking change, 1 a breaking change, 2 the run could not happen.
import { isDeepStrictEqual } from 'node:util';
import { apiCompare } from 'api-smart-diff';
import type { OpenAPIV3 } from 'openapi-types';
import { describeFailure, ExitCode, SuiteError } from '../errors';
import { parseCommandArguments } from './options';
import { loadOpenApi } from '../spec/loadOpenApi';

export type ChangeKind =
  | 'path.removed'
  | 'path.added'
  | 'operation.removed'
  | 'operation.added'
  | 'status.removed'
  | 'status.added'
  | 'media-type.removed'
  | 'media-type.added'
  | 'member.removed'
  | 'member.added'
  | 'member.renamed'
  | 'required.added'
  | 'required.removed'
  | 'type.changed'
  | 'format.changed'
  | 'enum.narrowed'
  | 'enum.widened'
  | 'nullable.removed'
  | 'nullable.added'
  | 'constraint.tightened'
  | 'constraint.loosened'
  | 'parameter.removed'
  | 'parameter.added'
  | 'header.removed'
  | 'header.added'
  | 'security.changed'
  | 'annotation'
  | 'other';

/** The message of the exchange a change touches. */
export type ChangeSide = 'request' | 'response' | 'operation' | 'document';

export interface SpecChange {
  kind: ChangeKind;
  side: ChangeSide;
  /** Location of the change, such as `POST /scripts/{id} response 201 $.value.count`. */
  location: string;
  /** Description of the change, with the old and the new value where there is one. */
  detail: string;
  breaking: { consumers: boolean; providers: boolean };
  /** api-smart-diff's own verdict, which judges consumers only, for comparison. */
  library: { type: string; description: string };
}

export type FailOn = 'any' | 'consumers' | 'providers';

interface LibraryDiff {
  type: string;
  action: 'add' | 'remove' | 'replace' | 'rename';
  path: (string | number)[];
  before?: unknown;
  after?: unknown;
  description?: string;
}

/** A change before renames are merged; it keeps the removed or added value to compare. */
type RawChange = SpecChange & { library: { beforeOrAfter?: unknown } };

/** Position of a diff: the operation, the message side, and the schema inside it if any. */
interface DiffContext {
  operation: string;
  side: ChangeSide;
  /** Location of the enclosing message part, such as `request body` or `response 201`. */
  part: string;
  /** Path segments from the document root to the part (the media type, parameter or header object). */
  partPath: (string | number)[];
  /** Segments after the part. */
  rest: (string | number)[];
}

const httpMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const annotationKeywords = new Set(['description', 'summary', 'example', 'examples', 'title', 'externalDocs', 'tags', 'operationId', 'deprecated', 'xml']);
const upperBounds = new Set(['maximum', 'maxLength', 'maxItems', 'maxProperties']);
const lowerBounds = new Set(['minimum', 'minLength', 'minItems', 'minProperties']);
const otherConstraints = new Set(['pattern', 'multipleOf', 'uniqueItems', 'exclusiveMaximum', 'exclusiveMinimum', 'additionalProperties']);

/**
 * Lists the changes from `before` to `after`, each classified for consumers
 * and for providers. api-smart-diff finds the changes and resolves shared
 * schemas to every place that uses them. Its verdict covers consumers only
 * and calls some response changes (a type change, for one) non-breaking, so
 * the classification here is the suite's own, with the library's kept
 * beside it.
 */
export function compareDocuments(before: OpenAPIV3.Document, after: OpenAPIV3.Document): SpecChange[] {
  const { diffs } = apiCompare(before, after) as { diffs: LibraryDiff[] };
  const changes: RawChange[] = [];
  // Enum and required lists change item by item; they are judged once per schema.
  const listsSeen = new Set<string>();

  for (const diff of diffs) {
    if (diff.path[0] !== 'paths') {
      // Components are reported again at every place that uses them, and info, servers and tags do not change the exchange.
      if (diff.path[0] === 'security') {
        changes.push(change('security.changed', 'document', 'document security', `security requirements changed`, { consumers: true, providers: false }, diff));
      } else if (diff.path[0] !== 'components') {
        changes.push(change('annotation', 'document', diff.path.join('.'), describeAction(diff), { consumers: false, providers: false }, diff));
      }
      continue;
    }
    changes.push(...classify(diff, before, after, listsSeen));
  }
  return detectRenames(changes);
}

function classify(diff: LibraryDiff, before: unknown, after: unknown, listsSeen: Set<string>): RawChange[] {
  const [, route, method] = diff.path as string[];
  if (method === undefined) {
    return [change(diff.action === 'remove' ? 'path.removed' : 'path.added', 'operation', String(route), `path ${String(route)}`, { consumers: diff.action === 'remove', providers: diff.action === 'remove' }, diff)];
  }
  if (method === 'parameters') {
    return classifyInOperation(diff, `${String(route)} (all operations)`, diff.path.slice(2), before, after, listsSeen);
  }
  if (!httpMethods.has(method)) {
    return [change('annotation', 'operation', `${String(route)} ${method}`, describeAction(diff), { consumers: false, providers: false }, diff)];
  }
  const operation = `${method.toUpperCase()} ${String(route)}`;
  if (diff.path.length === 3) {
    const removed = diff.action === 'remove';
    return [change(removed ? 'operation.removed' : 'operation.added', 'operation', operation, `operation ${operation}`, { consumers: removed, providers: removed }, diff)];
  }
  return classifyInOperation(diff, operation, diff.path.slice(3), before, after, listsSeen);
}

function classifyInOperation(diff: LibraryDiff, operation: string, inner: (string | number)[], before: unknown, after: unknown, listsSeen: Set<string>): RawChange[] {
  const none = { consumers: false, providers: false };
  const head = String(inner[0]);
  const removed = diff.action === 'remove';
  const added = diff.action === 'add';

  if (head === 'security') {
    return [change('security.changed', 'request', `${operation} security`, 'security requirements changed', { consumers: true, providers: false }, diff)];
  }

  if (head === 'requestBody') {
    if (inner[1] === 'required') {
      const nowRequired = diff.after === true;
      return [change(nowRequired ? 'required.added' : 'required.removed', 'request', `${operation} request body`, `request body required: ${show(diff.before ?? false)} -> ${show(diff.after ?? false)}`, direction('request', nowRequired), diff)];
    }
    if (inner.length === 1) {
      return [change(removed ? 'member.removed' : 'member.added', 'request', `${operation} request body`, removed ? 'request body removed' : 'request body added', { consumers: removed, providers: false }, diff)];
    }
    if (inner[1] === 'content') {
      if (inner.length === 3) {
        return [change(removed ? 'media-type.removed' : 'media-type.added', 'request', `${operation} request body`, `media type ${String(inner[2])}`, { consumers: removed, providers: false }, diff)];
      }
      if (inner[3] === 'schema') {
        return classifySchema(diff, { operation, side: 'request', part: `${operation} request body`, partPath: diff.path.slice(0, diff.path.length - inner.length + 4), rest: inner.slice(4) }, before, after, listsSeen);
      }
    }
    return [change('annotation', 'request', annotationPart(`${operation} request body`, inner), describeAction(diff), none, diff)];
  }

  if (head === 'responses') {
    const status = String(inner[1]);
    const part = `${operation} response ${status}`;
    if (inner.length === 2) {
      return [change(removed ? 'status.removed' : 'status.added', 'response', part, `status ${status}`, { consumers: removed, providers: removed }, diff)];
    }
    if (inner[2] === 'content') {
      if (inner.length === 4) {
        return [change(removed ? 'media-type.removed' : 'media-type.added', 'response', part, `media type ${String(inner[3])}`, { consumers: removed, providers: removed }, diff)];
      }
      if (inner[4] === 'schema') {
        return classifySchema(diff, { operation, side: 'response', part, partPath: diff.path.slice(0, diff.path.length - inner.length + 5), rest: inner.slice(5) }, before, after, listsSeen);
      }
    }
    if (inner[2] === 'headers') {
      const header = String(inner[3]);
      if (inner.length === 4) {
        return [change(removed ? 'header.removed' : 'header.added', 'response', `${part} header ${header}`, `header ${header} ${removed ? 'removed' : 'added'}`, { consumers: removed, providers: false }, diff)];
      }
      if (inner[4] === 'schema') {
        return classifySchema(diff, { operation, side: 'response', part: `${part} header ${header}`, partPath: diff.path.slice(0, diff.path.length - inner.length + 5), rest: inner.slice(5) }, before, after, listsSeen);
      }
    }
    return [change('annotation', 'response', annotationPart(part, inner), describeAction(diff), none, diff)];
  }

  if (head === 'parameters') {
    const parameterPath = diff.path.slice(0, diff.path.length - inner.length + 2);
    const parameter = (lookUp(removed ? before : after, parameterPath) ?? lookUp(before, parameterPath)) as OpenAPIV3.ParameterObject | undefined;
    const name = parameter ? `${parameter.in} parameter ${parameter.name}` : `parameter ${String(inner[1])}`;
    const part = `${operation} ${name}`;
    if (inner.length === 2) {
      const required = added && parameter?.required === true;
      return [change(removed ? 'parameter.removed' : 'parameter.added', 'request', part, added ? `${required ? 'required' : 'optional'} ${name} added` : `${name} removed`, { consumers: removed || required, providers: false }, diff)];
    }
    if (inner[2] === 'required') {
      const nowRequired = diff.after === true;
      return [change(nowRequired ? 'required.added' : 'required.removed', 'request', part, `required: ${show(diff.before ?? false)} -> ${show(diff.after ?? false)}`, direction('request', nowRequired), diff)];
    }
    if (inner[2] === 'schema') {
      return classifySchema(diff, { operation, side: 'request', part, partPath: parameterPath, rest: inner.slice(3) }, before, after, listsSeen);
    }
    if (inner[2] === 'name' || inner[2] === 'in') {
      return [change('member.renamed', 'request', part, describeAction(diff), { consumers: true, providers: true }, diff)];
    }
    return [change('annotation', 'request', part, describeAction(diff), none, diff)];
  }

  return [change('annotation', 'operation', operation, describeAction(diff), none, diff)];
}

/** Walks schema keywords to the one that changed, keeping a JSON path for the location. */
function classifySchema(diff: LibraryDiff, context: DiffContext, before: unknown, after: unknown, listsSeen: Set<string>): RawChange[] {
  const none = { consumers: false, providers: false };
  let jsonPath = '$';
  let index = 0;
  const rest = context.rest;
  while (index < rest.length) {
    const keyword = String(rest[index]);
    if ((keyword === 'properties' || keyword === 'patternProperties') && index + 1 < rest.length) {
      if (index + 2 === rest.length) {
        break;
      }
      jsonPath += `.${String(rest[index + 1])}`;
      index += 2;
    } else if ((keyword === 'allOf' || keyword === 'oneOf' || keyword === 'anyOf') && index + 1 < rest.length) {
      jsonPath += `(${keyword}[${String(rest[index + 1])}])`;
      index += 2;
    } else if ((keyword === 'items' || keyword === 'not') && index + 1 < rest.length) {
      jsonPath += keyword === 'items' ? '[*]' : '(not)';
      index += 1;
    } else if (keyword === 'additionalProperties' && index + 1 < rest.length && typeof lookUp(before, [...context.partPath, ...rest.slice(0, index + 1)]) === 'object') {
      jsonPath += '.*';
      index += 1;
    } else {
      break;
    }
  }

  const schemaPath = [...context.partPath, ...rest.slice(0, index)];
  const tail = rest.slice(index);
  const keyword = String(tail[0] ?? '');
  const location = `${context.part} ${jsonPath}`;
  const side = context.side === 'request' ? 'request' : 'response';

  if (tail.length === 0) {
    // The whole schema appeared or vanished, as when a media type loses its schema.
    return [change(diff.action === 'remove' ? 'member.removed' : 'member.added', side, location, describeAction(diff), { consumers: diff.action === 'remove', providers: diff.action === 'remove' }, diff)];
  }

  if ((keyword === 'properties' || keyword === 'patternProperties') && tail.length === 2) {
    const member = String(tail[1]);
    const memberLocation = `${location}.${member}`;
    if (diff.action === 'remove') {
      const wasRequired = requiredNames(lookUp(before, schemaPath)).includes(member);
      // A sender of the old version still sends the member and a receiver of the old version still reads it.
      const breaking = side === 'request' ? { consumers: true, providers: wasRequired } : { consumers: true, providers: false };
      return [change('member.removed', side, memberLocation, `member ${member} removed`, breaking, diff)];
    }
    if (diff.action === 'add') {
      const isRequired = requiredNames(lookUp(after, schemaPath)).includes(member);
      // NOTE: an optional request member is judged additive, which assumes providers accept it before consumers send it.
      const breaking = isRequired ? direction(side, true) : none;
      return [change('member.added', side, memberLocation, `${isRequired ? 'required' : 'optional'} member ${member} added`, breaking, diff)];
    }
  }

  if (keyword === 'required') {
    return classifyRequired(diff, side, location, schemaPath, before, after, listsSeen);
  }
  if (keyword === 'enum') {
    return classifyEnum(diff, side, location, schemaPath, before, after, listsSeen);
  }
  if (keyword === 'type' || keyword === 'format') {
    const kind = keyword === 'type' ? 'type.changed' : 'format.changed';
    return [change(kind, side, location, `${keyword}: ${show(diff.before)} -> ${show(diff.after)}`, { consumers: true, providers: true }, diff)];
  }
  if (keyword === 'nullable') {
    const nowNullable = diff.after === true;
    return [change(nowNullable ? 'nullable.added' : 'nullable.removed', side, location, `nullable: ${show(diff.before ?? false)} -> ${show(diff.after ?? false)}`, direction(side, !nowNullable), diff)];
  }
  if (upperBounds.has(keyword) || lowerBounds.has(keyword) || otherConstraints.has(keyword)) {
    const tightened = constraintTightened(keyword, diff);
    const detail = `${keyword}: ${show(diff.before)} -> ${show(diff.after)}`;
    if (tightened === undefined) {
      // A changed pattern or multipleOf can both admit and reject values, so both sides may break.
      return [change('constraint.tightened', side, location, detail, { consumers: true, providers: true }, diff)];
    }
    return [change(tightened ? 'constraint.tightened' : 'constraint.loosened', side, location, detail, direction(side, tightened), diff)];
  }
  if (annotationKeywords.has(keyword) || keyword.startsWith('x-') || keyword === 'readOnly' || keyword === 'writeOnly' || keyword === 'default') {
    return [change('annotation', side, location, describeAction(diff), none, diff)];
  }
  return [change('other', side, location, describeAction(diff), { consumers: diff.type === 'breaking', providers: false }, diff)];
}

function classifyRequired(diff: LibraryDiff, side: 'request' | 'response', location: string, schemaPath: (string | number)[], before: unknown, after: unknown, listsSeen: Set<string>): RawChange[] {
  const key = `required ${JSON.stringify(schemaPath)}`;
  if (listsSeen.has(key)) {
    return [];
  }
  listsSeen.add(key);
  const oldSchema = lookUp(before, schemaPath) as OpenAPIV3.SchemaObject | undefined;
  const newSchema = lookUp(after, schemaPath) as OpenAPIV3.SchemaObject | undefined;
  const oldNames = requiredNames(oldSchema);
  const newNames = requiredNames(newSchema);
  const changes: RawChange[] = [];
  // A member that itself appeared or vanished is reported as member.added or member.removed.
  for (const name of newNames.filter((candidate) => !oldNames.includes(candidate) && hasProperty(oldSchema, candidate))) {
    changes.push(change('required.added', side, `${location}.${name}`, `member ${name} became required`, direction(side, true), diff));
  }
  for (const name of oldNames.filter((candidate) => !newNames.includes(candidate) && hasProperty(newSchema, candidate))) {
    changes.push(change('required.removed', side, `${location}.${name}`, `member ${name} became optional`, direction(side, false), diff));
  }
  return changes;
}

function classifyEnum(diff: LibraryDiff, side: 'request' | 'response', location: string, schemaPath: (string | number)[], before: unknown, after: unknown, listsSeen: Set<string>): RawChange[] {
  const key = `enum ${JSON.stringify(schemaPath)}`;
  if (listsSeen.has(key)) {
    return [];
  }
  listsSeen.add(key);
  const oldValues = (lookUp(before, [...schemaPath, 'enum']) as unknown[] | undefined) ?? undefined;
  const newValues = (lookUp(after, [...schemaPath, 'enum']) as unknown[] | undefined) ?? undefined;
  const changes: RawChange[] = [];
  // No enum at all admits every value, so adding one narrows and dropping one widens.
  const removedValues = oldValues === undefined ? ['(any value)'] : oldValues.filter((value) => !(newValues ?? []).some((candidate) => isDeepStrictEqual(candidate, value)));
  const addedValues = newValues === undefined ? ['(any value)'] : newValues.filter((value) => !(oldValues ?? []).some((candidate) => isDeepStrictEqual(candidate, value)));
  if (newValues !== undefined && removedValues.length > 0) {
    changes.push(change('enum.narrowed', side, location, `enum values removed: ${removedValues.map(show).join(', ')}`, direction(side, true), diff));
  }
  if (oldValues !== undefined && addedValues.length > 0) {
    changes.push(change('enum.widened', side, location, `enum values added: ${addedValues.map(show).join(', ')}`, direction(side, false), diff));
  }
  return changes;
}

/**
 * Returns who breaks when a change narrows (tightened) or widens what a
 * message may contain. The sender breaks on narrowing, because it may send
 * what is no longer allowed. The receiver breaks on widening, because it may
 * get what it does not handle. Consumers send requests; providers send responses.
 */
function direction(side: ChangeSide, tightened: boolean): { consumers: boolean; providers: boolean } {
  const consumerSends = side === 'request';
  const senderBreaks = tightened;
  return { consumers: consumerSends ? senderBreaks : !senderBreaks, providers: consumerSends ? !senderBreaks : senderBreaks };
}

function constraintTightened(keyword: string, diff: LibraryDiff): boolean | undefined {
  if (diff.action === 'add') {
    // Any new bound, pattern or multipleOf rejects values that were valid before.
    return keyword === 'additionalProperties' || keyword === 'uniqueItems' || keyword.startsWith('exclusive') ? diff.after !== false : true;
  }
  if (diff.action === 'remove') {
    return keyword === 'additionalProperties' ? diff.before !== false : false;
  }
  if (typeof diff.before === 'number' && typeof diff.after === 'number') {
    if (upperBounds.has(keyword) || keyword === 'exclusiveMaximum') {
      return diff.after < diff.before;
    }
    if (lowerBounds.has(keyword) || keyword === 'exclusiveMinimum') {
      return diff.after > diff.before;
    }
  }
  if (typeof diff.before === 'boolean' && typeof diff.after === 'boolean') {
    // exclusiveMaximum/Minimum and uniqueItems restrict when true; additionalProperties restricts when false.
    return keyword === 'additionalProperties' ? !diff.after : diff.after;
  }
  if (keyword === 'additionalProperties') {
    return diff.after === false;
  }
  return undefined;
}

/** Merges a removed member and an added member with the same schema, in the same object, into one rename. */
function detectRenames(changes: RawChange[]): SpecChange[] {
  const result = [...changes];
  const parentOf = (entry: RawChange): string => `${entry.side} ${entry.location.slice(0, entry.location.lastIndexOf('.'))}`;
  for (const removed of changes.filter((entry) => entry.kind === 'member.removed')) {
    const candidates = result.filter((entry) => entry.kind === 'member.added' && parentOf(entry) === parentOf(removed) && isDeepStrictEqual(entry.library.beforeOrAfter, removed.library.beforeOrAfter));
    const removedIndex = result.indexOf(removed);
    if (candidates.length !== 1 || removedIndex < 0) {
      continue;
    }
    const addedEntry = candidates[0];
    const newName = addedEntry.location.slice(addedEntry.location.lastIndexOf('.') + 1);
    result.splice(result.indexOf(addedEntry), 1);
    result.splice(result.indexOf(removed), 1, {
      ...removed,
      kind: 'member.renamed',
      detail: `${removed.detail.replace(' removed', '')} renamed to ${newName}`,
      breaking: { consumers: true, providers: true },
    });
  }
  return result.map(({ library, ...rest }) => ({ ...rest, library: { type: library.type, description: library.description } }));
}

function change(kind: ChangeKind, side: ChangeSide, location: string, detail: string, breaking: { consumers: boolean; providers: boolean }, diff: LibraryDiff): RawChange {
  return { kind, side, location, detail, breaking, library: { type: diff.type, description: diff.description ?? '', beforeOrAfter: diff.action === 'remove' ? diff.before : diff.after } };
}

function requiredNames(schema: unknown): string[] {
  const required = (schema as { required?: unknown } | undefined)?.required;
  return Array.isArray(required) ? required.filter((name): name is string => typeof name === 'string') : [];
}

function hasProperty(schema: OpenAPIV3.SchemaObject | undefined, name: string): boolean {
  return schema?.properties !== undefined && Object.prototype.hasOwnProperty.call(schema.properties, name);
}

function lookUp(document: unknown, segments: (string | number)[]): unknown {
  let node = document;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) {
      return undefined;
    }
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function show(value: unknown): string {
  if (value === undefined) {
    return '(absent)';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describeAction(diff: LibraryDiff): string {
  const where = diff.path.slice(-2).join('.');
  if (diff.action === 'replace') {
    return `${where} changed`;
  }
  return `${where} ${diff.action === 'add' ? 'added' : diff.action === 'remove' ? 'removed' : 'renamed'}`;
}

export function isBreaking(change: SpecChange, failOn: FailOn): boolean {
  if (failOn === 'consumers') {
    return change.breaking.consumers;
  }
  if (failOn === 'providers') {
    return change.breaking.providers;
  }
  return change.breaking.consumers || change.breaking.providers;
}

/** Loads and validates both documents, then compares them. */
export async function diffSpecFiles(oldPath: string, newPath: string): Promise<SpecChange[]> {
  const before = await loadOpenApi(oldPath);
  const after = await loadOpenApi(newPath);
  return compareDocuments(before, after);
}

const usage = `Usage: npm run diff -- OLD NEW [options]

Compares two versions of an OpenAPI 3.0 document and classifies each change
as breaking or not, for consumers and for providers.

Options:
  --fail-on any|consumers|providers  which breaking changes fail the run (default: any)
  --json                             print the changes as JSON instead of text
  --help                             print this text

Exit codes: 0 no breaking change (identical or additive), 1 a breaking change,
2 the run could not happen.`;

function formatChange(entry: SpecChange): string {
  const sides = [entry.breaking.consumers ? 'consumers' : '', entry.breaking.providers ? 'providers' : ''].filter(Boolean);
  const verdict = sides.length > 0 ? `BREAKING for ${sides.join(' and ')}` : 'compatible';
  return `  ${entry.kind.padEnd(21)} ${entry.location}\n      ${entry.detail} (${verdict})`;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const parsed = parseCommandArguments('diff', {
      args: argv,
      options: { 'fail-on': { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: true,
    });
    if (parsed.values.help) {
      console.log(usage);
      return ExitCode.passed;
    }
    const failOn = parsed.values['fail-on'] ?? 'any';
    if (failOn !== 'any' && failOn !== 'consumers' && failOn !== 'providers') {
      throw new SuiteError('cli.invalid-option', `--fail-on must be any, consumers or providers, not ${JSON.stringify(failOn)}`, 'Pass, for example, --fail-on consumers.');
    }
    if (parsed.positionals.length !== 2) {
      throw new SuiteError('cli.invalid-option', `Expected two OpenAPI files (OLD NEW), got ${parsed.positionals.length}`, 'Run, for example, `npm run diff -- openapi/released/runSummary.v1.0.0.openapi.yaml openapi/runSummary.openapi.yaml`.');
    }
    const [oldPath, newPath] = parsed.positionals as [string, string];

    const changes = await diffSpecFiles(oldPath, newPath);
    const breaking = changes.filter((entry) => isBreaking(entry, failOn));

    if (parsed.values.json) {
      console.log(JSON.stringify({ old: oldPath, new: newPath, failOn, breaking: breaking.length, changes }, null, 2));
    } else {
      console.log(`Comparing ${oldPath} -> ${newPath}`);
      for (const entry of changes) {
        console.log(formatChange(entry));
      }
      const forConsumers = changes.filter((entry) => entry.breaking.consumers).length;
      const forProviders = changes.filter((entry) => entry.breaking.providers).length;
      console.log(`\nSummary: ${changes.length} changes, ${forConsumers} breaking for consumers, ${forProviders} breaking for providers (failing on ${failOn})`);
    }
    return breaking.length > 0 ? ExitCode.contractFailed : ExitCode.passed;
  } catch (error) {
    // Every failure is 2 here, because 1 already means "a breaking change".
    console.error(describeFailure(error).text);
    return ExitCode.couldNotRun;
  }
}

/** Names the example an annotation change sits in, so changes to two examples do not read as one printed twice. */
function annotationPart(part: string, inner: readonly unknown[]): string {
  const examplesIndex = inner.indexOf('examples');
  const exampleName = examplesIndex >= 0 ? inner[examplesIndex + 1] : undefined;
  return typeof exampleName === 'string' ? `${part} example ${exampleName}` : part;
}
