// Provider verification end to end: the committed pact, Pact's verifier and
// the embedded reference provider, all real and on loopback. A conforming
// provider passes; each fault below must fail and name its mismatch.
import { type ProviderAnswer, type RunningProvider, startReferenceProvider } from '../contracts/provider/referenceProvider';
import { formatFinding } from '../contracts/verification/findings';
import { type VerificationReport, verifyPact } from '../contracts/verification/verifyPact';
import { committedEndpoint } from './support/endpoint';

const createDescription = 'a request to create the run summary of a device health script';

async function verifyAgainst(transform?: (answer: ProviderAnswer) => ProviderAnswer): Promise<{ report: VerificationReport; provider: RunningProvider }> {
  const endpoint = await committedEndpoint();
  const provider = await startReferenceProvider({ endpoint, transformRunSummaryAnswer: transform });
  try {
    const report = await verifyPact({ providerBaseUrl: provider.baseUrl });
    return { report, provider };
  } finally {
    await provider.close();
  }
}

function onlySuccess(change: (answer: ProviderAnswer) => ProviderAnswer): (answer: ProviderAnswer) => ProviderAnswer {
  return (answer) => (answer.status === 201 ? change(answer) : answer);
}

function findingsOf(report: VerificationReport, description: string) {
  return report.interactions.find((result) => result.description === description)?.findings ?? [];
}

describe('verification against the reference provider', () => {
  it('passes every interaction of the committed pact', async () => {
    const { report, provider } = await verifyAgainst();

    expect(report.interactions).toHaveLength(5);
    expect(report.interactions.filter((result) => !result.passed)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(provider.scriptIds()).toEqual([]);
    expect(report.fixturesLeft).toEqual([]);
  });

  it('fails when the provider answers 200 instead of 201', async () => {
    const { report } = await verifyAgainst(onlySuccess((answer) => ({ ...answer, status: 200 })));

    const findings = findingsOf(report, createDescription);
    expect(report.passed).toBe(false);
    expect(findings.map((finding) => finding.code)).toContain('pact.status.mismatch');
    expect(findings.map((finding) => finding.code)).toContain('response.status.undeclared');
    const status = findings.find((finding) => finding.code === 'pact.status.mismatch');
    expect(status?.expected).toBe('201');
    expect(status?.actual).toBe('200');
  });

  it('fails when the provider drops the value envelope', async () => {
    const { report } = await verifyAgainst(onlySuccess((answer) => ({ ...answer, body: (answer.body as { value: unknown }).value })));

    const findings = findingsOf(report, createDescription);
    expect(report.passed).toBe(false);
    expect(findings.map((finding) => finding.code)).toContain('response.body.value.missing');
    expect(findings.map((finding) => finding.code)).toContain('pact.body.mismatch');
    const pactMessage = findings.find((finding) => finding.code === 'pact.body.mismatch')?.actual ?? '';
    expect(pactMessage).toContain('value');
  });

  it('fails when the provider sends a count as a string', async () => {
    const { report } = await verifyAgainst(
      onlySuccess((answer) => {
        const body = answer.body as { value: Record<string, unknown> };
        return { ...answer, body: { ...body, value: { ...body.value, issueDetectedDeviceCount: '187' } } };
      }),
    );

    const findings = findingsOf(report, createDescription);
    const typeFinding = findings.find((finding) => finding.code === 'response.body.member.type');
    expect(report.passed).toBe(false);
    expect(typeFinding?.location).toBe('$.value.issueDetectedDeviceCount');
    expect(typeFinding?.actual).toBe('"187"');
    expect(typeFinding?.expected).toContain('integer (int32)');
    expect(findings.some((finding) => finding.code === 'pact.body.mismatch' && finding.location === '$.value.issueDetectedDeviceCount')).toBe(true);
    expect(formatFinding(typeFinding!)).toContain(createDescription);
  });

  it('names the state whose set-up failed', async () => {
    const endpoint = await committedEndpoint();
    const provider = await startReferenceProvider({ endpoint });
    // A state-change endpoint that always fails stands for a provider whose fixture set-up is broken.
    const { createServer } = await import('node:http');
    const failingStates = createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"error":"database offline"}');
    });
    await new Promise<void>((resolve) => failingStates.listen(0, '127.0.0.1', resolve));
    const address = failingStates.address() as { port: number };

    try {
      const report = await verifyPact({ providerBaseUrl: provider.baseUrl, providerStatesSetupUrl: `http://127.0.0.1:${address.port}/states` });

      const stateFindings = report.interactions.flatMap((result) => result.findings).filter((finding) => finding.source === 'state');
      expect(report.passed).toBe(false);
      expect(stateFindings.length).toBeGreaterThan(0);
      expect(stateFindings.map((finding) => finding.location)).toContain('state.a device health script exists');
      expect(stateFindings[0]?.actual).toContain('answered 500');
    } finally {
      await provider.close();
      await new Promise<void>((resolve) => failingStates.close(() => resolve()));
    }
  });
});
