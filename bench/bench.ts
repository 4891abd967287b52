// `npm run bench`: measures how long the suite takes on this machine and
// where the time and memory go, and prints the figures as Markdown for
// BENCHMARKS.md. It is a script, not a test: nothing here asserts a timing.
process.env.PACT_DO_NOT_TRACK = 'true';

import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifierModulePath } from '../contracts/verification/verifierWorker';
import { type PeerComparison, compareWithDredd } from './dredd';
import { type InteractionTimings, measureInteractions } from './interactionTimings';
import { type CommandOptions, type CommandRun, canSampleProcessTree, hasGnuTime, measureCommand, samplingIntervalMs } from './processTree';
import { type SchemaThroughput, measureSchemaThroughput } from './schemaThroughput';
import { type Summary, formatSummary, summarise } from './stats';

const repositoryRoot = path.resolve(__dirname, '..');

const usage = `Usage: npm run bench -- [options]

Measures npm run verify, the floor (a Node process that only loads Pact),
per-interaction verification times against bare HTTP round trips, schema
validation throughput, npm test, and Dredd if it is installed. Prints
Markdown tables on standard output.

Options:
  --runs N            runs of npm run verify, the floor and Dredd (default: 5)
  --test-runs N       runs of npm test (default: 1)
  --skip-tests        do not run npm test
  --test-steps        also time the steps of npm test one by one
  --skip-peers        do not run Dredd
  --dredd-prefix DIR  folder where Dredd is installed with npm --prefix (default: /tmp/bench-peers)
  --help              print this text`;

/** Goals the suite is held to. The bench reports them and does not enforce them. */
const targets = { verifyToFloorRatio: 3, peakMemoryMb: 250, testWallSeconds: 60 };

interface BenchOptions {
  runs: number;
  testRuns: number;
  skipTests: boolean;
  testSteps: boolean;
  skipPeers: boolean;
  dreddPrefix: string;
}

function parseOptions(argv: string[]): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
    options: {
      runs: { type: 'string', default: '5' },
      'test-runs': { type: 'string', default: '1' },
      'skip-tests': { type: 'boolean', default: false },
      'test-steps': { type: 'boolean', default: false },
      'skip-peers': { type: 'boolean', default: false },
      'dredd-prefix': { type: 'string', default: '/tmp/bench-peers' },
      help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; run \`npm run bench -- --help\` for the options`);
  }
  const values = parsed.values;
  if (values.help) {
    return 'help';
  }
  return {
    runs: positiveInteger('--runs', values.runs),
    testRuns: positiveInteger('--test-runs', values['test-runs']),
    skipTests: values['skip-tests'],
    testSteps: values['test-steps'],
    skipPeers: values['skip-peers'],
    dreddPrefix: path.resolve(values['dredd-prefix']),
  };
}

function positiveInteger(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${option} must be a whole number of at least 1, not ${JSON.stringify(text)}`);
  }
  return value;
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    console.log(usage);
    return 0;
  }
  const commandOptions: CommandOptions = { cwd: repositoryRoot, env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } };
  const loadBefore = os.loadavg();
  const startedAt = new Date();
  const failures: string[] = [];
  const progress = (text: string): void => {
    process.stderr.write(`bench: ${text}\n`);
  };

  progress(`npm run verify, the floor and the start-up steps in between, ${options.runs} runs each, taking turns`);
  const startup = startupCommands();
  const startupRuns = new Map<StartupCommand, CommandRun[]>(startup.map((entry) => [entry, []]));
  for (let run = 0; run < options.runs; run += 1) {
    for (const entry of startup) {
      startupRuns.get(entry)?.push(await measureCommand(entry.command, entry.args, commandOptions));
    }
  }
  for (const entry of startup) {
    failures.push(...failedRuns(entry.label, startupRuns.get(entry) ?? []));
  }
  const runsOf = (role: StartupCommand['role']): CommandRun[] => [...startupRuns].find(([entry]) => entry.role === role)?.[1] ?? [];
  const floorRuns = runsOf('floor');
  const verifyRuns = runsOf('verify');

  progress('per-interaction times and bare round trips');
  const interactions = await measureInteractions(options.runs);
  progress('schema validation throughput');
  const throughput = await measureSchemaThroughput(options.runs);

  const testRuns: CommandRun[] = [];
  const stepRuns: { step: string; run: CommandRun }[] = [];
  if (!options.skipTests) {
    for (let run = 0; run < options.testRuns; run += 1) {
      progress(`npm test, run ${run + 1} of ${options.testRuns}`);
      testRuns.push(await measureCommand('npm', ['test'], commandOptions));
    }
    failures.push(...failedRuns('npm test', testRuns));
    if (options.testSteps) {
      for (const step of ['typecheck', 'lint', 'lint:openapi']) {
        progress(`npm test step ${step}`);
        stepRuns.push({ step: `npm run ${step}`, run: await measureCommand('npm', ['run', step], commandOptions) });
      }
      progress('npm test step jest');
      stepRuns.push({ step: 'jest', run: await measureCommand(process.execPath, [require.resolve('jest/bin/jest'), '--silent'], commandOptions) });
      for (const { step, run } of stepRuns) {
        failures.push(...failedRuns(step, [run]));
      }
    }
  }

  let peers: PeerComparison | undefined;
  if (!options.skipPeers) {
    progress(`Dredd and npm run verify against one provider, ${options.runs} runs each`);
    peers = await compareWithDredd(options.dreddPrefix, options.runs, commandOptions);
    if (peers.available) {
      failures.push(...failedRuns('npm run verify -- --provider-base-url', peers.verifyRuns));
    }
  }

  const lines = [
    ...machineSection(startedAt, loadBefore, os.loadavg(), argv),
    ...verifySection(startupRuns, floorRuns, verifyRuns),
    ...interactionSection(interactions),
    ...throughputSection(throughput),
    ...testSection(options, testRuns, stepRuns),
    ...peerSection(options, peers),
    ...targetSection(floorRuns, verifyRuns, testRuns),
  ];
  console.log(lines.join('\n'));
  for (const failure of failures) {
    console.error(`bench: ${failure}`);
  }
  return failures.length > 0 ? 1 : 0;
}

function failedRuns(label: string, runs: CommandRun[]): string[] {
  return runs
    .map((run, index) => ({ run, index }))
    .filter(({ run }) => run.exitCode !== 0)
    .map(({ run, index }) => `${label} run ${index + 1} exited with ${run.exitCode}; its output ended with:\n${run.outputTail.slice(-1500)}`);
}

function machineSection(startedAt: Date, loadBefore: number[], loadAfter: number[], argv: string[]): string[] {
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(readText('/proc/cpuinfo'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const load = (values: number[]): string => values.map((value) => value.toFixed(2)).join(', ');
  return [
    '## Machine',
    '',
    `- date: ${startedAt.toISOString()}`,
    `- CPU: ${cpuModel}, ${os.cpus().length} logical cores (os.availableParallelism: ${os.availableParallelism()})`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${os.type()} ${os.release()}`,
    `- load average (1, 5, 15 min) before: ${load(loadBefore)}; after: ${load(loadAfter)}`,
    `- command: \`npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\``,
    `- memory sources: ${hasGnuTime() ? 'GNU time -v (largest single process)' : 'no GNU time'}; ${canSampleProcessTree() ? `/proc sampled every ${samplingIntervalMs} ms (sum over the process tree)` : 'no /proc sampling'}`,
    '',
  ];
}

interface StartupCommand {
  label: string;
  command: string;
  args: string[];
  /** Marks the two commands the ratio compares. */
  role?: 'floor' | 'verify';
}

/**
 * Commands from a bare Node process up to the full `npm run verify`, so the
 * differences show what each part of its start costs. The third shows what
 * the verifier child paid when it ran under tsx.
 */
function startupCommands(): StartupCommand[] {
  const script = verifyScriptCommand();
  return [
    { label: 'Node alone: `node -e 0`', command: process.execPath, args: ['-e', '0'] },
    { label: 'floor: `node -e "require(\'@pact-foundation/pact\')"`', command: process.execPath, args: ['-e', "require('@pact-foundation/pact')"], role: 'floor' },
    { label: 'the floor under tsx\'s require hooks: `node --require tsx/cjs -e "require(\'@pact-foundation/pact\')"`', command: process.execPath, args: ['--require', 'tsx/cjs', '-e', "require('@pact-foundation/pact')"] },
    { label: "the verifier child's load: `node -e \"require('<Pact's Verifier module>')\"`", command: process.execPath, args: ['-e', `require(${JSON.stringify(verifierModulePath)})`] },
    { label: `the verify script without npm, no work: \`${script.text} --help\``, command: script.command, args: [...script.args, '--help'] },
    { label: 'the same through npm: `npm run verify -- --help`', command: 'npm', args: ['run', 'verify', '--', '--help'] },
    { label: '`npm run verify`', command: 'npm', args: ['run', 'verify'], role: 'verify' },
  ];
}

/** Reads the verify script from package.json and resolves its program in node_modules/.bin, leaving out environment assignments. */
function verifyScriptCommand(): { text: string; command: string; args: string[] } {
  const manifest = JSON.parse(readText(path.join(repositoryRoot, 'package.json'))) as { scripts?: Record<string, string> };
  const words = (manifest.scripts?.verify ?? '').split(/\s+/).filter((word) => word.length > 0 && !/^[A-Z_]+=/.test(word));
  const [program, ...args] = words;
  if (!program) {
    throw new Error('package.json has no "verify" script to measure; restore it, then run the bench again');
  }
  const local = path.join(repositoryRoot, 'node_modules', '.bin', program);
  return { text: words.join(' '), command: existsSync(local) ? local : program, args };
}

function verifySection(startupRuns: Map<StartupCommand, CommandRun[]>, floorRuns: CommandRun[], verifyRuns: CommandRun[]): string[] {
  const floor = seconds(floorRuns);
  const verify = seconds(verifyRuns);
  const lastRun = verifyRuns[verifyRuns.length - 1];
  return [
    '## npm run verify against the embedded provider',
    '',
    'Wall time of each command from spawn to exit, and the CPU time (user plus system) summed over its sampled processes:',
    '',
    '| command | wall, median (s) | wall, min (s) | wall, max (s) | CPU, median (s) |',
    '|---|---|---|---|---|',
    ...[...startupRuns].map(([entry, runs]) => `${row(entry.label, seconds(runs))} ${formatCell(cpuSeconds(runs), 2, false)} |`),
    '',
    '| measure | median | min | max |',
    '|---|---|---|---|',
    `| ratio of medians, verify / floor, wall time | ${(verify.median / floor.median).toFixed(2)} | | |`,
    `| ratio of medians, verify / floor, CPU time | ${(cpuSeconds(verifyRuns).median / cpuSeconds(floorRuns).median).toFixed(2)} | | |`,
    row('`npm run verify`, peak RSS summed over the process tree (MB)', megabytes(verifyRuns, (run) => run.treeRssKb), 0),
    row('`npm run verify`, peak PSS summed over the process tree (MB)', megabytes(verifyRuns, (run) => run.treePssKb), 0),
    row('`npm run verify`, largest single process, max RSS from GNU time (MB)', megabytes(verifyRuns, (run) => run.maxProcessRssKb), 0),
    row('floor, max RSS from GNU time (MB)', megabytes(floorRuns, (run) => run.maxProcessRssKb), 0),
    '',
    ...(lastRun ? processTable('Processes of the last `npm run verify` run, as sampled:', lastRun) : []),
  ];
}

function processTable(title: string, run: CommandRun): string[] {
  return [
    title,
    '',
    '| process | seen from (ms) | seen until (ms) | CPU (s) | peak RSS (MB) | peak PSS (MB) |',
    '|---|---|---|---|---|---|',
    ...run.processes.map(
      (entry) =>
        `| ${shortCommand(entry.command)} | ${entry.firstSeenMs.toFixed(0)} | ${entry.lastSeenMs.toFixed(0)} | ${entry.cpuSeconds.toFixed(2)} | ${(entry.rssKb / 1024).toFixed(0)} | ${entry.pssKb === undefined ? '–' : (entry.pssKb / 1024).toFixed(0)} |`,
    ),
    '',
  ];
}

/** Shortens a command line for a table, because the verifier child's inline program would fill a screen. */
function shortCommand(command: string): string {
  const oneLine = command.replace(/\s+/g, ' ').replace(repositoryRoot, '.');
  const withoutProgram = oneLine.replace(/ -e '?use strict.*? (\S+verifier\.js)$/, ' -e <verifier worker program> $1');
  const shortened = withoutProgram.length > 90 ? `${withoutProgram.slice(0, 87)}...` : withoutProgram;
  return `\`${shortened.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

function interactionSection(timings: InteractionTimings): string[] {
  return [
    '## Verification time per interaction against the bare HTTP round trip',
    '',
    `verifyPact in one process, start to report (worker start included): ${formatSummary(timings.verifyPactMs, 'ms', 0)}.`,
    'Pact\'s figure is the "verification" time its own report prints per interaction, which covers the provider-state',
    'calls and the request through its proxy and the suite\'s recording proxy. The bare figures send the same request',
    'with fetch to the same reference provider over a kept-alive connection.',
    '',
    '| interaction | status (pact / bare) | Pact verification (ms) | bare request (ms) | bare request with state set-up and tear-down (ms) |',
    '|---|---|---|---|---|',
    ...timings.interactions.map(
      (entry) =>
        `| ${entry.description} | ${entry.expectedStatus} / ${entry.bareStatus} | ${formatCell(entry.pactVerificationMs, 0)} | ${formatCell(entry.bareRequestMs, 2)} | ${formatCell(entry.bareWithStateMs, 2)} |`,
    ),
    '',
  ];
}

function throughputSection(result: SchemaThroughput): string[] {
  return [
    '## Schema validation throughput',
    '',
    `checkResponse on the OpenAPI's 201 example: ${formatSummary(result.checksPerSecond, 'checks/s', 0)}, 500 ms windows.`,
    `First check on a freshly loaded OpenAPI (compiles the schema with Ajv): ${result.firstCheckMs.toFixed(1)} ms. Findings on that response: ${result.findings}.`,
    '',
  ];
}

function testSection(options: BenchOptions, testRuns: CommandRun[], stepRuns: { step: string; run: CommandRun }[]): string[] {
  if (options.skipTests) {
    return ['## npm test', '', 'Not run (--skip-tests).', ''];
  }
  const exits = (runs: CommandRun[]): string => runs.map((run) => String(run.exitCode)).join(', ');
  return [
    '## npm test',
    '',
    '| command | wall (s) | CPU (s) | exit codes | peak RSS summed over the tree (MB) |',
    '|---|---|---|---|---|',
    `| \`npm test\` | ${formatCell(seconds(testRuns), 1)} | ${formatCell(cpuSeconds(testRuns), 1)} | ${exits(testRuns)} | ${formatCell(megabytes(testRuns, (run) => run.treeRssKb), 0)} |`,
    ...stepRuns.map(
      ({ step, run }) =>
        `| \`${step}\` | ${formatCell(seconds([run]), 1)} | ${formatCell(cpuSeconds([run]), 1)} | ${run.exitCode} | ${formatCell(megabytes([run], (entry) => entry.treeRssKb), 0)} |`,
    ),
    '',
  ];
}

function peerSection(options: BenchOptions, peers: PeerComparison | undefined): string[] {
  if (options.skipPeers || !peers) {
    return ['## Peer tool: Dredd', '', 'Not run (--skip-peers).', ''];
  }
  if (!peers.available) {
    return ['## Peer tool: Dredd', '', `Not run: ${peers.reason}.`, ''];
  }
  return [
    '## Peer tool: Dredd',
    '',
    `Dredd ${peers.version} and the suite against one reference provider that the bench process serves, on the same OpenAPI document.`,
    `Dredd's verdict on the last run: ${peers.dreddVerdict}.`,
    '',
    '| command | wall (s) | CPU (s) | peak RSS summed over the tree (MB) | peak PSS summed over the tree (MB) |',
    '|---|---|---|---|---|',
    ...[
      ['`dredd openapi/runSummary.openapi.yaml URL --hookfiles hooks.js`', peers.dreddRuns] as const,
      ['`npm run verify -- --provider-base-url URL`', peers.verifyRuns] as const,
    ].map(
      ([label, runs]) =>
        `| ${label} | ${formatCell(seconds(runs), 2)} | ${formatCell(cpuSeconds(runs), 2)} | ${formatCell(megabytes(runs, (run) => run.treeRssKb), 0)} | ${formatCell(megabytes(runs, (run) => run.treePssKb), 0)} |`,
    ),
    '',
  ];
}

function targetSection(floorRuns: CommandRun[], verifyRuns: CommandRun[], testRuns: CommandRun[]): string[] {
  const floor = seconds(floorRuns).median;
  const verify = seconds(verifyRuns).median;
  const treeRss = megabytes(verifyRuns, (run) => run.treeRssKb).median;
  const treePss = megabytes(verifyRuns, (run) => run.treePssKb).median;
  const test = testRuns.length > 0 ? seconds(testRuns).median : undefined;
  const verdict = (met: boolean): string => (met ? 'met' : 'not met');
  const memory = (megabytesMeasured: number): string => (Number.isNaN(megabytesMeasured) ? 'not measured | –' : `${megabytesMeasured.toFixed(0)} MB | ${verdict(megabytesMeasured < targets.peakMemoryMb)}`);
  return [
    '## Targets',
    '',
    '| target | measured (median) | verdict |',
    '|---|---|---|',
    `| \`npm run verify\` at most ${targets.verifyToFloorRatio}× the floor | ${(verify / floor).toFixed(2)}× | ${verdict(verify / floor <= targets.verifyToFloorRatio)} |`,
    `| peak memory of \`npm run verify\` under ${targets.peakMemoryMb} MB, PSS summed over the tree | ${memory(treePss)} |`,
    `| the same, RSS summed over the tree (counts shared pages once per process) | ${memory(treeRss)} |`,
    `| \`npm test\` under ${targets.testWallSeconds} s | ${test === undefined ? 'not run' : `${test.toFixed(1)} s`} | ${test === undefined ? '–' : verdict(test < targets.testWallSeconds)} |`,
    '',
  ];
}

function seconds(runs: CommandRun[]): Summary {
  return summarise(runs.map((run) => run.wallMs / 1000));
}

function cpuSeconds(runs: CommandRun[]): Summary {
  return summarise(runs.map((run) => run.cpuSeconds).filter((value): value is number => value !== undefined));
}

/** Summarises a memory figure in MB over the runs that have it. */
function megabytes(runs: CommandRun[], pick: (run: CommandRun) => number | undefined): Summary {
  return summarise(runs.map(pick).filter((kb): kb is number => kb !== undefined).map((kb) => kb / 1024));
}

function row(label: string, summary: Summary, decimals = 2): string {
  const show = (value: number): string => (Number.isNaN(value) ? '–' : value.toFixed(decimals));
  return `| ${label} | ${show(summary.median)} | ${show(summary.min)} | ${show(summary.max)} |`;
}

/** Formats a summary for one table cell: the median, then the range unless `withRange` is false. */
function formatCell(summary: Summary, decimals: number, withRange = true): string {
  if (summary.count === 0 || Number.isNaN(summary.median)) {
    return '–';
  }
  if (summary.count === 1 || !withRange) {
    return summary.median.toFixed(decimals);
  }
  return `${summary.median.toFixed(decimals)} (${summary.min.toFixed(decimals)}–${summary.max.toFixed(decimals)})`;
}

function readText(filePath: string): string {
  try {
    return readFileSync(filePath, 'utf8');
  } catch {
    return '';
  }
}

void main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
