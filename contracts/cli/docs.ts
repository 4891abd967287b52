// `npm run docs`: writes the bundled OpenAPI (JSON and YAML) and an offline
// HTML reference whose examples are the committed pact's interactions, into
// build/docs/. Exit codes: 0 written, 2 the docs could not be generated.
process.env.PACT_DO_NOT_TRACK = 'true';

import path from 'node:path';
import { describeFailure, ExitCode } from '../errors';
import { parseCommandArguments } from './options';
import { defaultDocsDirectory, generateDocs } from '../docs/generateDocs';
import { formatInstant } from '../docs/verificationStatus';

const usage = `Usage: npm run docs -- [options]

Writes the OpenAPI bundled into one file (JSON and YAML) and a static HTML
reference that works offline. Its examples are the interactions of the
committed pact, marked with the result of the last verification found.

Options:
  --out DIR        output directory (default: build/docs)
  --openapi FILE   OpenAPI document (default: openapi/runSummary.openapi.yaml)
  --pact FILE      pact file (default: pacts/RunSummaryConsumer-GraphDeviceHealthScripts.json)
  --report FILE    verification report to show (default: the newest usable
                   report under reports/, verification-summary.json first)
  --help           print this text

Exit codes: 0 the docs were written, 2 they could not be generated.`;

export async function main(argv: string[]): Promise<number> {
  try {
    const parsed = parseCommandArguments('docs', {
      args: argv,
      options: {
        out: { type: 'string' },
        openapi: { type: 'string' },
        pact: { type: 'string' },
        report: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (parsed.values.help) {
      console.log(usage);
      return ExitCode.passed;
    }

    const result = await generateDocs({
      outputDirectory: parsed.values.out ?? defaultDocsDirectory,
      openApiPath: parsed.values.openapi,
      pactPath: parsed.values.pact,
      reportPath: parsed.values.report,
    });

    for (const skipped of result.status.skipped) {
      console.log(`Skipped report ${skipped.path}: ${skipped.reason}`);
    }
    if (result.status.reportPath && result.status.verifiedAt) {
      const passed = result.interactions.filter((interaction) => interaction.verification.state === 'passed').length;
      console.log(`Verification shown: ${formatInstant(result.status.verifiedAt)}, ${passed} of ${result.interactions.length} interactions passed (${result.status.reportPath})`);
    } else {
      console.log('No verification report found: the examples are marked "not verified yet in this checkout". Run `npm run verify` first to mark them.');
    }
    for (const reference of result.replacedReferences) {
      console.log(`Replaced remote reference with a local stand-in: ${reference.url}`);
    }
    console.log('Wrote:');
    for (const file of Object.values(result.files)) {
      const relative = path.relative(process.cwd(), file);
      console.log(`  ${relative.startsWith('..') || path.isAbsolute(relative) ? file : relative}`);
    }
    return ExitCode.passed;
  } catch (error) {
    const failure = describeFailure(error);
    console.error(failure.text);
    return failure.exitCode;
  }
}
