import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startReferenceProvider } from '../contracts/provider/referenceProvider';
import { readEndpoint } from '../contracts/spec/endpoint';
import { defaultOpenApiPath, loadOpenApi } from '../contracts/spec/loadOpenApi';
import { type CommandOptions, type CommandRun, measureCommand } from './processTree';

/** The Dredd version the bench was written against. Its hook API may differ in other versions. */
export const dreddVersion = '14.1.0';

/**
 * Dredd hooks that give Dredd's transactions the same four cases as the
 * pact: a script that exists, a count sent as a string (400), no bearer
 * token (401), and an unknown script (404). Dredd runs the other declared
 * statuses only as skipped, because it cannot make the provider produce them.
 * Written to a temporary file at run time: it is JavaScript that Dredd loads.
 */
const hooksSource = `
const hooks = require('hooks');
const http = require('http');
const missingScriptId = 'a1b2c3d4-0000-4000-8000-000000000000';

function call(transaction, method, requestPath, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: transaction.host, port: transaction.port, method, path: requestPath, headers: { authorization: 'Bearer bench', 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode, text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function withScript(transaction, scriptId) {
  transaction.fullPath = transaction.fullPath.replace(/deviceHealthScripts\\/[^/]+/, 'deviceHealthScripts/' + scriptId);
}

hooks.beforeEach((transaction, done) => {
  const status = transaction.expected.statusCode;
  if (!['201', '400', '401', '404'].includes(status)) {
    transaction.skip = true;
    return done();
  }
  if (status !== '401') {
    transaction.request.headers.Authorization = 'Bearer bench';
  }
  if (status === '400') {
    const body = JSON.parse(transaction.request.body);
    body.detectionScriptErrorDeviceCount = '3';
    transaction.request.body = JSON.stringify(body);
  }
  if (status === '404') {
    withScript(transaction, missingScriptId);
    return done();
  }
  call(transaction, 'POST', '/deviceManagement/deviceHealthScripts', JSON.stringify({ displayName: 'bench script' })).then(
    (answer) => {
      transaction.benchScriptId = JSON.parse(answer.text).id;
      withScript(transaction, transaction.benchScriptId);
      done();
    },
    (error) => {
      transaction.fail = 'bench hook could not create a script: ' + error.message;
      done();
    },
  );
});

hooks.afterEach((transaction, done) => {
  if (!transaction.benchScriptId) {
    return done();
  }
  call(transaction, 'DELETE', '/deviceManagement/deviceHealthScripts/' + transaction.benchScriptId).then(() => done(), () => done());
});
`;

export type PeerComparison =
  | { available: false; reason: string }
  | {
      available: true;
      version: string;
      dreddRuns: CommandRun[];
      /** Dredd's closing line, such as "0 passing, 4 failing, 0 errors, 4 skipped, 8 total". */
      dreddVerdict: string;
      /** `npm run verify -- --provider-base-url` against the same provider, for the side-by-side figure. */
      verifyRuns: CommandRun[];
    };

/**
 * Times Dredd and `npm run verify` against one reference provider that this
 * process starts, on the same OpenAPI document. Dredd must already be
 * installed under `prefix` (see BENCHMARKS.md for the command).
 */
export async function compareWithDredd(prefix: string, runs: number, options: CommandOptions): Promise<PeerComparison> {
  const dreddScript = path.join(prefix, 'node_modules', 'dredd', 'bin', 'dredd');
  const packagePath = path.join(prefix, 'node_modules', 'dredd', 'package.json');
  if (!existsSync(dreddScript) || !existsSync(packagePath)) {
    return { available: false, reason: `Dredd is not installed under ${prefix}; install it with \`npm install --prefix ${prefix} dredd@${dreddVersion}\`` };
  }
  const version = String((JSON.parse(readFileSync(packagePath, 'utf8')) as { version?: unknown }).version);

  const hooksDirectory = mkdtempSync(path.join(os.tmpdir(), 'bench-dredd-'));
  const hooksPath = path.join(hooksDirectory, 'hooks.js');
  writeFileSync(hooksPath, hooksSource);
  const provider = await startReferenceProvider({ endpoint: readEndpoint(await loadOpenApi()) });
  try {
    const dreddRuns: CommandRun[] = [];
    const verifyRuns: CommandRun[] = [];
    for (let run = 0; run < runs; run += 1) {
      dreddRuns.push(await measureCommand(process.execPath, [dreddScript, defaultOpenApiPath, provider.baseUrl, '--hookfiles', hooksPath, '--loglevel', 'warning', '--no-color'], options));
      verifyRuns.push(await measureCommand('npm', ['run', 'verify', '--', '--provider-base-url', provider.baseUrl], options));
    }
    const last = dreddRuns[dreddRuns.length - 1];
    const verdict = /complete: (\d+ passing.*total)/.exec(stripAnsi(last?.outputTail ?? ''));
    return { available: true, version, dreddRuns, dreddVerdict: verdict ? verdict[1] : `no summary line; exit code ${last?.exitCode}`, verifyRuns };
  } finally {
    await provider.close();
    rmSync(hooksDirectory, { recursive: true, force: true });
  }
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
