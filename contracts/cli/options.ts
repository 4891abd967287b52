import { type ParseArgsConfig, parseArgs } from 'node:util';
import { invalidOptionError } from '../errors';

/**
 * Parses a command's arguments with node:util's parseArgs, strictly, and
 * turns a bad option into the `cli.invalid-option` SuiteError that names the
 * command's help.
 */
export function parseCommandArguments<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw invalidOptionError(error, command);
  }
}
