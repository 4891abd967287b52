/**
 * Exit codes of the command-line entry points. They are part of the public
 * interface: provider pipelines branch on them.
 */
export const ExitCode = {
  /** Every interaction passed. */
  passed: 0,
  /** The run happened and at least one interaction broke the contract. */
  contractFailed: 1,
  /** The run could not happen: bad input, bad option, or an unreachable provider. */
  couldNotRun: 2,
  /** The provider or the token endpoint rejected the credentials (401 or 403 during set-up). */
  credentialsRejected: 3,
  /** The run was interrupted (SIGINT or SIGTERM) after clean-up. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error that stops a run before any verdict is possible. `code` is a stable
 * dotted identifier, `message` states what failed on which value, and `hint`
 * is what the user should do next.
 */
export class SuiteError extends Error {
  readonly code: string;
  readonly hint: string;
  readonly exitCode: ExitCodeValue;
  /** Fixtures left on the provider when the run stopped, for the person to delete. */
  readonly fixturesLeft: string[] = [];

  constructor(
    code: string,
    message: string,
    hint: string,
    options: { cause?: unknown; exitCode?: ExitCodeValue } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SuiteError';
    this.code = code;
    this.hint = hint;
    this.exitCode = options.exitCode ?? ExitCode.couldNotRun;
  }

  /** Formats the error as the single block a command prints before it exits. */
  describe(): string {
    return `error ${this.code}: ${this.message}\n  what to do: ${this.hint}`;
  }
}

/** Returns the message of any thrown value, for wrapping it in a SuiteError. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Wraps an error of node:util's parseArgs. Its message for an unknown option
 * goes on about positional arguments after `--`, which does not apply to
 * these commands, so only its first sentence is kept.
 */
export function invalidOptionError(error: unknown, command: string): SuiteError {
  const firstSentence = messageOf(error).split(/\.\s/)[0]?.replace(/\.$/, '') ?? 'invalid option';
  return new SuiteError('cli.invalid-option', firstSentence, `Run \`npm run ${command} -- --help\` for the options.`);
}

/**
 * Formats an error a command caught as the one message block it prints, and
 * picks the exit code: the SuiteError's own, or 2 for an unexpected error.
 */
export function describeFailure(error: unknown): { text: string; exitCode: ExitCodeValue } {
  if (error instanceof SuiteError) {
    return { text: error.describe(), exitCode: error.exitCode };
  }
  return {
    text: `error internal: ${messageOf(error)}\n  what to do: report this as a bug of the suite, with the command you ran.`,
    exitCode: ExitCode.couldNotRun,
  };
}
