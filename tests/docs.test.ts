// The docs may only call an example verified when a verification report
// records that it passed, and they must describe the contract the OpenAPI really holds. These
// tests run the generator on the committed OpenAPI and pact, read reports
// written by the suite's own report writer, and check the offline guards.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { parse } from 'yaml';
import { main as docsMain } from '../contracts/cli/docs';
import { consumerName, providerName } from '../contracts/consumer/interactions';
import { pactFilePath } from '../contracts/consumer/pactFiles';
import { exampleExtension, pactExtension } from '../contracts/docs/annotateDocument';
import { notVerifiedSentence } from '../contracts/docs/documentedInteractions';
import { type DocsResult, generateDocs } from '../contracts/docs/generateDocs';
import { networkGuardLogVariable } from '../contracts/docs/networkGuard';
import { findRemoteReferences, makeOffline } from '../contracts/docs/offlineHtml';
import { renderHtml } from '../contracts/docs/renderHtml';
import { readVerificationStatus, verificationSummaryFileName } from '../contracts/docs/verificationStatus';
import { SuiteError } from '../contracts/errors';
import { writeReports } from '../contracts/reports/writeReports';
import { defaultOpenApiPath } from '../contracts/spec/loadOpenApi';
import { readPactFile } from '../contracts/verification/pactFile';
import type { VerificationReport } from '../contracts/verification/verifyPact';

const createDescription = 'a request to create the run summary of a device health script';
const missingTokenDescription = 'a request to create a run summary without a bearer token';
const pactIdentity = { consumer: consumerName, provider: providerName, fileName: path.basename(pactFilePath()) };
const operationPath = '/deviceManagement/deviceHealthScripts/{id}/runSummary';
const committedPact = readPactFile(pactFilePath());
const directories: string[] = [];

function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'runsummary-docs-test-'));
  directories.push(directory);
  return directory;
}

/** A verification report as verifyPact returns it, for the suite's own report writer. */
function verificationReport(verdicts: Record<string, boolean>): VerificationReport {
  return {
    consumer: consumerName,
    provider: providerName,
    providerBaseUrl: 'https://staging.example.test/beta',
    pactPath: pactFilePath(),
    startedAt: '2026-12-01T09:30:00.000Z',
    durationMs: 1200,
    interactions: Object.entries(verdicts).map(([description, passed]) => ({ description, passed, findings: [] })),
    passed: Object.values(verdicts).every(Boolean),
    fixturesLeft: [],
    verifierOutput: '',
  };
}

function operationOf(document: OpenAPIV3.Document): OpenAPIV3.OperationObject {
  const operation = document.paths[operationPath]?.post;
  if (!operation) {
    throw new Error(`The document has no POST ${operationPath}`);
  }
  return operation;
}

function examplesOf(document: OpenAPIV3.Document, status: string): Record<string, OpenAPIV3.ExampleObject> {
  const response = operationOf(document).responses[status] as OpenAPIV3.ResponseObject;
  return (response.content?.['application/json']?.examples ?? {}) as Record<string, OpenAPIV3.ExampleObject>;
}

function sha256(filePath: string): string {
  return createHash('sha256').update(readFileSync(filePath)).digest('hex');
}

afterAll(() => {
  for (const directory of directories) {
    rmSync(directory, { recursive: true, force: true });
  }
});

describe('docs without a verification report', () => {
  let result: DocsResult;
  let openApiHashBefore: string;

  beforeAll(async () => {
    openApiHashBefore = sha256(defaultOpenApiPath);
    result = await generateDocs({ outputDirectory: temporaryDirectory(), reportsDirectory: temporaryDirectory(), renderHtml: false });
  });

  it('writes the bundle as JSON and YAML with the same content', () => {
    const fromJson: unknown = JSON.parse(readFileSync(result.files.bundledJson ?? '', 'utf8'));
    const fromYaml: unknown = parse(readFileSync(result.files.bundledYaml ?? '', 'utf8'));
    const source: unknown = parse(readFileSync(defaultOpenApiPath, 'utf8'));

    expect(fromJson).toEqual(fromYaml);
    expect(fromJson).toEqual(source);
  });

  it('leaves the OpenAPI source unchanged', () => {
    expect(sha256(defaultOpenApiPath)).toBe(openApiHashBefore);
  });

  it('keeps the annotated copy a valid OpenAPI document', async () => {
    const validated = await new SwaggerParser().validate(result.files.annotatedYaml ?? '');

    expect((validated as OpenAPIV3.Document).openapi).toBe('3.0.3');
  });

  it('marks every pact example as not verified yet', () => {
    const pactExamples = Object.values(examplesOf(result.annotated, '201')).filter((example) => exampleExtension in example);

    expect(pactExamples).toHaveLength(1);
    expect(pactExamples[0]?.summary).toBe(`Pact (not verified): ${createDescription}`);
    expect(pactExamples[0]?.description).toContain(notVerifiedSentence);
    expect(result.interactions.every((interaction) => interaction.verification.state === 'not-verified')).toBe(true);
  });

  it('puts the pact example before the OpenAPI ones', () => {
    const [first, ...others] = Object.values(examplesOf(result.annotated, '201'));

    expect(first).toBeDefined();
    expect(exampleExtension in (first ?? {})).toBe(true);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((example) => example.summary?.endsWith('(written in the OpenAPI, not part of the pact)'))).toBe(true);
  });

  it('shows each interaction request and response', () => {
    const requestContent = (operationOf(result.annotated).requestBody as OpenAPIV3.RequestBodyObject).content['application/json'];
    const requestSummaries = Object.values(requestContent?.examples ?? {}).map((example) => (example as OpenAPIV3.ExampleObject).summary);
    const statuses = [...new Set(result.interactions.map((interaction) => String(interaction.response.status)))];
    const responseSummaries = statuses.flatMap((status) => Object.values(examplesOf(result.annotated, status)).map((example) => example.summary));

    for (const interaction of result.interactions) {
      expect(requestSummaries).toContain(`Pact (not verified): ${interaction.description}`);
      expect(responseSummaries).toContain(`Pact (not verified): ${interaction.description}`);
    }
    expect(result.interactions).toHaveLength(committedPact.interactions.length);
  });

  it('keeps the shared error responses free of pact examples', () => {
    const shared = result.annotated.components?.responses?.Unauthorized as OpenAPIV3.ResponseObject;
    const sharedExamples = Object.values(shared.content?.['application/json']?.examples ?? {}) as OpenAPIV3.ExampleObject[];

    expect(sharedExamples.some((example) => exampleExtension in example)).toBe(false);
  });

  it('explains the deliberately invalid request', () => {
    const requestContent = (operationOf(result.annotated).requestBody as OpenAPIV3.RequestBodyObject).content['application/json'];
    const examples = Object.values(requestContent?.examples ?? {}) as OpenAPIV3.ExampleObject[];
    const explained = examples.filter((example) => example.description?.includes('This body breaks the request schema on purpose'));

    const summaries = explained.map((example) => example.summary);

    expect(summaries).toContain('Pact (not verified): a request to create a run summary with a count sent as a string');
    expect(summaries).not.toContain(`Pact (not verified): ${createDescription}`);
  });

  it('records the pact under x-pact', () => {
    const extension = (operationOf(result.annotated) as unknown as Record<string, { file: string; verification: unknown; interactions: unknown[] }>)[pactExtension];

    expect(extension?.file).toBe(`pacts/${pactIdentity.fileName}`);
    expect(extension?.verification).toBeNull();
    expect(extension?.interactions).toHaveLength(committedPact.interactions.length);
  });

  it('writes the contract section', () => {
    const description = result.annotated.info.description ?? '';

    expect(description).toContain('# The contract');
    expect(description).toContain('Not verified yet in this checkout');
    expect(description).toContain('## Interactions');
    expect(description).toContain('## Provider states');
    expect(description).toMatch(/- \*\*a device health script exists\*\* \(interactions [\d, ]+\)\./);
    expect(description).toMatch(/- \*\*no device health script has the given id\*\* \(interactions [\d, ]+\)\./);
    expect(description).toContain('Parameters in the pact: `scriptId` = `a1b2c3d4-0000-4000-8000-000000000000`.');
    expect(description).toContain('## What the checks enforce');
    expect(description).toContain('Int32 counts lie between their `minimum` and `maximum`');
    expect(description).toContain('| `detectionScriptNotApplicableDeviceCount` | no | integer (int32) from -2147483648 to 2147483647 | not in the pact |');
    expect(description).toContain('| `lastScriptRunDateTime` | yes |');
    expect(description).toContain('## Faults the suite tells apart');
    expect(description).toContain("## Microsoft's docs page and metadata");
  });

  it('names the known differences from Microsoft', () => {
    const description = result.annotated.info.description ?? '';

    expect(description).toContain('- **The count `detectionScriptNotApplicableDeviceCount`**');
    expect(description).toContain('every count reads `"Int32"`');
    expect(description).toContain('The permissions table is empty');
    expect(description).toContain('DeviceManagementConfiguration.ReadWrite.All');
  });
});

describe('docs with a verification report', () => {
  it('marks examples verified with date and provider', async () => {
    const reports = temporaryDirectory();
    writeReports(verificationReport({ [createDescription]: true, [missingTokenDescription]: false }), reports);

    const result = await generateDocs({ outputDirectory: temporaryDirectory(), reportsDirectory: reports, renderHtml: false });

    const created = result.interactions.find((interaction) => interaction.description === createDescription);
    const missingToken = result.interactions.find((interaction) => interaction.description === missingTokenDescription);
    const others = result.interactions.filter((interaction) => interaction !== created && interaction !== missingToken);
    expect(created?.verification.state).toBe('passed');
    expect(created?.verification.sentence).toBe('Verified against GraphDeviceHealthScripts at https://staging.example.test/beta on 2026-12-01 09:30 UTC.');
    expect(missingToken?.verification.state).toBe('failed');
    expect(others).toHaveLength(committedPact.interactions.length - 2);
    expect(others.every((interaction) => interaction.verification.state === 'not-in-report')).toBe(true);
    expect(examplesOf(result.annotated, '201')[`pact-201-${createDescription.replace(/ /g, '-')}`]?.summary).toBe(`Pact (verified): ${createDescription}`);
    expect(result.annotated.info.description).toContain('Last verification: 2026-12-01 09:30 UTC, against GraphDeviceHealthScripts at https://staging.example.test/beta.');
  });

  it('rejects a difference the OpenAPI no longer holds', async () => {
    const directory = temporaryDirectory();
    const changedOpenApi = path.join(directory, 'runSummary.openapi.yaml');
    const source = readFileSync(defaultOpenApiPath, 'utf8');
    // Requiring the count in the stored summary contradicts the documented choice to keep it optional.
    writeFileSync(changedOpenApi, source.replace('        - id\n        - detectionScriptErrorDeviceCount\n', '        - id\n        - detectionScriptErrorDeviceCount\n        - detectionScriptNotApplicableDeviceCount\n'));

    const failure = await generateDocs({ openApiPath: changedOpenApi, outputDirectory: directory, reportsDirectory: directory, renderHtml: false }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SuiteError);
    expect((failure as SuiteError).code).toBe('docs.difference.outdated');
    expect((failure as SuiteError).message).toContain('microsoft.graph.deviceHealthScriptRunSummary.detectionScriptNotApplicableDeviceCount is required');
  });
});

describe('verification report reader', () => {
  const writeJson = (directory: string, name: string, value: unknown): string => {
    const filePath = path.join(directory, name);
    writeFileSync(filePath, typeof value === 'string' ? value : JSON.stringify(value));
    return filePath;
  };
  const summary = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    consumer: consumerName,
    provider: providerName,
    pact: `/elsewhere/pacts/${pactIdentity.fileName}`,
    startedAt: '2026-12-02T10:00:00Z',
    interactions: [{ description: createDescription, passed: true }],
    ...overrides,
  });

  const skippedCases: { name: string; report: unknown; reason: string }[] = [
    { name: 'invalid JSON', report: '{"interactions": [', reason: 'it is not valid JSON' },
    { name: 'an array', report: [], reason: 'its top level is not a JSON object' },
    { name: 'another provider', report: summary({ provider: 'SomeOtherProvider' }), reason: 'it is about provider "SomeOtherProvider"' },
    { name: 'another consumer', report: summary({ consumer: 'SomeOtherConsumer' }), reason: 'it is about consumer "SomeOtherConsumer"' },
    { name: 'another pact file', report: summary({ pact: '/x/Other-Pact.json' }), reason: 'it verified Other-Pact.json' },
    { name: 'no interactions', report: summary({ interactions: [] }), reason: 'it has no per-interaction results' },
    { name: 'no date', report: summary({ startedAt: 'yesterday' }), reason: 'it has no valid date' },
  ];

  it.each(skippedCases)('skips a report with $name', ({ report, reason }) => {
    const directory = temporaryDirectory();
    const reportPath = writeJson(directory, verificationSummaryFileName, report);

    const status = readVerificationStatus(pactIdentity, { reportsDirectory: directory });

    expect(status.reportPath).toBeUndefined();
    expect(status.skipped).toHaveLength(1);
    expect(status.skipped[0]?.path).toBe(reportPath);
    expect(status.skipped[0]?.reason).toContain(reason);
  });

  it('reads Pact verifier results', () => {
    const directory = temporaryDirectory();
    writeJson(directory, 'pact-results.json', {
      timestamp: '2026-12-03T11:00:00Z',
      interactionResults: [{ description: createDescription, result: 'OK' }, { description: missingTokenDescription, result: 'failed' }],
    });

    const status = readVerificationStatus(pactIdentity, { reportsDirectory: directory });

    expect(status.verifiedAt).toBe('2026-12-03T11:00:00.000Z');
    expect(status.verdicts.get(createDescription)).toBe(true);
    expect(status.verdicts.get(missingTokenDescription)).toBe(false);
  });

  it('prefers the verify summary over other reports', () => {
    const directory = temporaryDirectory();
    writeJson(directory, 'zz-newer.json', summary({ startedAt: '2026-12-04T10:00:00Z' }));
    const preferred = writeJson(directory, verificationSummaryFileName, summary({}));

    const status = readVerificationStatus(pactIdentity, { reportsDirectory: directory });

    expect(status.reportPath).toBe(preferred);
    expect(status.verifiedAt).toBe('2026-12-02T10:00:00.000Z');
  });

  it('falls back to another report after a skipped one', () => {
    const directory = temporaryDirectory();
    writeJson(directory, verificationSummaryFileName, summary({ provider: 'SomeOtherProvider' }));
    const fallback = writeJson(directory, 'other.json', summary({}));

    const status = readVerificationStatus(pactIdentity, { reportsDirectory: directory });

    expect(status.reportPath).toBe(fallback);
    expect(status.skipped).toHaveLength(1);
  });

  it('rejects a named report that cannot be used', () => {
    const reportPath = path.join(temporaryDirectory(), 'missing.json');

    const read = (): unknown => readVerificationStatus(pactIdentity, { reportPath });

    expect(read).toThrow(SuiteError);
    expect(read).toThrow(`Verification report ${reportPath} cannot be used: the file does not exist`);
  });
});

describe('offline HTML', () => {
  const remoteCases: { name: string; html: string; url: string }[] = [
    { name: 'script src', html: '<script src="https://cdn.example.test/redoc.js"></script>', url: 'https://cdn.example.test/redoc.js' },
    { name: 'stylesheet link', html: "<link rel='stylesheet' href='https://example.test/a.css'>", url: 'https://example.test/a.css' },
    { name: 'protocol-relative image', html: '<img alt="" src=//example.test/logo>', url: '//example.test/logo' },
    { name: 'font in CSS', html: '<style>@font-face{src:url(https://example.test/f.woff2)}</style>', url: 'https://example.test/f.woff2' },
    { name: 'CSS import', html: '<style>@import "https://example.test/theme";</style>', url: 'https://example.test/theme' },
    { name: 'Google Fonts address in a script', html: '<script>load(`https://fonts.googleapis.com/css?family=Roboto`)</script>', url: 'https://fonts.googleapis.com/css?family=Roboto' },
    { name: 'image address in a script', html: '<script>img.src=`https://cdn.redoc.ly/redoc/logo-mini.svg`</script>', url: 'https://cdn.redoc.ly/redoc/logo-mini.svg' },
  ];
  const localCases: { name: string; html: string }[] = [
    { name: 'a link to follow', html: '<a href="https://opensource.org/licenses/MIT">MIT</a>' },
    { name: 'an SVG namespace', html: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
    { name: 'a documentation address in a script', html: '<script>const help = `https://react.dev/errors/`;</script>' },
    { name: 'a data URL', html: '<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E">' },
  ];

  it.each(remoteCases)('finds a remote $name', ({ html, url }) => {
    expect(findRemoteReferences(html).map((reference) => reference.url)).toContain(url);
  });

  it.each(localCases)('ignores $name', ({ html }) => {
    expect(findRemoteReferences(html)).toEqual([]);
  });

  it('replaces every remote reference', () => {
    const page = remoteCases.map((entry) => entry.html).join('\n');

    const { html, replaced } = makeOffline(page);

    expect(findRemoteReferences(html)).toEqual([]);
    expect(replaced).toHaveLength(remoteCases.length);
    expect(html).toContain('img.src=`data:image/svg+xml,');
  });
});

describe('docs renderer', () => {
  it('reports a document it cannot render', async () => {
    const directory = temporaryDirectory();
    const missing = path.join(directory, 'absent.yaml');

    const failure = await renderHtml({ openApiPath: missing, htmlPath: path.join(directory, 'index.html'), title: 'absent' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SuiteError);
    expect((failure as SuiteError).code).toBe('docs.renderer.failed');
    expect((failure as SuiteError).message).toContain(`Redocly's build-docs could not render ${missing}`);
  });
});

describe('network guard', () => {
  // The child replaces Socket#connect and dns.lookup with recorders before
  // the guard wraps them, so even a broken guard sends no packet.
  const script = `
    const net = require('node:net');
    const dns = require('node:dns');
    const reached = [];
    net.Socket.prototype.connect = function (options) { reached.push('connect ' + options.host); return this; };
    dns.lookup = function (hostname, callback) { reached.push('lookup ' + hostname); };
    dns.promises.lookup = async function (hostname) { reached.push('lookup ' + hostname); };
    require(process.env.GUARD_MODULE).installNetworkGuard();
    const errors = [];
    const remote = new net.Socket();
    remote.on('error', (error) => errors.push(error.code));
    remote.connect({ host: '192.0.2.10', port: 443 });
    new net.Socket().connect({ host: '127.0.0.1', port: 9 });
    dns.lookup('registry.example.test', (error) => errors.push(error.code));
    dns.promises.lookup('cdn.example.test').catch((error) => errors.push(error.code));
    const fetched = fetch('https://api.example.test/x').catch((error) => errors.push('fetch ' + error.cause?.code));
    fetched.then(() => setTimeout(() => console.log(JSON.stringify({ reached, errors })), 50));
  `;

  it('blocks remote targets and passes loopback', async () => {
    const logPath = path.join(temporaryDirectory(), 'blocked.txt');
    const guardModule = path.resolve(__dirname, '..', 'contracts', 'docs', 'networkGuard.ts');

    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--require', require.resolve('tsx/cjs'), '-e', script],
        { env: { ...process.env, GUARD_MODULE: guardModule, [networkGuardLogVariable]: logPath } },
        (error, stdout) => (error ? reject(new Error(`The guard check failed: ${error.message}`)) : resolve(stdout)),
      );
    });

    const { reached, errors } = JSON.parse(output) as { reached: string[]; errors: string[] };
    expect(reached).toEqual(['connect 127.0.0.1']);
    expect(errors.sort()).toEqual(['ECONNREFUSED', 'ENOTFOUND', 'ENOTFOUND', 'fetch ECONNREFUSED']);
    expect(readFileSync(logPath, 'utf8').split('\n').filter(Boolean).sort()).toEqual(['192.0.2.10:443', 'api.example.test:443', 'dns:cdn.example.test', 'dns:registry.example.test']);
  });
});

describe('docs command', () => {
  let errorOutput: string[];
  let standardOutput: string[];

  beforeEach(() => {
    errorOutput = [];
    standardOutput = [];
    jest.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errorOutput.push(parts.join(' ')));
    jest.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void standardOutput.push(parts.join(' ')));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('rejects an unknown option', async () => {
    const code = await docsMain(['--output', 'x']);

    expect(code).toBe(2);
    expect(errorOutput.join('\n')).toContain('error cli.invalid-option');
    expect(errorOutput.join('\n')).toContain('Run `npm run docs -- --help` for the options.');
  });

  it('rejects a missing report file', async () => {
    const reportPath = path.join(temporaryDirectory(), 'nope.json');

    const code = await docsMain(['--report', reportPath, '--out', temporaryDirectory()]);

    expect(code).toBe(2);
    expect(errorOutput.join('\n')).toContain(`error docs.report.unusable: Verification report ${reportPath} cannot be used: the file does not exist`);
  });

  it('rejects a missing pact file', async () => {
    const pactPath = path.join(temporaryDirectory(), 'absent-pact.json');

    const code = await docsMain(['--pact', pactPath, '--out', temporaryDirectory()]);

    expect(code).toBe(2);
    expect(errorOutput.join('\n')).toContain(`error pact.not-found: Pact file not found: ${pactPath}`);
  });

  it('prints the usage', async () => {
    const code = await docsMain(['--help']);

    expect(code).toBe(0);
    expect(standardOutput.join('\n')).toContain('Usage: npm run docs -- [options]');
  });
});

describe('docs generator', () => {
  it('reads the pact from another path', async () => {
    const directory = temporaryDirectory();
    mkdirSync(path.join(directory, 'pacts'));
    const pactCopy = path.join(directory, 'pacts', pactIdentity.fileName);
    copyFileSync(pactFilePath(), pactCopy);

    const result = await generateDocs({ pactPath: pactCopy, openApiPath: defaultOpenApiPath, outputDirectory: directory, reportsDirectory: directory, renderHtml: false });

    const committedStatuses = committedPact.interactions.map((interaction) => interaction.response.status).sort((left, right) => left - right);

    expect(result.interactions.map((interaction) => interaction.response.status)).toEqual(committedStatuses);
  });
});
