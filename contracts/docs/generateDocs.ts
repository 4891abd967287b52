import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { stringify } from 'yaml';
import { pactFilePath } from '../consumer/pactFiles';
import { SuiteError, messageOf } from '../errors';
import { faultCatalog } from '../faults/catalog';
import { readEndpoint } from '../spec/endpoint';
import { defaultOpenApiPath, loadOpenApi } from '../spec/loadOpenApi';
import { readPactFile } from '../verification/pactFile';
import { annotateDocument } from './annotateDocument';
import { contractSectionMarkdown } from './contractSection';
import { type DocumentedInteraction, documentInteractions } from './documentedInteractions';
import { knownDifferences } from './knownDifferences';
import type { RemoteReference } from './offlineHtml';
import { renderHtml } from './renderHtml';
import { type VerificationStatus, readVerificationStatus } from './verificationStatus';

/** Output directory of `npm run docs`, which git ignores. */
export const defaultDocsDirectory = path.resolve(__dirname, '..', '..', 'build', 'docs');

/** Names of the files written into the docs directory. */
export const docsFiles = {
  bundledJson: 'runSummary.openapi.json',
  bundledYaml: 'runSummary.openapi.yaml',
  annotatedYaml: 'runSummary.annotated.openapi.yaml',
  html: 'index.html',
} as const;

export interface DocsOptions {
  outputDirectory?: string;
  openApiPath?: string;
  pactPath?: string;
  /** A verification report to use; without it the reports directory is searched. */
  reportPath?: string;
  reportsDirectory?: string;
  /** Renders the HTML page; on by default. Off writes the OpenAPI files only. */
  renderHtml?: boolean;
}

export interface DocsResult {
  outputDirectory: string;
  /** Absolute paths of the files written, keyed as in `docsFiles`. */
  files: Partial<Record<keyof typeof docsFiles, string>>;
  status: VerificationStatus;
  interactions: DocumentedInteraction[];
  annotated: OpenAPIV3.Document;
  /** Remote references of the rendered page, each replaced by a local stand-in. */
  replacedReferences: RemoteReference[];
}

/**
 * Writes the docs: the OpenAPI bundled into one file as JSON and YAML, the
 * copy annotated with the pact and its verification, and the static HTML
 * reference rendered from that copy. The OpenAPI under openapi/ is only read.
 */
export async function generateDocs(options: DocsOptions = {}): Promise<DocsResult> {
  const openApiPath = path.resolve(options.openApiPath ?? defaultOpenApiPath);
  const pactPath = path.resolve(options.pactPath ?? pactFilePath());
  const outputDirectory = path.resolve(options.outputDirectory ?? defaultDocsDirectory);

  const endpoint = readEndpoint(await loadOpenApi(openApiPath));
  const bundled = await bundle(openApiPath);
  const pact = readPactFile(pactPath);
  const identity = { consumer: pact.consumer.name, provider: pact.provider.name, fileName: path.basename(pactPath) };
  const status = readVerificationStatus(identity, { reportPath: options.reportPath, reportsDirectory: options.reportsDirectory });
  const interactions = documentInteractions(pact, status);

  const contractMarkdown = contractSectionMarkdown({
    endpoint,
    pactFileName: identity.fileName,
    interactions,
    status,
    faults: faultCatalog,
    differences: knownDifferences,
  });
  const annotated = annotateDocument({ bundled, endpoint, pact: identity, interactions, status, contractMarkdown });

  const bundledJson = path.join(outputDirectory, docsFiles.bundledJson);
  const bundledYaml = path.join(outputDirectory, docsFiles.bundledYaml);
  const annotatedYaml = path.join(outputDirectory, docsFiles.annotatedYaml);
  try {
    mkdirSync(outputDirectory, { recursive: true });
    writeFileSync(bundledJson, `${JSON.stringify(bundled, null, 2)}\n`, 'utf8');
    writeFileSync(bundledYaml, stringify(bundled, { lineWidth: 0 }), 'utf8');
    writeFileSync(annotatedYaml, stringify(annotated, { lineWidth: 0 }), 'utf8');
  } catch (error) {
    throw new SuiteError('docs.write-failed', `Could not write the docs to ${outputDirectory}: ${messageOf(error)}`, 'Pass a writable directory with --out.', { cause: error });
  }
  const files: DocsResult['files'] = { bundledJson, bundledYaml, annotatedYaml };

  let replacedReferences: RemoteReference[] = [];
  if (options.renderHtml ?? true) {
    files.html = path.join(outputDirectory, docsFiles.html);
    const rendered = await renderHtml({ openApiPath: annotatedYaml, htmlPath: files.html, title: `${bundled.info.title}: API reference and contract` });
    replacedReferences = rendered.replaced;
  }

  return { outputDirectory, files, status, interactions, annotated, replacedReferences };
}

/** Bundles the document and its external references into one document, internal `$ref`s kept. */
async function bundle(openApiPath: string): Promise<OpenAPIV3.Document> {
  try {
    const bundled = await new SwaggerParser().bundle(openApiPath);
    // A plain JSON copy drops the parser's shared object identities before YAML output.
    return JSON.parse(JSON.stringify(bundled)) as OpenAPIV3.Document;
  } catch (error) {
    throw new SuiteError('docs.bundle-failed', `Could not bundle ${openApiPath}: ${messageOf(error)}`, 'Check the document with `npm run lint:openapi`.', { cause: error });
  }
}
