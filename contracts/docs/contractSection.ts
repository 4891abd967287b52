import type { OpenAPIV3 } from 'openapi-types';
import { type ProviderStateName, ProviderStates, scriptIdParameter } from '../consumer/contractNames';
import { SuiteError } from '../errors';
import { type CatalogRow, faultKinds } from '../faults/catalog';
import type { EndpointContract } from '../spec/endpoint';
import { describeSchema } from '../verification/responseCheck';
import type { DocumentedInteraction, MatchingRuleLine } from './documentedInteractions';
import { type ContractFact, type KnownDifference } from './knownDifferences';
import { describeProvider, displayPath, formatInstant, isLoopbackUrl } from './verificationStatus';
import type { VerificationStatus } from './verificationStatus';

/** The provider's duty for each state before an interaction, keyed by the state's name. */
const stateDuties: Record<ProviderStateName, string> = {
  [ProviderStates.scriptExists]:
    'Create a device health script (on Graph: `POST /deviceManagement/deviceHealthScripts`) and return its id as `scriptId`, which Pact puts into the request path. The script is deleted after the interaction.',
  [ProviderStates.scriptMissing]:
    'Make sure that no device health script has the id given as `scriptId` (on Graph: `GET /deviceManagement/deviceHealthScripts/{scriptId}` returns 404). Nothing is created.',
};

export interface ContractSectionInput {
  endpoint: EndpointContract;
  pactFileName: string;
  interactions: DocumentedInteraction[];
  status: VerificationStatus;
  faults: readonly CatalogRow[];
  differences: readonly KnownDifference[];
}

/**
 * Writes the Markdown of the "The contract" section. Redoc lists the
 * headings of `info.description` in its menu.
 */
export function contractSectionMarkdown(input: ContractSectionInput): string {
  return [
    '# The contract',
    '',
    `\`npm run docs\` writes this section from the OpenAPI document and the committed pact \`pacts/${input.pactFileName}\`. The examples beside the operation are the interactions of that pact, request and response, each marked with the result of the last verification in this checkout. Examples written in the OpenAPI follow them and say so.`,
    '',
    verificationMarkdown(input),
    interactionsMarkdown(input.interactions),
    providerStatesMarkdown(input.interactions),
    checksMarkdown(input.endpoint, input.interactions),
    faultsMarkdown(input.faults),
    differencesMarkdown(input.endpoint, input.differences),
  ].join('\n');
}

function verificationMarkdown(input: ContractSectionInput): string {
  const lines = ['## Verification', ''];
  const { status } = input;
  if (!status.reportPath || !status.verifiedAt) {
    lines.push('Not verified yet in this checkout. Run `npm run verify` (it writes `reports/verification-summary.json`), then `npm run docs` again.', '');
    return lines.join('\n');
  }
  const passed = input.interactions.filter((interaction) => interaction.verification.state === 'passed').length;
  lines.push(`Last verification: ${formatInstant(status.verifiedAt)}, against ${describeProvider(status)}.`, '');
  if (status.providerBaseUrl && isLoopbackUrl(status.providerBaseUrl)) {
    lines.push('A loopback address means a provider on the machine that ran the verification, such as the embedded reference provider of `npm run verify`.', '');
  }
  lines.push(`${passed} of ${input.interactions.length} interactions of the pact passed in that run. Report: \`${displayPath(status.reportPath)}\`.`, '');
  return lines.join('\n');
}

function interactionsMarkdown(interactions: DocumentedInteraction[]): string {
  const rows = interactions.map((interaction, index) => {
    const token = Object.keys(interaction.request.headers).some((name) => name.toLowerCase() === 'authorization') ? 'yes' : 'no';
    return row([
      String(index + 1),
      interaction.description,
      interaction.providerState?.name ?? 'none',
      token,
      String(interaction.response.status),
      interaction.verification.mark,
    ]);
  });
  return [
    '## Interactions',
    '',
    `Every interaction sends \`${interactions[0]?.request.method ?? 'POST'}\` to the operation below, to the path of the script that its provider state names.`,
    '',
    row(['#', 'Interaction', 'Provider state', 'Bearer token', 'Status', 'Verification']),
    row(['---', '---', '---', '---', '---', '---']),
    ...rows,
    '',
  ].join('\n');
}

function providerStatesMarkdown(interactions: DocumentedInteraction[]): string {
  const states = new Map<string, { params: Record<string, unknown>; numbers: number[] }>();
  interactions.forEach((interaction, index) => {
    if (interaction.providerState) {
      const entry = states.get(interaction.providerState.name) ?? { params: interaction.providerState.params, numbers: [] };
      entry.numbers.push(index + 1);
      states.set(interaction.providerState.name, entry);
    }
  });
  const items = [...states.entries()].map(([name, entry]) => {
    const duty = (stateDuties as Record<string, string | undefined>)[name];
    if (!duty) {
      throw new SuiteError(
        'docs.state.undocumented',
        `The pact uses provider state '${name}', which the docs do not describe`,
        'Add the state to stateDuties in contracts/docs/contractSection.ts.',
      );
    }
    return [
      `- **${name}** (interactions ${entry.numbers.join(', ')}).`,
      `  Parameters in the pact: ${formatParams(entry.params)}.`,
      `  ${duty}`,
    ].join('\n');
  });
  return [
    '## Provider states',
    '',
    `States are facts about data. The verifier sends each one to the provider before its interaction, with the state's parameters; the provider returns \`${scriptIdParameter}\`, the id that goes into the request path.`,
    '',
    ...items,
    '',
  ].join('\n');
}

/**
 * Describes both checks that run on every response: Pact's matching rules
 * and the schema check against the OpenAPI. Statuses, header rules, required
 * members, member schemas and matchers come from the pact and the document.
 * Only the wording of what each check does is fixed here.
 */
function checksMarkdown(endpoint: EndpointContract, interactions: DocumentedInteraction[]): string {
  const success = endpoint.responses.get(endpoint.successStatus);
  const summarySchema = (success?.schema.properties?.value ?? {}) as OpenAPIV3.SchemaObject;
  const create = interactions.find((interaction) => interaction.response.status === endpoint.successStatus);
  const bodyRules = new Map((create?.responseRules ?? []).map((line) => [line.target, line]));
  const pactStatuses = [...new Set(interactions.map((interaction) => interaction.response.status))].join(', ');
  const declaredStatuses = [...endpoint.responses.keys()].join(', ');
  const contentTypeRule = create?.responseRules.find((line) => line.target.toLowerCase() === 'header.content-type');
  const declaredHeaders = [...endpoint.responses.values()]
    .flatMap((response) => Object.keys(response.headers).map((name) => `\`${name}\` (${response.status})`))
    .join(', ');
  const errorSchema = [...endpoint.responses.values()].find((response) => response.status >= 400)?.schema;

  const aspects = [
    row(['Status', `equals the interaction's status (${pactStatuses})`, `is one the OpenAPI declares (${declaredStatuses})`]),
    row([
      'Headers',
      contentTypeRule ? `\`Content-Type\` matches ${contentTypeRule.matchers.map(code).join(' and ')}` : 'none',
      `\`Content-Type\` has the declared media type, parameters and case aside; declared headers, when sent, match their schema: ${declaredHeaders || 'none'}`,
    ]),
    row([
      'Envelope',
      'every member the pact shows is present; members it does not show may be added',
      `the ${endpoint.successStatus} body requires ${listMembers(success?.schema.required)}; error bodies require ${listMembers(errorSchema?.required)} with ${listMembers((errorSchema?.properties?.error as OpenAPIV3.SchemaObject | undefined)?.required)}`,
    ]),
    row(['Types', 'counts by Pact\'s `integer` matcher, strings by `type`, enumerations and date-times by `regex`', 'every member has its schema type; `null` only where the schema is nullable']),
    row(['Ranges', 'not checked: Pact\'s integer matcher has no bounds', 'Int32 counts lie between their `minimum` and `maximum`']),
    row(['Formats', 'date-times by the regex shown below', '`date-time` must be a real calendar date and time with an offset, and match the schema\'s pattern']),
  ];

  const memberRows = Object.entries(summarySchema.properties ?? {}).map(([name, property]) => {
    const schema = property as OpenAPIV3.SchemaObject;
    const rule = bodyRules.get(`$.value.${name}`) ?? bodyRules.get(`$.value['${name}']`);
    return row([
      `\`${name}\``,
      (summarySchema.required ?? []).includes(name) ? 'yes' : 'no',
      describeSchema(schema),
      rule ? rule.matchers.map(code).join(', ') : 'not in the pact',
    ]);
  });

  return [
    '## What the checks enforce',
    '',
    'Two checks judge every response during `npm run verify`. Pact\'s verifier applies the matching rules of the pact. The schema check validates the same response against the OpenAPI, which is stricter. An interaction passes only when both find nothing.',
    '',
    row(['Aspect', 'Pact\'s verifier (matching rules of the pact)', 'Schema check (OpenAPI)']),
    row(['---', '---', '---']),
    ...aspects,
    '',
    `### Members of the stored summary (the value of the ${endpoint.successStatus} body)`,
    '',
    row(['Member', 'Required', 'Schema check accepts', 'Pact matcher']),
    row(['---', '---', '---', '---']),
    ...memberRows,
    '',
    '### Matching rules of the pact',
    '',
    'Each rule with the interactions (numbered as above) that carry it. A target without a rule is compared literally.',
    '',
    row(['Part', 'Target', 'Matcher', 'Interactions']),
    row(['---', '---', '---', '---']),
    ...ruleRows(interactions),
    '',
  ].join('\n');
}

function faultsMarkdown(faults: readonly CatalogRow[]): string {
  const rows = [...faults]
    .sort((left, right) => faultKinds.indexOf(left.kind) - faultKinds.indexOf(right.kind))
    .map((fault) => {
      const codes = [...new Set((fault.expect ?? []).map((finding) => finding.code))].map(code).join(', ');
      return row([fault.kind, fault.description, fault.outcome === 'fails' ? `fails: ${codes}` : 'passes (a valid variant)']);
    });
  return [
    '## Faults the suite tells apart',
    '',
    'The fault catalog of the suite turns the reference provider into a faulty one, one row at a time, and runs the verification. A fault must fail with the finding codes listed; a valid variant of a Graph answer must pass.',
    '',
    row(['Kind', 'What the provider does', 'Expected verdict']),
    row(['---', '---', '---']),
    ...rows,
    '',
  ].join('\n');
}

function differencesMarkdown(endpoint: EndpointContract, differences: readonly KnownDifference[]): string {
  for (const difference of differences) {
    for (const fact of difference.contractCheck) {
      const problem = factProblem(endpoint.document, fact);
      if (problem) {
        throw new SuiteError(
          'docs.difference.outdated',
          `The documented difference "${difference.topic}" no longer matches the OpenAPI: ${problem}`,
          'Update the row in contracts/docs/knownDifferences.ts to what the OpenAPI now does.',
        );
      }
    }
  }
  const items = differences.map((difference) =>
    [`- **${difference.topic}**`, `  - Docs page: ${difference.docsPage}`, `  - Metadata: ${difference.metadata}`, `  - This contract: ${difference.contract}`].join('\n'),
  );
  return [
    '## Microsoft\'s docs page and metadata',
    '',
    'Microsoft\'s docs page for this call and Microsoft\'s CSDL metadata disagree in places. The contract follows the metadata for the type and says below where it departs from the page.',
    '',
    ...items,
    '',
  ].join('\n');
}

/** Returns why a fact does not hold for the document, or undefined when it holds. */
export function factProblem(document: OpenAPIV3.Document, fact: ContractFact): string | undefined {
  const schema = document.components?.schemas?.[fact.schema] as OpenAPIV3.SchemaObject | undefined;
  if (!schema) {
    return `schema ${fact.schema} is missing`;
  }
  if (fact.kind === 'closed-object') {
    return schema.additionalProperties === false ? undefined : `${fact.schema} accepts unknown members`;
  }
  const member = schema.properties?.[fact.member] as OpenAPIV3.SchemaObject | undefined;
  const required = (schema.required ?? []).includes(fact.member);
  switch (fact.kind) {
    case 'optional-member':
      return member && !required ? undefined : `${fact.schema}.${fact.member} is ${member ? 'required' : 'not declared'}`;
    case 'required-member':
      return member && required ? undefined : `${fact.schema}.${fact.member} is ${member ? 'optional' : 'not declared'}`;
    case 'read-only-member':
      return member?.readOnly === true ? undefined : `${fact.schema}.${fact.member} is not read-only`;
    case 'member-type':
      return member?.type === fact.type ? undefined : `${fact.schema}.${fact.member} has type ${String(member?.type)}, not ${fact.type}`;
  }
}

/** Writes one row per distinct rule, so a rule that all interactions share appears once. */
function ruleRows(interactions: DocumentedInteraction[]): string[] {
  const rules = new Map<string, { part: string; target: string; matchers: string; numbers: number[] }>();
  interactions.forEach((interaction, index) => {
    const parts: [string, MatchingRuleLine[]][] = [
      ['request', interaction.requestRules],
      ['response', interaction.responseRules],
    ];
    for (const [part, lines] of parts) {
      for (const line of lines) {
        const matchers = line.matchers.map(code).join(', ');
        const key = `${part} ${line.target} ${matchers}`;
        const entry = rules.get(key) ?? { part, target: line.target, matchers, numbers: [] };
        entry.numbers.push(index + 1);
        rules.set(key, entry);
      }
    }
  });
  return [...rules.values()].map((rule) => row([rule.part, code(rule.target), rule.matchers, rule.numbers.join(', ')]));
}

function listMembers(members: string[] | undefined): string {
  return members && members.length > 0 ? members.map((member) => `\`${member}\``).join(', ') : 'nothing';
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([name, value]) => `\`${name}\` = \`${String(value)}\``)
    .join(', ');
}

/** Wraps text in a Markdown code span, choosing a fence that the text does not contain. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text}${fence}`;
}

/** Writes one Markdown table row, with pipes inside cells escaped. */
function row(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
}
