// The HTML reference must work offline and show examples that a provider was
// really verified against. This test verifies the committed pact against the
// reference provider, writes the report the way `npm run verify` does,
// generates the docs into build/docs/ as `npm run docs` does, and opens the
// page in Debian's headless Chromium with every non-file request blocked.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { type DocsResult, defaultDocsDirectory, generateDocs } from '../contracts/docs/generateDocs';
import { findRemoteReferences } from '../contracts/docs/offlineHtml';
import { startReferenceProvider } from '../contracts/provider/referenceProvider';
import { writeReports } from '../contracts/reports/writeReports';
import { readEndpoint } from '../contracts/spec/endpoint';
import { loadOpenApi } from '../contracts/spec/loadOpenApi';
import { verifyPact } from '../contracts/verification/verifyPact';

// CHROMIUM_PATH lets a machine without Debian's package use another Chromium build, such as a CI runner's Chrome.
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const createDescription = 'a request to create the run summary of a device health script';
const endpointPath = '/deviceManagement/deviceHealthScripts/{id}/runSummary';

const temporary = mkdtempSync(path.join(os.tmpdir(), 'runsummary-docs-browser-'));
let docs: DocsResult;
let context: BrowserContext;
let page: Page;
const blockedRequests: string[] = [];

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: install Debian's package with \`apt-get update && apt-get install -y chromium\` (.ci/run does this in CI), or set CHROMIUM_PATH to another Chromium or Chrome.`);
  }

  const provider = await startReferenceProvider({ endpoint: readEndpoint(await loadOpenApi()) });
  try {
    const report = await verifyPact({ providerBaseUrl: provider.baseUrl });
    writeReports(report, path.join(temporary, 'reports'));
  } finally {
    await provider.close();
  }
  docs = await generateDocs({ outputDirectory: defaultDocsDirectory, reportsDirectory: path.join(temporary, 'reports') });

  context = await chromium.launchPersistentContext(path.join(temporary, 'profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1400, height: 1000 },
  });
  // Offline means that no request leaves the machine, so every request except file, data and blob URLs is aborted and recorded.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) {
      await route.continue();
      return;
    }
    blockedRequests.push(url);
    await route.abort('internetdisconnected');
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(pathToFileURL(docs.files.html ?? '').href);
  await page.getByText('The contract', { exact: true }).first().waitFor();
});

afterAll(async () => {
  await context?.close();
  rmSync(temporary, { recursive: true, force: true });
});

describe('HTML reference', () => {
  it('contains no remote script, style or font', () => {
    const html = readFileSync(docs.files.html ?? '', 'utf8');

    expect(findRemoteReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link[^>]*\shref\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
  });

  it('shows the endpoint, the 201 response and a verified example', async () => {
    await page.getByText('deviceHealthScripts', { exact: true }).first().click();
    await page.getByText('Create the run summary of a device health script', { exact: true }).first().click();
    await page.getByText(`Pact (verified): ${createDescription}`).first().waitFor();
    // Redoc scrolls the chosen operation to the top, which is the view worth keeping.
    await page.screenshot({ path: path.join(defaultDocsDirectory, 'screenshot-operation.png') });

    const verifiedSentence = /^Verified against GraphDeviceHealthScripts at http:\/\/127\.0\.0\.1:\d+ \(loopback\) on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\.$/;

    await expectVisible(page.getByText(endpointPath).first());
    await expectVisible(page.getByText(verifiedSentence).first());
    await expectVisible(page.getByText('The run summary was created. The body wraps it in value.').first());
    // The response panel repeats the create interaction's title and verdict under its 201 tab.
    await expectVisible(page.getByText(`Pact (verified): ${createDescription}`).nth(1));
    await expectVisible(page.getByText(verifiedSentence).nth(1));
    await page.screenshot({ path: path.join(defaultDocsDirectory, 'screenshot-responses.png') });
    expect(blockedRequests).toEqual([]);
  });

  it('shows the contract section', async () => {
    await page.getByText('The contract', { exact: true }).first().click();

    await expectVisible(page.getByRole('heading', { name: 'Provider states' }));
    await expectVisible(page.getByRole('heading', { name: "Microsoft's docs page and metadata" }));
    await expectVisible(page.getByText(/^\d+ of \d+ interactions of the pact passed in that run\./));
    await page.screenshot({ path: path.join(defaultDocsDirectory, 'screenshot-contract.png') });
    expect(blockedRequests).toEqual([]);
  });
});

async function expectVisible(locator: ReturnType<Page['getByText']>): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  expect(await locator.isVisible()).toBe(true);
}
