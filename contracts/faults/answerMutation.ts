import type { ProviderAnswer } from '../provider/referenceProvider';

/**
 * One edit of a JSON response body. `path` is a JSON Pointer (RFC 6901) into
 * the body, so `/value/id` is the id of the summary and `` is the body itself.
 */
export type BodyEdit =
  | { op: 'set'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  /** Moves the member at `path` to the sibling name `to`, as a misspelling would. */
  | { op: 'rename'; path: string; to: string }
  /** Replaces the whole body with the member at `path`, dropping its envelope. */
  | { op: 'hoist'; path: string }
  /** Puts the value at `path` inside a one-element array. */
  | { op: 'wrap-in-array'; path: string };

/** How a catalog row rewrites the reference provider's responses to the run summary call. */
export interface AnswerMutation {
  /** Which responses change: those with this status, or `error` for every 4xx and 5xx. Defaults to the success status. */
  when?: number | 'error';
  status?: number;
  /** Headers to send; an existing header of the same name in another case is replaced. */
  setHeaders?: Record<string, string>;
  removeHeaders?: string[];
  body?: BodyEdit[];
  /** Text sent as the body instead of JSON, after the edits. */
  rawBody?: string;
}

/**
 * Builds the `transformRunSummaryAnswer` hook for one mutation. A path that
 * does not resolve means the catalog row is broken, not the provider. The
 * hook then sends the response unchanged and reports the problem to
 * `onInvalidRow`, because an exception inside the provider's request handler
 * would crash the server instead of failing the row.
 */
export function answerTransform(
  mutation: AnswerMutation,
  successStatus: number,
  onInvalidRow: (message: string) => void,
): (answer: ProviderAnswer) => ProviderAnswer {
  const applies = (status: number): boolean => {
    const when = mutation.when ?? successStatus;
    return when === 'error' ? status >= 400 : status === when;
  };

  return (answer) => {
    if (!applies(answer.status)) {
      return answer;
    }
    try {
      return mutate(answer, mutation);
    } catch (error) {
      onInvalidRow(error instanceof Error ? error.message : String(error));
      return answer;
    }
  };
}

function mutate(answer: ProviderAnswer, mutation: AnswerMutation): ProviderAnswer {
  const headers = { ...answer.headers };
  for (const name of mutation.removeHeaders ?? []) {
    deleteHeader(headers, name);
  }
  for (const [name, value] of Object.entries(mutation.setHeaders ?? {})) {
    deleteHeader(headers, name);
    headers[name] = value;
  }

  let body: unknown = structuredClone(answer.body);
  for (const edit of mutation.body ?? []) {
    body = applyEdit(body, edit);
  }

  const changed: ProviderAnswer = { status: mutation.status ?? answer.status, headers, body };
  const rawBody = mutation.rawBody ?? answer.rawBody;
  if (rawBody !== undefined) {
    changed.rawBody = rawBody;
  }
  return changed;
}

function deleteHeader(headers: Record<string, string>, name: string): void {
  for (const existing of Object.keys(headers)) {
    if (existing.toLowerCase() === name.toLowerCase()) {
      delete headers[existing];
    }
  }
}

/** Applies one edit and returns the new body, which is a new value only when the root changes. */
function applyEdit(body: unknown, edit: BodyEdit): unknown {
  const segments = parsePointer(edit.path);
  if (edit.op === 'hoist') {
    return valueAt(body, segments, edit.path);
  }
  if (segments.length === 0) {
    if (edit.op === 'set') {
      return edit.value;
    }
    if (edit.op === 'wrap-in-array') {
      return [body];
    }
    throw new Error(`"${edit.op}" needs a member path, not the whole body`);
  }

  const parentPath = segments.slice(0, -1);
  const parent = valueAt(body, parentPath, edit.path);
  const name = segments[segments.length - 1] ?? '';
  if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) {
    throw new Error(`the parent of ${edit.path} is not a JSON object`);
  }
  const members = parent as Record<string, unknown>;
  switch (edit.op) {
    case 'set':
      members[name] = edit.value;
      break;
    case 'remove':
      requireMember(members, name, edit.path);
      delete members[name];
      break;
    case 'rename':
      requireMember(members, name, edit.path);
      members[edit.to] = members[name];
      delete members[name];
      break;
    case 'wrap-in-array':
      requireMember(members, name, edit.path);
      members[name] = [members[name]];
      break;
  }
  return body;
}

function requireMember(members: Record<string, unknown>, name: string, path: string): void {
  if (!(name in members)) {
    throw new Error(`the response has no member at ${path}`);
  }
}

function valueAt(body: unknown, segments: string[], path: string): unknown {
  let current = body;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || !(segment in current)) {
      throw new Error(`the response has no member at ${path}`);
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Splits a JSON Pointer into member names, undoing its `~1` and `~0` escapes. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/')) {
    throw new Error(`JSON Pointer ${JSON.stringify(pointer)} must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
