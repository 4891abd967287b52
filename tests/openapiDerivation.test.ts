// The OpenAPI document is the single source of truth: the loader must reject
// a broken document with its path and reason, and every shape in the pact
// must follow the document with no hand edits.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MatchersV3 } from '@pact-foundation/pact';
import type { DeviceHealthScriptRunSummary } from '../contracts/consumer/client';
import { buildInteractions, placeholderToken, ProviderStates } from '../contracts/consumer/interactions';
import { pactFilePath } from '../contracts/consumer/pactFiles';
import { SuiteError } from '../contracts/errors';
import { readEndpoint } from '../contracts/spec/endpoint';
import { defaultOpenApiPath, loadOpenApi, validationMarkerPath } from '../contracts/spec/loadOpenApi';

const workDirectory = mkdtempSync(path.join(os.tmpdir(), 'openapi-derivation-'));
const committedYaml = readFileSync(defaultOpenApiPath, 'utf8');

afterAll(() => {
  rmSync(workDirectory, { recursive: true, force: true });
});

function writeVariant(name: string, content: string): string {
  const filePath = path.join(workDirectory, name);
  writeFileSync(filePath, content);
  return filePath;
}

async function loadFailure(filePath: string): Promise<SuiteError> {
  const failure = await loadOpenApi(filePath).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(SuiteError);
  return failure as SuiteError;
}

async function interactionsFrom(yaml: string, name: string) {
  return buildInteractions(readEndpoint(await loadOpenApi(writeVariant(name, yaml))));
}

describe('loadOpenApi', () => {
  it('rejects YAML that does not parse, naming the file', async () => {
    const filePath = writeVariant('unparsable.yaml', 'openapi: 3.0.3\ninfo: [unclosed\n');

    const failure = await loadFailure(filePath);

    expect(failure.code).toBe('openapi.invalid');
    expect(failure.message).toContain(filePath);
  });

  it('remembers a valid document by its bytes only', async () => {
    const filePath = writeVariant('cached.yaml', committedYaml.replace('version: 1.0.0', 'version: 1.0.1'));

    await loadOpenApi(filePath);
    const validMarker = validationMarkerPath(filePath);
    writeFileSync(filePath, committedYaml.replace('version: 1.0.0', 'version: 1.0.1').replace(/^info:/m, 'infos:'));
    const failure = await loadFailure(filePath);

    expect(existsSync(validMarker)).toBe(true);
    expect(failure.code).toBe('openapi.invalid');
    expect(existsSync(validationMarkerPath(filePath))).toBe(false);
  });

  it('rejects a Swagger 2.0 document', async () => {
    const filePath = writeVariant('swagger.yaml', 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths: {}\n');

    const failure = await loadFailure(filePath);

    expect(failure.code).toBe('openapi.unsupported-version');
    expect(failure.message).toContain('"2.0"');
  });

  it('rejects a circular reference, naming the file', async () => {
    const circular = committedYaml.replace(
      '      properties:\n        date:\n',
      "      properties:\n        nested:\n          $ref: '#/components/schemas/microsoft.graph.ODataErrors.InnerError'\n        date:\n",
    );
    expect(circular).not.toBe(committedYaml);
    const filePath = writeVariant('circular.yaml', circular);

    const failure = await loadFailure(filePath);

    expect(failure.code).toBe('openapi.circular-reference');
    expect(failure.message).toContain(filePath);
  });

  it('rejects a document without the runSummary operation', async () => {
    const filePath = writeVariant('other-path.yaml', committedYaml.replace('/deviceManagement/deviceHealthScripts/{id}/runSummary:', '/somethingElse/{id}:'));

    const failure = await readEndpointFailure(filePath);

    expect(failure.code).toBe('openapi.operation.missing');
  });
});

async function readEndpointFailure(filePath: string): Promise<SuiteError> {
  const failure = await loadOpenApi(filePath)
    .then(readEndpoint)
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(SuiteError);
  return failure as SuiteError;
}

describe('interactions derived from the OpenAPI', () => {
  it('follow a renamed property with no hand edit', async () => {
    const renamed = committedYaml.replace(/issueReoccurredDeviceCount/g, 'issueRecurredDeviceCount');

    const interactions = await interactionsFrom(renamed, 'renamed.yaml');

    const create = interactions.find((interaction) => interaction.key === 'create');
    const body = MatchersV3.reify(create?.response.body) as { value: Record<string, unknown> };
    expect(Object.keys(body.value)).toContain('issueRecurredDeviceCount');
    expect(Object.keys(body.value)).not.toContain('issueReoccurredDeviceCount');
  });

  it('turn schema types into matchers', async () => {
    const interactions = await interactionsFrom(committedYaml, 'committed.yaml');

    const create = interactions.find((interaction) => interaction.key === 'create');
    const value = (create?.response.body as { value: Record<string, { 'pact:matcher:type'?: string }> }).value;
    const requestBody = create?.request.body as Record<string, { 'pact:matcher:type'?: string; regex?: string }>;
    expect(value.issueDetectedDeviceCount?.['pact:matcher:type']).toBe('integer');
    expect(value.id?.['pact:matcher:type']).toBe('type');
    expect(requestBody.lastScriptRunDateTime?.['pact:matcher:type']).toBe('regex');
    expect(requestBody.lastScriptRunDateTime?.regex).toContain('[0-9]{1,7}');
  });

  it('drop a member from the pact when the schema stops requiring it', async () => {
    const optional = committedYaml.replace('        - remediationSkippedDeviceCount\n      properties:\n        \'@odata.type\':\n          $ref: \'#/components/schemas/runSummaryODataType\'\n        id:', '      properties:\n        \'@odata.type\':\n          $ref: \'#/components/schemas/runSummaryODataType\'\n        id:');
    expect(optional).not.toBe(committedYaml);

    const interactions = await interactionsFrom(optional, 'optional.yaml');

    const create = interactions.find((interaction) => interaction.key === 'create');
    const body = MatchersV3.reify(create?.response.body) as { value: Record<string, unknown> };
    expect(Object.keys(body.value)).not.toContain('remediationSkippedDeviceCount');
    expect(Object.keys(body.value)).toContain('remediationScriptErrorDeviceCount');
  });

  it('send a misspelled member in the unknown-member request', async () => {
    const interactions = await interactionsFrom(committedYaml, 'committed-3.yaml');

    const unknownMember = interactions.find((interaction) => interaction.key === 'unknownMember');
    const members = Object.keys(unknownMember?.request.plainBody as Record<string, unknown>);
    expect(members).toContain('detectionScriptErrorDeviceCounts');
    expect(unknownMember?.response.status).toBe(400);
  });

  it('leave the nullable date out of the response matchers', async () => {
    const interactions = await interactionsFrom(committedYaml, 'committed-4.yaml');

    const create = interactions.find((interaction) => interaction.key === 'create');
    const value = (create?.response.body as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).not.toContain('lastScriptRunDateTime');
    expect(Object.keys(value)).toContain('issueDetectedDeviceCount');
  });

  it('send the docs placeholder "Int32" in the wrong-type request', async () => {
    const interactions = await interactionsFrom(committedYaml, 'committed-2.yaml');

    const wrongType = interactions.find((interaction) => interaction.key === 'wrongType');
    const values = Object.values(wrongType?.request.plainBody as Record<string, unknown>);
    expect(values).toContain('Int32');
    expect(wrongType?.response.status).toBe(400);
  });
});

describe('committed pact', () => {
  const pact = JSON.parse(readFileSync(pactFilePath(), 'utf8')) as {
    interactions: { description: string; providerStates: { name: string }[]; request: { headers: Record<string, string[]>; generators?: { path?: { type: string } } }; response: { status: number; body: { content: Record<string, unknown> } } }[];
  };

  it('holds the 201, 401, two 400 and 404 interactions', () => {
    const statuses = pact.interactions.map((interaction) => interaction.response.status).sort();

    expect(statuses).toEqual([201, 400, 400, 401, 404]);
  });

  it('sends Authorization and Content-Type on the create request', () => {
    const create = pact.interactions.find((interaction) => interaction.response.status === 201);

    expect(Object.keys(create?.request.headers ?? {})).toEqual(expect.arrayContaining(['Authorization', 'Content-Type']));
    expect(create?.response.body.content).toHaveProperty('value');
  });

  it('omits Authorization on the 401 request', () => {
    const unauthorized = pact.interactions.find((interaction) => interaction.response.status === 401);

    expect(Object.keys(unauthorized?.request.headers ?? {})).not.toContain('Authorization');
  });

  it('takes the script id from the provider state', () => {
    for (const interaction of pact.interactions) {
      expect(interaction.request.generators?.path?.type).toBe('ProviderState');
      expect(Object.values(ProviderStates)).toContain(interaction.providerStates[0]?.name);
    }
  });

  it('holds only the placeholder token', () => {
    const text = readFileSync(pactFilePath(), 'utf8');
    const bearerValues = [...text.matchAll(/Bearer ([^"\\]+)/g)].map((match) => match[1]);

    expect(bearerValues.length).toBeGreaterThan(0);
    expect(new Set(bearerValues)).toEqual(new Set([placeholderToken]));
  });
});

describe('client types', () => {
  it('name exactly the members of the OpenAPI schema', async () => {
    const endpoint = readEndpoint(await loadOpenApi());
    // Required<> plus an object literal makes the compiler reject a missing or extra key.
    const everyMember: Required<DeviceHealthScriptRunSummary> = {
      '@odata.type': '#microsoft.graph.deviceHealthScriptRunSummary',
      id: 'x',
      detectionScriptErrorDeviceCount: 0,
      detectionScriptNotApplicableDeviceCount: 0,
      detectionScriptPendingDeviceCount: 0,
      issueDetectedDeviceCount: 0,
      issueRemediatedCumulativeDeviceCount: 0,
      issueRemediatedDeviceCount: 0,
      issueReoccurredDeviceCount: 0,
      lastScriptRunDateTime: null,
      noIssueDetectedDeviceCount: 0,
      remediationScriptErrorDeviceCount: 0,
      remediationSkippedDeviceCount: 0,
    };

    const entity = endpoint.responses.get(201)?.schema.properties?.value as { properties?: Record<string, unknown> };

    expect(Object.keys(everyMember).sort()).toEqual(Object.keys(entity.properties ?? {}).sort());
  });
});
