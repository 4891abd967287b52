import { execFileSync } from 'node:child_process';

/** The version facts a broker records: the commit SHA, the branch, and a link to the CI run. */
export interface GitVersion {
  sha?: string;
  branch?: string;
  buildUrl?: string;
}

/**
 * Reads the commit and branch of the build. CI variables come first, because
 * a pull-request checkout is a detached merge commit whose branch git cannot
 * name: GitHub Actions (GITHUB_SHA, GITHUB_HEAD_REF, GITHUB_REF_NAME), then
 * the generic GIT_COMMIT and GIT_BRANCH that Jenkins and others set, then
 * `git rev-parse` in `cwd`. Fields stay undefined when nothing is found.
 */
export function readGitVersion(environment: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): GitVersion {
  const sha = environment.GITHUB_SHA || environment.GIT_COMMIT || git(['rev-parse', 'HEAD'], cwd);
  const branch = environment.GITHUB_HEAD_REF || environment.GITHUB_REF_NAME || environment.GIT_BRANCH || namedBranch(git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd));
  const buildUrl =
    environment.GITHUB_SERVER_URL && environment.GITHUB_REPOSITORY && environment.GITHUB_RUN_ID
      ? `${environment.GITHUB_SERVER_URL}/${environment.GITHUB_REPOSITORY}/actions/runs/${environment.GITHUB_RUN_ID}`
      : environment.BUILD_URL || undefined;
  return { sha: sha || undefined, branch: branch || undefined, buildUrl };
}

function namedBranch(name: string | undefined): string | undefined {
  // On a detached HEAD, git prints `HEAD` because there is no branch.
  return name === 'HEAD' ? undefined : name;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
