// Provider verification end to end: the committed pact, Pact's verifier and
// the embedded reference provider, all real and on loopback. A conforming
// provider passes; each fault below must fail and name its mismatch.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pactFilePath } from '../contracts/consumer/pactFiles';
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

  it('verifies an interaction without a provider state', async () => {
    const pact = JSON.parse(readFileSync(pactFilePath(), 'utf8')) as { interactions: { description: string; providerStates?: unknown; request: { generators?: unknown } }[] };
    const missing = pact.interactions.find((interaction) => interaction.description.endsWith('that does not exist'));
    // Without a state, Pact sends the example path, whose script id the provider does not have.
    delete missing?.providerStates;
    delete missing?.request.generators;
    const directory = mkdtempSync(path.join(os.tmpdir(), 'stateless-pact-'));
    const pactPath = path.join(directory, 'stateless.json');
    writeFileSync(pactPath, JSON.stringify(pact));
    const provider = await startReferenceProvider({ endpoint: await committedEndpoint() });

    try {
      const report = await verifyPact({ providerBaseUrl: provider.baseUrl, pactPath });

      expect(report.interactions.flatMap((result) => result.findings)).toEqual([]);
      expect(report.passed).toBe(true);
    } finally {
      await provider.close();
      rmSync(directory, { recursive: true, force: true });
    }
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
      for (const result of report.interactions) {
        expect(result.findings.filter((finding) => finding.source === 'state').length).toBeGreaterThan(0);
      }
    } finally {
      await provider.close();
      await new Promise<void>((resolve) => failingStates.close(() => resolve()));
    }
  });

  describe('with a flaky state-change endpoint', () => {
    // A state-change endpoint that fails its first calls, then creates the
    // parent script on the reference provider, stands for a provider whose
    // fixture set-up is unreliable.
    async function flakyStates(provider: RunningProvider, failures: number) {
      const { createServer } = await import('node:http');
      let setups = 0;
      const server = createServer((request, response) => {
        let text = '';
        request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        request.on('end', () => {
          const call = JSON.parse(text) as { action: string; params: { scriptId: string }; state: string };
          if (call.action !== 'setup') {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end('{}');
            return;
          }
          setups += 1;
          if (setups <= failures) {
            response.writeHead(500, { 'content-type': 'application/json' });
            response.end('{"error":"fixture store busy"}');
            return;
          }
          const create = call.state === 'a device health script exists'
            ? fetch(`${provider.baseUrl}/deviceManagement/deviceHealthScripts`, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', Authorization: 'Bearer contract-test-placeholder-token' },
                body: JSON.stringify({ displayName: 'flaky state fixture' }),
              }).then(async (created) => ((await created.json()) as { id: string }).id)
            : Promise.resolve(call.params.scriptId);
          void create.then((scriptId) => {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ scriptId }));
          });
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      return { url: `http://127.0.0.1:${port}/states`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    }

    it('passes when a failed set-up succeeds on a retry', async () => {
      const endpoint = await committedEndpoint();
      const provider = await startReferenceProvider({ endpoint });
      const states = await flakyStates(provider, 1);
      try {
        const report = await verifyPact({ providerBaseUrl: provider.baseUrl, providerStatesSetupUrl: states.url });

        expect(report.interactions.flatMap((result) => result.findings)).toEqual([]);
        expect(report.passed).toBe(true);
      } finally {
        await states.close();
        await provider.close();
      }
    });

    it('keeps findings on their own interaction after a skipped one', async () => {
      const endpoint = await committedEndpoint();
      // Every 400 body carries a date of the wrong type inside innerError.
      const provider = await startReferenceProvider({
        endpoint,
        transformRunSummaryAnswer: (answer) => {
          if (answer.status !== 400) {
            return answer;
          }
          const body = answer.body as { error: Record<string, unknown> };
          return { ...answer, body: { error: { ...body.error, innerError: { date: 12345 } } } };
        },
      });
      // Pact tries a set-up three times, so three failures skip the first interaction.
      const skippedFirst = await flakyStates(provider, 3);
      try {
        const report = await verifyPact({ providerBaseUrl: provider.baseUrl, providerStatesSetupUrl: skippedFirst.url });

        const [first, second] = report.interactions;
        expect(first?.description).toBe('a request to create a run summary with a count sent as a string');
        expect(first?.findings.map((finding) => finding.source)).not.toContain('schema');
        expect(first?.findings.map((finding) => finding.location)).toContain('state.a device health script exists');
        expect(second?.description).toBe('a request to create a run summary with a member the schema does not define');
        expect(second?.passed).toBe(false);
        expect(second?.findings.map((finding) => `${finding.code} ${finding.location}`)).toContain('response.body.member.type $.error.innerError.date');
        expect(second?.findings.filter((finding) => finding.source === 'state')).toEqual([]);
      } finally {
        await skippedFirst.close();
        await provider.close();
      }
    });
  });
});
