import path from 'node:path';
import { consumerName, providerName } from './contractNames';

/** Folder of the committed pacts. */
export const committedPactDirectory = path.resolve(__dirname, '..', '..', 'pacts');

/** Path of the pact file this suite writes and verifies. */
export function pactFilePath(directory: string = committedPactDirectory): string {
  return path.join(directory, `${consumerName}-${providerName}.json`);
}
