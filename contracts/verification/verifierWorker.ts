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
import type { VerifierOptions } from '@pact-foundation/pact';

export interface WorkerRequest {
  options: VerifierOptions;
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
 * argument, waits for one WorkerRequest on the IPC channel, sends one
 * WorkerReply and exits. A failed verification rejects with the result JSON
 * as the error message, so that case is still a result, not a crash.
 */
export const workerProgram = `
'use strict';
process.env.PACT_DO_NOT_TRACK = 'true';
const { Verifier } = require(process.argv[1]);

// The IPC channel closes when the parent dies; stop instead of verifying for nobody.
process.once('disconnect', () => process.exit(1));

function reply(message) {
  if (process.send) {
    process.send(message, () => process.exit(0));
  }
}

process.once('message', (request) => {
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
