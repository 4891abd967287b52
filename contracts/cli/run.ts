// The launcher behind every npm script: `tsx contracts/cli/run.ts COMMAND [options]`.
// It loads the command's module inside a try, because a module that fails to
// load (an incomplete install) would otherwise end the process with Node's
// exit code 1, which these commands use for "contract failure" or "breaking change".
process.env.PACT_DO_NOT_TRACK = 'true';

import type * as VerifierWorkerModule from '../verification/verifierWorker';

type CommandModule = { main(argv: string[]): Promise<number> };

const couldNotRun = 2;

const commands: Record<string, () => Promise<CommandModule>> = {
  verify: () => import('./verify'),
  scorecard: () => import('./scorecard'),
  diff: () => import('./diffSpec'),
  docs: () => import('./docs'),
  provider: () => import('./provider'),
  'pact:publish': () => import('../broker/publishPacts'),
  'can-i-deploy': () => import('../broker/canIDeploy'),
};

async function launch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name === undefined ? undefined : commands[name];
  if (!load) {
    console.error(`error cli.unknown-command: no command named ${JSON.stringify(name ?? '')}\n  what to do: use one of ${Object.keys(commands).join(', ')}.`);
    return couldNotRun;
  }

  let workerModule: typeof VerifierWorkerModule | undefined;
  if (name === 'verify' && !rest.some((argument) => argument === '--help' || argument === '--dry-run')) {
    // Pact loads in a child while the verify command loads its own modules.
    try {
      workerModule = await import('../verification/verifierWorker');
      workerModule.prestartVerifierWorker();
    } catch {
      // Loading the command below fails the same way and reports it.
    }
  }

  let command: CommandModule;
  try {
    command = await load();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.error(`error cli.load-failed: the ${name} command could not load: ${message}\n  what to do: run \`npm ci\` to restore the dependencies and files; if it persists, report it as a bug of the suite.`);
    return couldNotRun;
  }
  try {
    return await command.main(rest);
  } finally {
    workerModule?.discardPrestartedVerifierWorker();
  }
}

void launch(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error internal: ${error instanceof Error ? error.message : String(error)}\n  what to do: report it as a bug of the suite, with the command you ran.`);
    process.exit(couldNotRun);
  },
);
