import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SuiteError } from '../errors';
import { networkGuardLogVariable } from './networkGuard';
import { type RemoteReference, findRemoteReferences, makeOffline } from './offlineHtml';

export interface RenderOptions {
  /** The OpenAPI document to render, as a file. */
  openApiPath: string;
  htmlPath: string;
  title: string;
  /** Milliseconds the renderer may take; 60000 by default. */
  timeoutMs?: number;
}

export interface RenderResult {
  htmlPath: string;
  /** Remote references the renderer's page contained, each replaced by a local stand-in. */
  replaced: RemoteReference[];
}

/**
 * Renders an OpenAPI document to one static HTML page with Redocly CLI's
 * `build-docs`, Redoc's scripts inlined so the page needs no CDN. The
 * renderer runs with telemetry and update checks off and with a guard that
 * blocks every connection to another host; any attempt fails the build.
 * Remote references left in the page are replaced, and the page is checked
 * again before it is written.
 */
export async function renderHtml(options: RenderOptions): Promise<RenderResult> {
  const workDirectory = mkdtempSync(path.join(os.tmpdir(), 'runsummary-docs-'));
  const guardLog = path.join(workDirectory, 'blocked-connections.txt');
  const rawHtmlPath = path.join(workDirectory, 'redoc.html');
  try {
    await runRenderer(options, rawHtmlPath, guardLog);

    const blocked = existsSync(guardLog) ? readFileSync(guardLog, 'utf8').split('\n').filter((line) => line.length > 0) : [];
    if (blocked.length > 0) {
      throw new SuiteError(
        'docs.renderer.network',
        `The docs renderer tried to reach other hosts: ${[...new Set(blocked)].join(', ')}`,
        'Keep REDOCLY_TELEMETRY=off and REDOCLY_SUPPRESS_UPDATE_NOTICE=true, and render only local files.',
      );
    }

    const { html, replaced } = makeOffline(readFileSync(rawHtmlPath, 'utf8'));
    const remaining = findRemoteReferences(html);
    if (remaining.length > 0) {
      throw new SuiteError(
        'docs.html.remote-reference',
        `The generated page still refers to remote files: ${remaining.map((reference) => reference.url).join(', ')}`,
        'Add a stand-in for each address in contracts/docs/offlineHtml.ts.',
      );
    }
    writeFileSync(options.htmlPath, html, 'utf8');
    return { htmlPath: options.htmlPath, replaced };
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

function runRenderer(options: RenderOptions, outputPath: string, guardLog: string): Promise<void> {
  const cli = require.resolve('@redocly/cli/bin/cli.js');
  const args = [
    '--require',
    require.resolve('tsx/cjs'),
    '--require',
    path.join(__dirname, 'networkGuardPreload.ts'),
    cli,
    'build-docs',
    options.openApiPath,
    '--output',
    outputPath,
    '--inlineBundle',
    '--title',
    options.title,
    '--lint-config',
    'off',
  ];
  const env = {
    ...process.env,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    [networkGuardLogVariable]: guardLog,
  };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error && existsSync(outputPath)) {
        resolve();
        return;
      }
      const output = `${stderr}\n${stdout}`.split('\n').filter((line) => line.trim().length > 0 && !/[║╔╚]/.test(line)).slice(-8).join('\n  ');
      reject(
        new SuiteError(
          'docs.renderer.failed',
          `Redocly's build-docs could not render ${options.openApiPath}${error?.killed ? ' before the timeout' : ''}: ${output || (error?.message ?? 'no output file')}`,
          'Check the document with `npm run lint:openapi`; if it passes, restore the dependencies with `npm ci`.',
          { cause: error ?? undefined },
        ),
      );
    });
  });
}
