// Runs Pact's verifier in a child process. The native verifier writes its
// own report straight to file descriptor 1, where a provider's echoed
// response (and any token in it) would reach the console unfiltered. In a
// child, that output goes to a pipe the parent owns, and only the structured
// result comes back.
process.env.PACT_DO_NOT_TRACK = 'true';

import { Verifier, type VerifierOptions } from '@pact-foundation/pact';

export interface WorkerRequest {
  options: VerifierOptions;
}

export type WorkerReply = { kind: 'result'; passed: boolean; json: string } | { kind: 'crash'; message: string };

function reply(message: WorkerReply): void {
  process.send?.(message, () => process.exit(0));
}

process.once('message', (request: WorkerRequest) => {
  new Verifier(request.options)
    .verifyProvider()
    .then((json) => reply({ kind: 'result', passed: true, json: String(json) }))
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      // A failed verification rejects with the result JSON as the message.
      if (message.trimStart().startsWith('{')) {
        reply({ kind: 'result', passed: false, json: message });
      } else {
        reply({ kind: 'crash', message });
      }
    });
});
