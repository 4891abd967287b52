// The committed pact must agree with the OpenAPI, checked by a maintained
// comparator (@pactflow/openapi-pact-comparator) rather than by this suite's
// own code. The comparator treats response members the OpenAPI does not
// declare as errors, so a consumer that expects a misspelled or invented
// member is caught before any provider is verified.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Result } from '@pactflow/openapi-pact-comparator/dist/src/results/index';
import type { OpenAPIV3 } from 'openapi-types';
import { type InteractionKey, buildInteractions } from '../contracts/consumer/interactions';
import { pactFilePath } from '../contracts/consumer/pactFiles';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { readEndpoint } from '../contracts/spec/endpoint';

// The package (1.7.0) declares its types only under `exports`, which this
// project's `moduleResolution: node` does not read. So the result type comes
// from its file, and the class is required and typed here by hand.
interface PactComparator {
  compare(pact: unknown): AsyncGenerator<Result>;
}
const { Comparator } = createRequire(__filename)('@pactflow/openapi-pact-comparator') as {
  Comparator: new (openApi: OpenAPIV3.Document) => PactComparator;
};

interface PactJson {
  interactions: {
    description: string;
    request: { body?: { content?: Record<string, unknown> } };
    response: { status: number; body?: { content?: Record<string, Record<string, unknown>> } };
  }[];
}

const committedPact = JSON.parse(readFileSync(pactFilePath(), 'utf8')) as PactJson;
let descriptions: Record<InteractionKey, string>;

beforeAll(async () => {
  const endpoint = readEndpoint(await loadOpenApi());
  descriptions = Object.fromEntries(buildInteractions(endpoint).map((interaction) => [interaction.key, interaction.description])) as Record<InteractionKey, string>;
});

async function compare(pact: PactJson): Promise<Result[]> {
  // loadOpenApi validates the document first, so a broken OpenAPI fails with its file name, not inside the comparator.
  const comparator = new Comparator(await loadOpenApi());
  const results: Result[] = [];
  for await (const result of comparator.compare(pact)) {
    results.push(result);
  }
  return results;
}

/** Copies the committed pact and lets `edit` change the interaction named by `key`. */
function mutatedPact(key: InteractionKey, edit: (interaction: PactJson['interactions'][number]) => void): PactJson {
  const copy = structuredClone(committedPact);
  const interaction = copy.interactions.find((candidate) => candidate.description === descriptions[key]);
  if (!interaction) {
    throw new Error(`The committed pact has no interaction "${descriptions[key]}"; run \`npm run pact:update\``);
  }
  edit(interaction);
  return copy;
}

function summaryOf(interaction: PactJson['interactions'][number]): Record<string, unknown> {
  const summary = interaction.response.body?.content?.value;
  if (!summary) {
    throw new Error(`The interaction "${interaction.description}" has no value in its response body; run \`npm run pact:update\``);
  }
  return summary;
}

const brief = (result: Result): string => `${result.type} ${result.code}: ${result.message}`;

describe('committed pact against the OpenAPI', () => {
  it('has no errors', async () => {
    const results = await compare(committedPact);

    expect(results.filter((result) => result.type === 'error').map(brief)).toEqual([]);
  });

  it('has no warnings', async () => {
    const results = await compare(committedPact);

    expect(results.filter((result) => result.type === 'warning').map(brief)).toEqual([]);
  });

  it('flags a misspelled response member', async () => {
    const pact = mutatedPact('create', (interaction) => {
      const summary = summaryOf(interaction);
      summary.issueDetectedDevicesCount = summary.issueDetectedDeviceCount;
      delete summary.issueDetectedDeviceCount;
    });

    const errors = (await compare(pact)).filter((result) => result.type === 'error');

    expect(errors.map((result) => result.code)).toEqual(['response.body.incompatible']);
    expect(errors[0]?.message).toContain('must NOT have additional properties - issueDetectedDevicesCount');
    expect(errors[0]?.mockDetails?.interactionDescription).toBe(descriptions.create);
    expect(errors[0]?.mockDetails?.location).toMatch(/\.response\.body\.value$/);
  });

  it('flags an unknown response member', async () => {
    const pact = mutatedPact('create', (interaction) => {
      summaryOf(interaction).deviceCount = 1284;
    });

    const errors = (await compare(pact)).filter((result) => result.type === 'error');

    expect(errors.map((result) => result.code)).toEqual(['response.body.incompatible']);
    expect(errors[0]?.message).toContain('must NOT have additional properties - deviceCount');
  });

  it('flags an unknown member of an error body', async () => {
    const pact = mutatedPact('unknownScript', (interaction) => {
      const error = interaction.response.body?.content?.error ?? {};
      error.errorCode = error.code;
    });

    const errors = (await compare(pact)).filter((result) => result.type === 'error');

    expect(errors.map((result) => result.code)).toEqual(['response.body.incompatible']);
    expect(errors[0]?.message).toContain('errorCode');
  });

  it('flags an undeclared status', async () => {
    const pact = mutatedPact('create', (interaction) => {
      interaction.response.status = 200;
    });

    const errors = (await compare(pact)).filter((result) => result.type === 'error');

    expect(errors.map((result) => result.code)).toEqual(['response.status.unknown']);
  });

  it('flags a request count sent as a string', async () => {
    const pact = mutatedPact('create', (interaction) => {
      const body = interaction.request.body?.content as Record<string, unknown>;
      body.issueDetectedDeviceCount = '187';
    });

    const errors = (await compare(pact)).filter((result) => result.type === 'error');

    expect(errors.map((result) => result.code)).toEqual(['request.body.incompatible']);
    expect(errors[0]?.message).toContain('must be integer');
  });
});
