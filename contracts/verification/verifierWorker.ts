// Pact's verifier runs in a child process. The native verifier writes its
// own report straight to file descriptor 1, where a provider's echoed
// response (and any token in it) would reach the console unfiltered. In a
// child, that output goes to a pipe the parent owns, and only the structured
// result comes back.
//
// The child runs the plain JavaScript program below with `node -e`, without a
// TypeScript loader: under tsx's require hooks, loading Pact took 0.67
// CPU-seconds against 0.38 without them on a 2-core machine (see
// BENCHMARKS.md). The program is small so that a reader can check it here in full.
import { type ChildProcess, spawn } from 'node:child_process';
import type { VerifierOptions } from '@pact-foundation/pact';
import { ExitCode, SuiteError } from '../errors';

export interface WorkerRequest {
  options: VerifierOptions;
  /** Keeps the child for another request after its reply, for callers that verify many times. */
  keepAlive?: boolean;
}

export type WorkerReply = { kind: 'result'; passed: boolean; json: string } | { kind: 'crash'; message: string };

/**
 * Module that defines Pact's Verifier class. The package index would also
 * load the consumer DSL, which the child never uses: 0.38 CPU-seconds
 * against 0.21 for this module alone.
 */
// NOTE: this path is inside @pact-foundation/pact 16.4.0 and is not a documented entry point; re-check it when upgrading Pact.
export const verifierModulePath = require.resolve('@pact-foundation/pact/src/dsl/verifier/verifier');

/**
 * The child's program. It takes the path of the Verifier module as its first
 * argument, replies to each WorkerRequest on the IPC channel with one
 * WorkerReply, one request at a time, and exits after a request without
 * `keepAlive`. A failed verification rejects with the result JSON as the
 * error message, so that case is still a result, not a crash.
 */
export const workerProgram = `
'use strict';
process.env.PACT_DO_NOT_TRACK = 'true';
const { Verifier } = require(process.argv[1]);

// The IPC channel closes when the parent dies; stop instead of verifying for a parent that is gone.
process.once('disconnect', () => process.exit(1));

process.on('message', (request) => {
  const reply = (message) => {
    process.send(message, () => {
      if (!request.keepAlive) {
        process.exit(0);
      }
    });
  };
  new Verifier(request.options)
    .verifyProvider()
    .then((json) => reply({ kind: 'result', passed: true, json: String(json) }))
    .catch((error) => {
      const message = error instanceof Error ? error.message : String(error);
      if (message.trimStart().startsWith('{')) {
        reply({ kind: 'result', passed: false, json: message });
      } else {
        reply({ kind: 'crash', message });
      }
    });
});
`;

export interface VerifierWorker {
  /** Sends the request; resolves with the result JSON and the child's output. */
  run(request: WorkerRequest, signal: AbortSignal | undefined): Promise<{ json: string; output: string }>;
  /** Kills the child unless it has exited; safe to call more than once. */
  stop(): void;
}

/** Starts the child that runs Pact's verifier; it loads Pact at once and then waits for a request. */
export function startVerifierWorker(): VerifierWorker {
  let child: ChildProcess;
  try {
    // Plain node without a TypeScript loader, because the worker program is JavaScript.
    child = spawn(process.execPath, ['-e', workerProgram, verifierModulePath], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
    });
  } catch (error) {
    const failure = new SuiteError('verifier.start-failed', `Pact's verifier could not start: ${String(error)}`, 'Run `npm ci` to restore the dependencies.');
    return { run: () => Promise.reject(failure), stop: () => undefined };
  }

  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  // The child can exit or fail before run() is called, so its end is recorded from the start.
  let ended: SuiteError | undefined;
  let waiting: ((result: WorkerReply | SuiteError) => void) | undefined;
  const end = (failure: SuiteError): void => {
    ended ??= failure;
    waiting?.(ended);
    waiting = undefined;
  };
  child.on('message', (reply: WorkerReply) => {
    waiting?.(reply);
    waiting = undefined;
  });
  // 'close', not 'exit': 'exit' can arrive before the reply the child sent
  // just before exiting has been read, while 'close' waits for the IPC
  // channel and the output pipes to reach their end.
  child.on('close', (code, signalName) => {
    // Ctrl-C reaches the whole process group, the verifier child included.
    if (signalName === 'SIGINT') {
      end(new SuiteError('run.interrupted', 'Verification was interrupted', 'Run it again when ready.', { exitCode: ExitCode.interrupted }));
      return;
    }
    end(new SuiteError('verifier.crashed', `Pact's verifier exited with code ${code} before reporting`, 'Run with --verbose to see its output.'));
  });
  // spawn and send report their failures as events, not as exceptions.
  child.on('error', (error) => {
    child.kill('SIGKILL');
    end(new SuiteError('verifier.start-failed', `Pact's verifier could not start: ${error.message}`, 'Run `npm ci` to restore the dependencies.'));
  });
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };

  const run = (request: WorkerRequest, signal: AbortSignal | undefined): Promise<{ json: string; output: string }> =>
    new Promise((resolve, reject) => {
      const outputStart = output.length;
      let settled = false;
      const settle = (action: () => void): void => {
        if (!settled) {
          settled = true;
          signal?.removeEventListener('abort', onAbort);
          action();
        }
      };
      const onAbort = (): void => {
        stop();
        settle(() => reject(new SuiteError('run.interrupted', 'Verification was interrupted', 'Run it again when ready.', { exitCode: ExitCode.interrupted })));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) {
        onAbort();
        return;
      }

      const onResult = (result: WorkerReply | SuiteError): void => {
        settle(() => {
          if (result instanceof SuiteError) {
            reject(result);
          } else if (result.kind === 'result') {
            resolve({ json: result.json, output: output.slice(outputStart) });
          } else {
            reject(new SuiteError('verifier.crashed', `Pact's verifier could not run: ${result.message}`, 'Check the pact file and the provider URL; run with --verbose for Pact\'s output.'));
          }
        });
      };
      if (ended) {
        onResult(ended);
        return;
      }
      waiting = onResult;
      child.send(request);
    });

  return { run, stop };
}

let prestarted: VerifierWorker | undefined;

/**
 * Starts the verifier child before the command that needs it has loaded its
 * own modules, so Pact loads in parallel with them. The launcher calls it for
 * `verify`; takeVerifierWorker() hands the child over.
 */
export function prestartVerifierWorker(): void {
  prestarted ??= startVerifierWorker();
}

/** Returns the prestarted child, or starts one. The caller stops it. */
export function takeVerifierWorker(): VerifierWorker {
  const worker = prestarted ?? startVerifierWorker();
  prestarted = undefined;
  return worker;
}

/** Stops a prestarted child that no command took, such as after `--help`. */
export function discardPrestartedVerifierWorker(): void {
  prestarted?.stop();
  prestarted = undefined;
}
