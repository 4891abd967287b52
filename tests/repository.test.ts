// A file that exists here but that git ignores is missing from every clone,
// so the suite would pass on the author's machine and fail in CI.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './support/cli';

const sourceFolders = ['contracts', 'tests', 'openapi', 'pacts', 'bench', '.ci', '.github'];

function filesUnder(folder: string): string[] {
  const absolute = path.join(repositoryRoot, folder);
  let entries: string[];
  try {
    entries = readdirSync(absolute);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(folder, entry);
    return statSync(path.join(repositoryRoot, relative)).isDirectory() ? filesUnder(relative) : [relative];
  });
}

function ignoredByGit(files: string[]): string[] {
  try {
    const output = execFileSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: repositoryRoot, input: files.join('\n'), encoding: 'utf8' });
    return output.split('\n').filter((line) => line.length > 0);
  } catch (error) {
    // git check-ignore exits 1 when no path is ignored.
    if ((error as { status?: number }).status === 1) {
      return [];
    }
    throw error;
  }
}

describe('repository', () => {
  it('ignores no source, test or contract file', () => {
    const files = sourceFolders.flatMap(filesUnder);

    expect(files.length).toBeGreaterThan(20);
    expect(ignoredByGit(files)).toEqual([]);
  });
});
