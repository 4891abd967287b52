// The fault catalog: one row per way a provider can respond to the run
// summary call. A fault must make verification fail with the listed finding
// codes. A conforming variant is a valid Graph response that differs from the
// reference provider's, and must pass with no finding. A new case is a new row.
import type { InteractionKey } from '../consumer/interactions';
import type { AnswerMutation } from './answerMutation';

/** The part of the contract that a row tests. */
export const faultKinds = [
  'status',
  'header',
  'envelope',
  'member-type',
  'member-range',
  'member-format',
  'member-nullability',
  'member-required',
  'unknown-member',
  'odata-type',
  'error-body',
  'auth',
  'input-rejection',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** The interactions of the committed pact a finding can belong to (see buildInteractions). */
export type InteractionName = InteractionKey;

/** A finding the verification must report for a fault row. */
export interface ExpectedFinding {
  interaction: InteractionName;
  code: string;
  /** JSON path or `status` / `header.<name>`; any location when left out. */
  location?: string;
}

/** The reference provider's switches a row can turn off (or, for unknown members, on). */
export interface ProviderSwitches {
  enforceAuth?: false;
  validateRequestBody?: false;
  checkScriptExists?: false;
  acceptUnknownRequestMembers?: true;
}

export interface CatalogRow {
  /** Stable, kebab-case; the scorecard and the test name rows by it. */
  id: string;
  kind: FaultKind;
  outcome: 'fails' | 'passes';
  /** The provider's difference from the reference, in a few words. */
  description: string;
  provider?: ProviderSwitches;
  answer?: AnswerMutation;
  /** For faults: the findings that must be among those reported. */
  expect?: ExpectedFinding[];
}

const fullODataJson = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const odataErrorBody = { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } };

export const faultCatalog: readonly CatalogRow[] = [
  // Status
  {
    id: 'status-200-instead-of-201',
    kind: 'status',
    outcome: 'fails',
    description: 'responds 200 OK instead of 201 Created',
    answer: { status: 200 },
    expect: [
      { interaction: 'create', code: 'response.status.undeclared', location: 'status' },
      { interaction: 'create', code: 'pact.status.mismatch', location: 'status' },
    ],
  },
  {
    id: 'status-204-without-body',
    kind: 'status',
    outcome: 'fails',
    description: 'responds 204 No Content with an empty body',
    answer: { status: 204, removeHeaders: ['content-type'], rawBody: '' },
    expect: [{ interaction: 'create', code: 'response.status.undeclared', location: 'status' }],
  },
  {
    id: 'status-500-with-summary',
    kind: 'status',
    outcome: 'fails',
    description: 'responds 500 with the stored summary as its body',
    answer: { status: 500 },
    expect: [
      { interaction: 'create', code: 'pact.status.mismatch', location: 'status' },
      { interaction: 'create', code: 'response.body.error.missing', location: '$.error' },
    ],
  },

  // Headers
  {
    id: 'content-type-text-plain',
    kind: 'header',
    outcome: 'fails',
    description: 'labels the JSON summary Content-Type: text/plain',
    answer: { setHeaders: { 'Content-Type': 'text/plain' } },
    expect: [{ interaction: 'create', code: 'response.header.content-type.mismatch', location: 'header.content-type' }],
  },
  {
    id: 'content-type-missing',
    kind: 'header',
    outcome: 'fails',
    description: 'sends the summary without a Content-Type header',
    answer: { removeHeaders: ['content-type'] },
    expect: [{ interaction: 'create', code: 'response.header.content-type.missing', location: 'header.content-type' }],
  },
  {
    id: 'error-content-type-problem-json',
    kind: 'header',
    outcome: 'fails',
    description: 'labels error bodies application/problem+json',
    answer: { when: 'error', setHeaders: { 'Content-Type': 'application/problem+json' } },
    expect: [{ interaction: 'unknownScript', code: 'response.header.content-type.mismatch', location: 'header.content-type' }],
  },
  {
    id: 'retry-after-not-a-number',
    kind: 'header',
    outcome: 'fails',
    description: 'responds 503 with Retry-After: soon to an unknown script',
    answer: { when: 404, status: 503, setHeaders: { 'Retry-After': 'soon' } },
    expect: [
      { interaction: 'unknownScript', code: 'response.header.invalid', location: 'header.retry-after' },
      { interaction: 'unknownScript', code: 'pact.status.mismatch', location: 'status' },
    ],
  },

  // The value envelope
  {
    id: 'summary-without-value-envelope',
    kind: 'envelope',
    outcome: 'fails',
    description: 'returns the summary at the top level, without the value envelope',
    answer: { body: [{ op: 'hoist', path: '/value' }] },
    expect: [{ interaction: 'create', code: 'response.body.value.missing', location: '$.value' }],
  },
  {
    id: 'value-as-array',
    kind: 'envelope',
    outcome: 'fails',
    description: 'returns value as a one-element collection',
    answer: { body: [{ op: 'wrap-in-array', path: '/value' }] },
    expect: [{ interaction: 'create', code: 'response.body.value.type', location: '$.value' }],
  },
  {
    id: 'value-null',
    kind: 'envelope',
    outcome: 'fails',
    description: 'returns value as null',
    answer: { body: [{ op: 'set', path: '/value', value: null }] },
    expect: [{ interaction: 'create', code: 'response.body.value.null', location: '$.value' }],
  },
  {
    id: 'body-not-json',
    kind: 'envelope',
    outcome: 'fails',
    description: 'sends a truncated JSON document',
    answer: { rawBody: '{"value":{"id":' },
    expect: [{ interaction: 'create', code: 'response.body.not-json', location: '$' }],
  },

  // Each member's type
  {
    id: 'counts-as-strings',
    kind: 'member-type',
    outcome: 'fails',
    description: 'sends counts as strings ("5")',
    answer: {
      body: [
        { op: 'set', path: '/value/issueDetectedDeviceCount', value: '5' },
        { op: 'set', path: '/value/noIssueDetectedDeviceCount', value: '5' },
      ],
    },
    expect: [
      { interaction: 'create', code: 'response.body.member.type', location: '$.value.issueDetectedDeviceCount' },
      { interaction: 'create', code: 'response.body.member.type', location: '$.value.noIssueDetectedDeviceCount' },
    ],
  },
  {
    id: 'count-fractional',
    kind: 'member-type',
    outcome: 'fails',
    description: 'sends a count of 2.5',
    answer: { body: [{ op: 'set', path: '/value/remediationSkippedDeviceCount', value: 2.5 }] },
    expect: [{ interaction: 'create', code: 'response.body.member.type', location: '$.value.remediationSkippedDeviceCount' }],
  },
  {
    id: 'id-as-number',
    kind: 'member-type',
    outcome: 'fails',
    description: 'sends the id as a number',
    answer: { body: [{ op: 'set', path: '/value/id', value: 42 }] },
    expect: [{ interaction: 'create', code: 'response.body.member.type', location: '$.value.id' }],
  },
  {
    id: 'date-as-epoch-seconds',
    kind: 'member-type',
    outcome: 'fails',
    description: 'sends lastScriptRunDateTime as Unix seconds',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: 1764490542 }] },
    expect: [{ interaction: 'create', code: 'response.body.member.type', location: '$.value.lastScriptRunDateTime' }],
  },

  // Each member's range
  {
    id: 'count-above-int32',
    kind: 'member-range',
    outcome: 'fails',
    description: 'sends a count of 2147483648, one above Int32',
    answer: { body: [{ op: 'set', path: '/value/issueDetectedDeviceCount', value: 2147483648 }] },
    expect: [{ interaction: 'create', code: 'response.body.member.range', location: '$.value.issueDetectedDeviceCount' }],
  },
  {
    id: 'count-below-int32',
    kind: 'member-range',
    outcome: 'fails',
    description: 'sends a count of -2147483649, one below Int32',
    answer: { body: [{ op: 'set', path: '/value/detectionScriptErrorDeviceCount', value: -2147483649 }] },
    expect: [{ interaction: 'create', code: 'response.body.member.range', location: '$.value.detectionScriptErrorDeviceCount' }],
  },

  // Each member's format
  {
    id: 'date-impossible',
    kind: 'member-format',
    outcome: 'fails',
    description: 'sends lastScriptRunDateTime 2026-13-45T99:00:00Z',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: '2026-13-45T99:00:00Z' }] },
    expect: [{ interaction: 'create', code: 'response.body.member.format', location: '$.value.lastScriptRunDateTime' }],
  },
  {
    id: 'date-february-30',
    kind: 'member-format',
    outcome: 'fails',
    description: 'sends lastScriptRunDateTime on 30 February',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: '2026-02-30T08:15:42Z' }] },
    expect: [{ interaction: 'create', code: 'response.body.member.format', location: '$.value.lastScriptRunDateTime' }],
  },
  {
    id: 'date-without-offset',
    kind: 'member-format',
    outcome: 'fails',
    description: 'sends lastScriptRunDateTime without an offset',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: '2026-11-30T08:15:42' }] },
    expect: [{ interaction: 'create', code: 'response.body.member.format', location: '$.value.lastScriptRunDateTime' }],
  },
  {
    id: 'date-eight-fractional-digits',
    kind: 'member-format',
    outcome: 'fails',
    description: 'sends lastScriptRunDateTime with eight fractional digits',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: '2026-11-30T08:15:42.12345678Z' }] },
    expect: [{ interaction: 'create', code: 'response.body.member.format', location: '$.value.lastScriptRunDateTime' }],
  },

  // Each member's nullability
  {
    id: 'required-count-null',
    kind: 'member-nullability',
    outcome: 'fails',
    description: 'sends noIssueDetectedDeviceCount as null',
    answer: { body: [{ op: 'set', path: '/value/noIssueDetectedDeviceCount', value: null }] },
    expect: [{ interaction: 'create', code: 'response.body.member.null', location: '$.value.noIssueDetectedDeviceCount' }],
  },
  {
    id: 'id-null',
    kind: 'member-nullability',
    outcome: 'fails',
    description: 'sends the id as null',
    answer: { body: [{ op: 'set', path: '/value/id', value: null }] },
    expect: [{ interaction: 'create', code: 'response.body.member.null', location: '$.value.id' }],
  },

  // Required members
  {
    id: 'required-count-missing',
    kind: 'member-required',
    outcome: 'fails',
    description: 'leaves out remediationScriptErrorDeviceCount',
    answer: { body: [{ op: 'remove', path: '/value/remediationScriptErrorDeviceCount' }] },
    expect: [{ interaction: 'create', code: 'response.body.member.missing', location: '$.value.remediationScriptErrorDeviceCount' }],
  },
  {
    id: 'id-empty',
    kind: 'member-required',
    outcome: 'fails',
    description: 'sends the id as an empty string',
    answer: { body: [{ op: 'set', path: '/value/id', value: '' }] },
    expect: [{ interaction: 'create', code: 'response.body.member.empty', location: '$.value.id' }],
  },

  // Unknown members
  {
    id: 'misspelled-response-count',
    kind: 'unknown-member',
    outcome: 'fails',
    description: 'sends issueRecurredDeviceCount instead of issueReoccurredDeviceCount',
    answer: { body: [{ op: 'rename', path: '/value/issueReoccurredDeviceCount', to: 'issueRecurredDeviceCount' }] },
    expect: [{ interaction: 'create', code: 'response.body.member.missing', location: '$.value.issueReoccurredDeviceCount' }],
  },
  {
    id: 'accepts-unknown-request-member',
    kind: 'unknown-member',
    outcome: 'fails',
    description: 'stores a request member it does not know instead of responding 400',
    provider: { acceptUnknownRequestMembers: true },
    expect: [{ interaction: 'unknownMember', code: 'pact.status.mismatch', location: 'status' }],
  },

  // @odata.type
  {
    id: 'odata-type-wrong',
    kind: 'odata-type',
    outcome: 'fails',
    description: 'annotates the summary as a #microsoft.graph.deviceHealthScript',
    answer: { body: [{ op: 'set', path: '/value/@odata.type', value: '#microsoft.graph.deviceHealthScript' }] },
    expect: [{ interaction: 'create', code: 'response.body.odata-type.mismatch', location: '$.value["@odata.type"]' }],
  },

  // Error bodies
  {
    id: 'error-without-envelope',
    kind: 'error-body',
    outcome: 'fails',
    description: 'returns code and message at the top level of a 404 body, without error',
    answer: { when: 404, body: [{ op: 'hoist', path: '/error' }] },
    expect: [{ interaction: 'unknownScript', code: 'response.body.error.missing', location: '$.error' }],
  },
  {
    id: 'error-message-missing',
    kind: 'error-body',
    outcome: 'fails',
    description: 'leaves error.message out of the 401 body',
    answer: { when: 401, body: [{ op: 'remove', path: '/error/message' }] },
    expect: [{ interaction: 'missingToken', code: 'response.body.member.missing', location: '$.error.message' }],
  },
  {
    id: 'error-as-string',
    kind: 'error-body',
    outcome: 'fails',
    description: 'sends the 400 error as a bare string',
    answer: { when: 400, body: [{ op: 'set', path: '/error', value: 'Bad request' }] },
    expect: [{ interaction: 'wrongType', code: 'response.body.error.type', location: '$.error' }],
  },
  {
    id: 'error-body-empty',
    kind: 'error-body',
    outcome: 'fails',
    description: 'responds 404 with an empty body',
    answer: { when: 404, rawBody: '' },
    expect: [{ interaction: 'unknownScript', code: 'response.body.missing', location: '$' }],
  },

  // Enforcement of auth
  {
    id: 'auth-not-enforced',
    kind: 'auth',
    outcome: 'fails',
    description: 'creates the summary for a request without a bearer token',
    provider: { enforceAuth: false },
    expect: [{ interaction: 'missingToken', code: 'pact.status.mismatch', location: 'status' }],
  },
  {
    id: 'auth-403-instead-of-401',
    kind: 'auth',
    outcome: 'fails',
    description: 'responds 403 instead of 401 to a request without a token',
    answer: { when: 401, status: 403 },
    expect: [{ interaction: 'missingToken', code: 'pact.status.mismatch', location: 'status' }],
  },
  {
    id: 'auth-rejects-valid-token',
    kind: 'auth',
    outcome: 'fails',
    description: 'responds 401 to a request that carries a bearer token',
    answer: { status: 401, body: [{ op: 'set', path: '', value: odataErrorBody }] },
    expect: [{ interaction: 'create', code: 'pact.status.mismatch', location: 'status' }],
  },

  // Rejection of bad input
  {
    id: 'accepts-count-as-string',
    kind: 'input-rejection',
    outcome: 'fails',
    description: 'stores a request whose count is the string "Int32"',
    provider: { validateRequestBody: false },
    expect: [{ interaction: 'wrongType', code: 'pact.status.mismatch', location: 'status' }],
  },
  {
    id: 'accepts-unknown-script',
    kind: 'input-rejection',
    outcome: 'fails',
    description: 'creates a summary for a script id that does not exist',
    provider: { checkScriptExists: false },
    expect: [{ interaction: 'unknownScript', code: 'pact.status.mismatch', location: 'status' }],
  },
  {
    id: 'bad-input-as-500',
    kind: 'input-rejection',
    outcome: 'fails',
    description: 'responds 500 instead of 400 to a count sent as a string',
    answer: { when: 400, status: 500 },
    expect: [{ interaction: 'wrongType', code: 'pact.status.mismatch', location: 'status' }],
  },

  // Conforming variants
  {
    id: 'reference-provider-as-is',
    kind: 'member-format',
    outcome: 'passes',
    description: 'the reference provider unchanged; it echoes 2026-11-30T08:15:42.1234567Z',
  },
  {
    id: 'content-type-full-odata',
    kind: 'header',
    outcome: 'passes',
    description: `sends Content-Type: ${fullODataJson}`,
    answer: { when: 'error', setHeaders: { 'Content-Type': fullODataJson } },
  },
  {
    id: 'content-type-media-type-upper-case',
    kind: 'header',
    outcome: 'passes',
    description: 'sends Content-Type: Application/JSON; charset=utf-8',
    answer: { setHeaders: { 'Content-Type': 'Application/JSON; charset=utf-8' } },
  },
  {
    id: 'content-type-parameters-any-case',
    kind: 'header',
    outcome: 'passes',
    description: 'sends Content-Type: application/json; ODATA.METADATA=minimal; Charset=UTF-8',
    answer: { setHeaders: { 'Content-Type': 'application/json; ODATA.METADATA=minimal; Charset=UTF-8' } },
  },
  {
    id: 'header-names-lower-case',
    kind: 'header',
    outcome: 'passes',
    description: 'sends every header name in lower case',
    answer: { setHeaders: { 'content-type': 'application/json', 'request-id': '3f2b7c9e-1d4a-4e8b-9c6f-0a5d2e7b1c84' } },
  },
  {
    id: 'header-names-upper-case',
    kind: 'header',
    outcome: 'passes',
    description: 'sends CONTENT-TYPE in upper case',
    answer: { setHeaders: { 'CONTENT-TYPE': fullODataJson } },
  },
  {
    id: 'date-seven-fractional-digits',
    kind: 'member-format',
    outcome: 'passes',
    description: 'sends lastScriptRunDateTime 2026-12-01T23:59:59.9999999Z',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: '2026-12-01T23:59:59.9999999Z' }] },
  },
  {
    id: 'date-with-offset',
    kind: 'member-format',
    outcome: 'passes',
    description: 'sends lastScriptRunDateTime with a +01:00 offset and no fraction',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: '2026-11-30T09:15:42+01:00' }] },
  },
  {
    id: 'date-null',
    kind: 'member-nullability',
    outcome: 'passes',
    description: 'sends lastScriptRunDateTime as null, as for a script no device has run',
    answer: { body: [{ op: 'set', path: '/value/lastScriptRunDateTime', value: null }] },
  },
  {
    id: 'odata-context-present',
    kind: 'envelope',
    outcome: 'passes',
    description: 'adds Graph\'s own @odata.context beside value',
    answer: {
      body: [
        {
          op: 'set',
          path: '/@odata.context',
          value: "https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceHealthScripts('5c9a0e8b-2f4d-4b6e-9a31-7d2c8e1f4a60')/runSummary/$entity",
        },
      ],
    },
  },
  {
    id: 'odata-context-absent',
    kind: 'envelope',
    outcome: 'passes',
    description: 'sends value without @odata.context',
    answer: { body: [{ op: 'remove', path: '/@odata.context' }] },
  },
  {
    id: 'odata-type-present',
    kind: 'odata-type',
    outcome: 'passes',
    description: 'annotates the summary with its own @odata.type',
    answer: { body: [{ op: 'set', path: '/value/@odata.type', value: '#microsoft.graph.deviceHealthScriptRunSummary' }] },
  },
  {
    id: 'future-response-member',
    kind: 'unknown-member',
    outcome: 'passes',
    description: 'adds a member this OpenAPI does not declare, as a later Graph version may',
    answer: { body: [{ op: 'set', path: '/value/remediationPendingDeviceCount', value: 0 }] },
  },
  {
    id: 'optional-count-absent',
    kind: 'member-required',
    outcome: 'passes',
    description: 'leaves out the optional detectionScriptNotApplicableDeviceCount',
    answer: { body: [{ op: 'remove', path: '/value/detectionScriptNotApplicableDeviceCount' }] },
  },
  {
    id: 'counts-at-int32-bounds',
    kind: 'member-range',
    outcome: 'passes',
    description: 'sends counts of 2147483647 and 0',
    answer: {
      body: [
        { op: 'set', path: '/value/issueDetectedDeviceCount', value: 2147483647 },
        { op: 'set', path: '/value/detectionScriptErrorDeviceCount', value: 0 },
      ],
    },
  },
  {
    id: 'error-body-with-optional-members',
    kind: 'error-body',
    outcome: 'passes',
    description: 'adds target: null and details to every error body',
    answer: {
      when: 'error',
      body: [
        { op: 'set', path: '/error/target', value: null },
        { op: 'set', path: '/error/details', value: [{ code: 'InvalidValue', message: 'See the member named in target.', target: null }] },
      ],
    },
  },
];
