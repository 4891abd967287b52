// Consumer side of the contract: the typed client talks to Pact's mock
// server, which responds as the pact specifies and records what the client sent.
// The pact is derived from the OpenAPI, so this file holds no request or
// response shape of its own.
import { mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { GraphApiError, RunSummaryClient } from '../contracts/consumer/client';
import { type ContractInteraction, buildInteractions, consumerName, placeholderToken, providerName } from '../contracts/consumer/interactions';
import { pactFilePath } from '../contracts/consumer/pactFiles';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';

const outputDirectory = mkdtempSync(path.join(os.tmpdir(), 'runsummary-pact-'));
const updateCommittedPact = process.env.UPDATE_PACTS === 'true';

let interactions: ContractInteraction[];

beforeAll(async () => {
  interactions = buildInteractions(readEndpoint(await loadOpenApi()));
});

afterAll(() => {
  rmSync(outputDirectory, { recursive: true, force: true });
});

function pactFor(interaction: ContractInteraction) {
  const pact = new PactV4({ consumer: consumerName, provider: providerName, dir: outputDirectory, logLevel: 'warn' });
  return pact
    .addInteraction()
    .given(interaction.providerState.name, interaction.providerState.params)
    .uponReceiving(interaction.description)
    .withRequest(
      interaction.request.method,
      MatchersV3.fromProviderState(interaction.request.pathExpression, interaction.request.pathExample),
      (builder) => {
        builder.headers(interaction.request.headers as Record<string, string>);
        builder.jsonBody(interaction.request.body);
      },
    )
    .willRespondWith(interaction.response.status, (builder) => {
      builder.headers(interaction.response.headers as Record<string, string>);
      builder.jsonBody(interaction.response.body);
    });
}

function interaction(key: ContractInteraction['key']): ContractInteraction {
  const found = interactions.find((candidate) => candidate.key === key);
  if (!found) {
    throw new Error(`No interaction '${key}' was derived from the OpenAPI`);
  }
  return found;
}

function scriptIdOf(contract: ContractInteraction): string {
  return contract.providerState.params.scriptId;
}

describe('run summary consumer', () => {
  it('creates a run summary and returns the unwrapped value', async () => {
    const contract = interaction('create');

    await pactFor(contract).executeTest(async (mockServer) => {
      const client = new RunSummaryClient({ baseUrl: mockServer.url, getToken: () => placeholderToken });
      const created = await client.createRunSummary(scriptIdOf(contract), contract.request.plainBody as Record<string, unknown>);

      const expected = MatchersV3.reify(contract.response.body) as { value: Record<string, unknown> };
      expect(created).toEqual(expected.value);
      expect(typeof created.id).toBe('string');
    });
  });

  it('reports 401 when no bearer token is sent', async () => {
    const contract = interaction('missingToken');

    await pactFor(contract).executeTest(async (mockServer) => {
      const client = new RunSummaryClient({ baseUrl: mockServer.url });
      const failure = await client.createRunSummary(scriptIdOf(contract), contract.request.plainBody as Record<string, unknown>).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(GraphApiError);
      expect((failure as GraphApiError).status).toBe(401);
    });
  });

  it('reports 400 for a count sent as a string', async () => {
    const contract = interaction('wrongType');

    await pactFor(contract).executeTest(async (mockServer) => {
      const client = new RunSummaryClient({ baseUrl: mockServer.url, getToken: () => placeholderToken });
      const failure = await client.createRunSummary(scriptIdOf(contract), contract.request.plainBody as Record<string, unknown>).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(GraphApiError);
      expect((failure as GraphApiError).status).toBe(400);
    });
  });

  it('reports 400 for a member the schema does not define', async () => {
    const contract = interaction('unknownMember');

    await pactFor(contract).executeTest(async (mockServer) => {
      const client = new RunSummaryClient({ baseUrl: mockServer.url, getToken: () => placeholderToken });
      const failure = await client.createRunSummary(scriptIdOf(contract), contract.request.plainBody as Record<string, unknown>).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(GraphApiError);
      expect((failure as GraphApiError).status).toBe(400);
    });
  });

  it('reports 404 for an unknown script id', async () => {
    const contract = interaction('unknownScript');

    await pactFor(contract).executeTest(async (mockServer) => {
      const client = new RunSummaryClient({ baseUrl: mockServer.url, getToken: () => placeholderToken });
      const failure = await client.createRunSummary(scriptIdOf(contract), contract.request.plainBody as Record<string, unknown>).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(GraphApiError);
      expect((failure as GraphApiError).status).toBe(404);
    });
  });

  it('matches the committed pact', () => {
    const generatedPath = pactFilePath(outputDirectory);
    const committedPath = pactFilePath();
    if (updateCommittedPact) {
      copyFileSync(generatedPath, committedPath);
    }

    const generated: unknown = JSON.parse(readFileSync(generatedPath, 'utf8'));
    const committed: unknown = JSON.parse(readFileSync(committedPath, 'utf8'));

    // On a difference, run `npm run pact:update` and review the diff of pacts/.
    expect(committed).toEqual(generated);
  });
});
