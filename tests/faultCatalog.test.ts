// Detection power: every fault of the catalog must make verification fail
// with its expected finding, and every conforming variant must pass with no
// finding. Each row runs the real verifyPact() (Pact's verifier in a child
// process, the recording proxy, the schema check) against its own reference
// provider on a loopback port.
import { type CatalogRow, faultCatalog, faultKinds } from '../contracts/faults/catalog';
import { type RowResult, runCatalog } from '../contracts/faults/runCatalog';
import { buildInteractions } from '../contracts/consumer/interactions';
import { checkResponse } from '../contracts/verification/responseCheck';
import { formatFinding } from '../contracts/verification/findings';
import { committedEndpoint } from './support/endpoint';

const results = new Map<string, RowResult>();

beforeAll(async () => {
  for (const result of await runCatalog(faultCatalog, { concurrency: 2 })) {
    results.set(result.row.id, result);
  }
}, 180_000);

function resultOf(id: string): RowResult {
  const result = results.get(id);
  if (!result) {
    throw new Error(`No result for catalog row '${id}'`);
  }
  return result;
}

const faults = faultCatalog.filter((row) => row.outcome === 'fails');
const variants = faultCatalog.filter((row) => row.outcome === 'passes');
const rowName = (row: CatalogRow): string => row.id;

describe('fault catalog contents', () => {
  it('holds at least 25 faults and 10 variants', () => {
    expect(faults.length).toBeGreaterThanOrEqual(25);
    expect(variants.length).toBeGreaterThanOrEqual(10);
  });

  it.each([...faultKinds])('has a fault of kind %s', (kind) => {
    expect(faults.filter((row) => row.kind === kind).length).toBeGreaterThan(0);
  });

  it('gives every row a unique id', () => {
    const ids = faultCatalog.map((row) => row.id);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists an expected finding for every fault', () => {
    const withoutExpectation = faults.filter((row) => (row.expect ?? []).length === 0).map(rowName);

    expect(withoutExpectation).toEqual([]);
  });
});

describe('fault detection', () => {
  it.each(faults.map((row) => [row.id, row] as const))('%s fails with its finding', (_id, row) => {
    const result = resultOf(row.id);

    expect(result.error).toBeUndefined();
    expect(result.outcome).toBe('fails');
    expect(result.missing).toEqual([]);
    expect(result.verdict).toBe('as-expected');
  });
});

describe('conforming variants', () => {
  it.each(variants.map((row) => [row.id, row] as const))('%s passes without findings', (_id, row) => {
    const result = resultOf(row.id);

    expect(result.error).toBeUndefined();
    expect(result.findings.map((finding) => formatFinding(finding))).toEqual([]);
    expect(result.outcome).toBe('passes');
  });
});

describe('finding messages', () => {
  it('show interaction, location, expected and actual', async () => {
    const endpoint = await committedEndpoint();
    const create = buildInteractions(endpoint).find((interaction) => interaction.key === 'create');
    const finding = resultOf('count-above-int32').findings.find((candidate) => candidate.code === 'response.body.member.range');

    const message = formatFinding(finding ?? { code: 'absent', interaction: '', location: '', expected: '', actual: '', source: 'schema' });

    expect(message).toContain('response.body.member.range at $.value.issueDetectedDeviceCount');
    expect(message).toContain(`interaction: ${create?.description ?? '(no create interaction)'}`);
    expect(message).toContain('expected: integer (int32) from -2147483648 to 2147483647');
    expect(message).toContain('actual:   2147483648');
  });

  it('name the broken path of an invalid catalog row', async () => {
    const broken: CatalogRow = {
      id: 'broken-path',
      kind: 'member-required',
      outcome: 'fails',
      description: 'removes a member the answer does not have',
      answer: { body: [{ op: 'remove', path: '/value/noSuchCount' }] },
      expect: [{ interaction: 'create', code: 'response.body.member.missing' }],
    };

    const [result] = await runCatalog([broken]);

    expect(result?.verdict).toBe('unexpected');
    expect(result?.outcome).toBe('error');
    expect(result?.error).toBe('catalog row "broken-path" is invalid: the response has no member at /value/noSuchCount');
  });
});

describe('checkResponse', () => {
  it('compares header names case-insensitively', async () => {
    const endpoint = await committedEndpoint();
    const body = JSON.stringify({ error: { code: 'ResourceNotFound', message: 'No script.' } });

    const plain = checkResponse(endpoint, 'probe', { status: 404, headers: { 'Content-Type': 'text/plain' }, bodyText: body });
    const json = checkResponse(endpoint, 'probe', { status: 404, headers: { 'CONTENT-TYPE': 'Application/JSON; charset=utf-8' }, bodyText: body });

    expect(plain.map((finding) => finding.code)).toEqual(['response.header.content-type.mismatch']);
    expect(json).toEqual([]);
  });

  it('reports one range finding for an Int32 overflow', async () => {
    const endpoint = await committedEndpoint();
    const summary = { ...(endpoint.responses.get(201)?.examples.weeklyFleetRun as { value: Record<string, unknown> }).value, issueDetectedDeviceCount: 2147483648 };

    const findings = checkResponse(endpoint, 'probe', { status: 201, headers: { 'content-type': 'application/json' }, bodyText: JSON.stringify({ value: summary }) });

    expect(findings.map((finding) => `${finding.code} ${finding.location}`)).toEqual(['response.body.member.range $.value.issueDetectedDeviceCount']);
  });
});
