import type { PactDocument, PactInteraction } from '../verification/pactFile';
import { type VerificationStatus, describeProvider, displayPath, formatInstant } from './verificationStatus';

/** One Pact matching rule, flattened: where it applies and which matchers it combines. */
export interface MatchingRuleLine {
  /** `status`, `header.<name>`, `path`, or a JSON path into the body such as `$.value.id`. */
  target: string;
  /** Readable matchers, such as `integer` or `regex ^Bearer \S+$`. */
  matchers: string[];
}

export type VerificationState = 'passed' | 'failed' | 'not-in-report' | 'not-verified';

/** A pact interaction in the form the docs show it. */
export interface DocumentedInteraction {
  description: string;
  providerState?: { name: string; params: Record<string, unknown> };
  request: { method: string; path: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
  requestRules: MatchingRuleLine[];
  responseRules: MatchingRuleLine[];
  /**
   * Verdict in three lengths: `label` with its date, for tables, `mark` in one or
   * two words, for example titles that the renderer cuts short, and `sentence` in full.
   */
  verification: { state: VerificationState; label: string; mark: string; sentence: string };
}

/** Sentence shown where no report of a verification exists. */
export const notVerifiedSentence = 'Not verified yet in this checkout: run `npm run verify`, then `npm run docs` again.';

/**
 * Turns the pact's interactions into documented ones, ordered by response
 * status and then by description, each marked with the verdict of the
 * verification report.
 */
export function documentInteractions(pact: PactDocument, status: VerificationStatus): DocumentedInteraction[] {
  return pact.interactions
    .map((interaction) => documentInteraction(interaction, status))
    .sort((left, right) => left.response.status - right.response.status || left.description.localeCompare(right.description));
}

function documentInteraction(interaction: PactInteraction, status: VerificationStatus): DocumentedInteraction {
  const state = interaction.providerStates?.[0];
  const rules = (interaction as { request: { matchingRules?: unknown }; response: { matchingRules?: unknown } });
  return {
    description: interaction.description,
    providerState: state ? { name: state.name, params: state.params ?? {} } : undefined,
    request: {
      method: interaction.request.method,
      path: interaction.request.path,
      headers: flattenHeaders(interaction.request.headers),
      body: bodyContent(interaction.request.body),
    },
    response: {
      status: interaction.response.status,
      headers: flattenHeaders(interaction.response.headers),
      body: bodyContent(interaction.response.body),
    },
    requestRules: readMatchingRules(rules.request.matchingRules),
    responseRules: readMatchingRules(rules.response.matchingRules),
    verification: verificationOf(interaction.description, status),
  };
}

function verificationOf(description: string, status: VerificationStatus): DocumentedInteraction['verification'] {
  if (!status.reportPath || !status.verifiedAt) {
    return { state: 'not-verified', label: 'not verified yet in this checkout', mark: 'not verified', sentence: notVerifiedSentence };
  }
  const when = formatInstant(status.verifiedAt);
  const verdict = status.verdicts.get(description);
  if (verdict === true) {
    return { state: 'passed', label: `verified ${when}`, mark: 'verified', sentence: `Verified against ${describeProvider(status)} on ${when}.` };
  }
  if (verdict === false) {
    return {
      state: 'failed',
      label: `failed verification ${when}`,
      mark: 'failed verification',
      sentence: `Failed verification against ${describeProvider(status)} on ${when}; the findings are in ${displayPath(status.reportPath)}.`,
    };
  }
  return {
    state: 'not-in-report',
    label: 'not verified',
    mark: 'not verified',
    sentence: `Not verified: the report of ${when} (${displayPath(status.reportPath)}) has no result for this interaction; the pact may have changed since that run.`,
  };
}

/** Pact V4 keeps a body as `{ content, contentType, encoded }`; earlier versions keep the value itself. */
function bodyContent(body: unknown): unknown {
  if (typeof body === 'object' && body !== null && 'content' in body && 'contentType' in body) {
    return (body as { content: unknown }).content;
  }
  return body;
}

function flattenHeaders(headers: Record<string, string[] | string> | undefined): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Flattens Pact V4 matching rules (`{ body: { "$.a": { matchers } }, header:
 * {...}, path: { matchers } }`) into one line per target.
 */
export function readMatchingRules(rules: unknown): MatchingRuleLine[] {
  if (typeof rules !== 'object' || rules === null) {
    return [];
  }
  const lines: MatchingRuleLine[] = [];
  for (const [category, entry] of Object.entries(rules as Record<string, unknown>)) {
    if (hasMatchers(entry)) {
      lines.push({ target: category, matchers: entry.matchers.map(describeMatcher) });
      continue;
    }
    if (typeof entry !== 'object' || entry === null) {
      continue;
    }
    for (const [key, rule] of Object.entries(entry as Record<string, unknown>)) {
      if (hasMatchers(rule)) {
        lines.push({ target: category === 'body' ? key : `${category}.${key}`, matchers: rule.matchers.map(describeMatcher) });
      }
    }
  }
  return lines;
}

function hasMatchers(value: unknown): value is { matchers: Record<string, unknown>[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { matchers?: unknown }).matchers);
}

function describeMatcher(matcher: Record<string, unknown>): string {
  const kind = typeof matcher.match === 'string' ? matcher.match : 'unknown';
  if (kind === 'regex' && typeof matcher.regex === 'string') {
    return `regex ${matcher.regex}`;
  }
  if (kind === 'type' && typeof matcher.min === 'number') {
    return `type, at least ${matcher.min} item(s)`;
  }
  return kind;
}
