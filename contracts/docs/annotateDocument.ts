import type { OpenAPIV3 } from 'openapi-types';
import { SuiteError } from '../errors';
import type { EndpointContract } from '../spec/endpoint';
import { schemaErrors } from '../spec/schemaValidator';
import type { DocumentedInteraction } from './documentedInteractions';
import { type VerificationStatus, displayPath } from './verificationStatus';

/** Extension on the operation that carries the pact and its verification in machine-readable form. */
export const pactExtension = 'x-pact';
/** Extension on each example taken from the pact. */
export const exampleExtension = 'x-pact-interaction';

const openApiExampleNote = ' (written in the OpenAPI, not part of the pact)';

export interface AnnotationInput {
  /** The bundled document; it is copied, never changed. */
  bundled: OpenAPIV3.Document;
  endpoint: EndpointContract;
  pact: { consumer: string; provider: string; fileName: string };
  interactions: DocumentedInteraction[];
  status: VerificationStatus;
  contractMarkdown: string;
}

/**
 * Returns a copy of the bundled document prepared for the renderer: the
 * contract section appended to `info.description`, the pact's interactions
 * as the first named examples of the request and of each response, and the
 * pact and its verification under `x-pact`. The OpenAPI's own examples stay,
 * after the pact's, with a note that no verification covers them.
 */
export function annotateDocument(input: AnnotationInput): OpenAPIV3.Document {
  const document = structuredClone(input.bundled);
  document.info.description = `${document.info.description ?? ''}\n\n${input.contractMarkdown}`;

  const pathItem = document.paths[input.endpoint.pathTemplate];
  const operation = pathItem?.[input.endpoint.method.toLowerCase() as OpenAPIV3.HttpMethods];
  if (!operation) {
    throw new SuiteError(
      'docs.operation.missing',
      `The bundled document has no ${input.endpoint.method} ${input.endpoint.pathTemplate}`,
      'Bundle the same OpenAPI file that the endpoint was read from.',
    );
  }

  const requestBody = resolveLocal<OpenAPIV3.RequestBodyObject>(document, operation.requestBody);
  operation.requestBody = requestBody;
  const requestContent = requestBody?.content[input.endpoint.requestMediaType];
  if (requestContent) {
    requestContent.examples = withPactExamples(
      requestContent,
      input.interactions.map((interaction) => [exampleKey(interaction), requestExample(interaction, input.endpoint)]),
    );
  }

  for (const status of new Set(input.interactions.map((interaction) => interaction.response.status))) {
    const response = resolveLocal<OpenAPIV3.ResponseObject>(document, operation.responses[String(status)]);
    if (!response) {
      throw new SuiteError(
        'docs.response.undeclared',
        `The pact expects status ${status}, which ${input.endpoint.method} ${input.endpoint.pathTemplate} does not declare`,
        'Regenerate the pact with `npm run pact:update`, or declare the status in the OpenAPI.',
      );
    }
    operation.responses[String(status)] = response;
    const mediaType = Object.keys(response.content ?? {})[0];
    const content = mediaType ? response.content?.[mediaType] : undefined;
    if (!content) {
      continue;
    }
    const matching = input.interactions.filter((interaction) => interaction.response.status === status);
    content.examples = withPactExamples(content, matching.map((interaction) => [exampleKey(interaction), responseExample(interaction)]));
  }

  (operation as unknown as Record<string, unknown>)[pactExtension] = {
    file: `pacts/${input.pact.fileName}`,
    consumer: input.pact.consumer,
    provider: input.pact.provider,
    verification: input.status.reportPath
      ? { report: displayPath(input.status.reportPath), verifiedAt: input.status.verifiedAt, provider: input.status.provider, providerBaseUrl: input.status.providerBaseUrl }
      : null,
    interactions: input.interactions.map((interaction) => ({
      description: interaction.description,
      providerState: interaction.providerState ?? null,
      status: interaction.response.status,
      verification: interaction.verification.state,
    })),
  };
  return document;
}

function withPactExamples(content: OpenAPIV3.MediaTypeObject, pactExamples: [string, OpenAPIV3.ExampleObject][]): Record<string, OpenAPIV3.ExampleObject | OpenAPIV3.ReferenceObject> {
  const examples: Record<string, OpenAPIV3.ExampleObject | OpenAPIV3.ReferenceObject> = Object.fromEntries(pactExamples);
  for (const [name, example] of Object.entries(content.examples ?? {})) {
    examples[`openapi-${name}`] = '$ref' in example ? example : { ...example, summary: `${example.summary ?? name}${openApiExampleNote}` };
  }
  if (content.example !== undefined) {
    examples['openapi-example'] = { summary: `Example${openApiExampleNote}`, value: content.example as unknown };
    delete content.example;
  }
  return examples;
}

function requestExample(interaction: DocumentedInteraction, endpoint: EndpointContract): OpenAPIV3.ExampleObject {
  const headers = Object.entries(interaction.request.headers)
    .map(([name, value]) => `\`${name}: ${value}\``)
    .join(', ');
  const state = interaction.providerState
    ? `Provider state: *${interaction.providerState.name}*; the path takes the id the state returns.`
    : 'No provider state.';
  return {
    summary: `Pact (${interaction.verification.mark}): ${interaction.description}`,
    description: [
      interaction.verification.sentence,
      state,
      `Sent as \`${interaction.request.method} ${interaction.request.path}\` with ${headers || 'no headers'}. Pact expects status ${interaction.response.status}.`,
      // A linter of the rendered copy flags this example, so the page explains why it is invalid.
      ...(schemaErrors(endpoint.requestSchema, interaction.request.body).length > 0
        ? ['This body breaks the request schema on purpose: the interaction checks that the provider rejects it.']
        : []),
    ].join('\n\n'),
    value: interaction.request.body,
    ...{ [exampleExtension]: extensionOf(interaction) },
  };
}

function responseExample(interaction: DocumentedInteraction): OpenAPIV3.ExampleObject {
  const headers = Object.entries(interaction.response.headers)
    .map(([name, value]) => `\`${name}: ${value}\``)
    .join(', ');
  return {
    summary: `Pact (${interaction.verification.mark}): ${interaction.description}`,
    description: [
      interaction.verification.sentence,
      `Status ${interaction.response.status} with ${headers || 'no headers'}. The pact shows the members a provider must send; it may send more.`,
    ].join('\n\n'),
    value: interaction.response.body,
    ...{ [exampleExtension]: extensionOf(interaction) },
  };
}

function extensionOf(interaction: DocumentedInteraction): Record<string, unknown> {
  return { description: interaction.description, verification: interaction.verification.state, label: interaction.verification.label };
}

function exampleKey(interaction: DocumentedInteraction): string {
  const slug = interaction.description.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `pact-${interaction.response.status}-${slug}`;
}

/**
 * Returns a copy of a local `#/components/...` reference's target, so the
 * examples added to it stay with this operation. Other values are returned as they are.
 */
function resolveLocal<T>(document: OpenAPIV3.Document, value: T | OpenAPIV3.ReferenceObject | undefined): T | undefined {
  if (!value || typeof value !== 'object' || !('$ref' in value)) {
    return value;
  }
  const reference = value.$ref;
  if (!reference.startsWith('#/')) {
    throw new SuiteError('docs.reference.external', `Reference ${reference} points outside the bundled document`, 'Bundle the OpenAPI before annotating it.');
  }
  let target: unknown = document;
  for (const segment of reference.slice(2).split('/')) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined;
  }
  if (target === undefined) {
    throw new SuiteError('docs.reference.unresolved', `Reference ${reference} does not resolve in the bundled document`, 'Fix the reference in the OpenAPI.');
  }
  return structuredClone(target) as T;
}
