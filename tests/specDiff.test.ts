// A change to the OpenAPI document gates a merge like a failed verification
// does. Each folder under fixtures/spec-diff contains an old and a new document
// and the changes the diff must report, so a new kind of change is one folder.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type ChangeKind, type SpecChange, diffSpecFiles, main } from '../contracts/cli/diffSpec';

interface ExpectedChange {
  kind: ChangeKind;
  side: SpecChange['side'];
  consumers: boolean;
  providers: boolean;
}

interface FixtureCase {
  name: string;
  oldPath: string;
  newPath: string;
  exitCode: number;
  changes: ExpectedChange[];
}

const fixtureRoot = path.join(__dirname, 'fixtures', 'spec-diff');
const repositoryRoot = path.join(__dirname, '..');
const releasedPath = path.join(repositoryRoot, 'openapi', 'released', 'runSummary.v1.0.0.openapi.yaml');
const workingPath = path.join(repositoryRoot, 'openapi', 'runSummary.openapi.yaml');

const fixtures: FixtureCase[] = readdirSync(fixtureRoot).map((name) => {
  const folder = path.join(fixtureRoot, name);
  const expected = JSON.parse(readFileSync(path.join(folder, 'expected.json'), 'utf8')) as { exitCode: number; changes: ExpectedChange[] };
  return { name, oldPath: path.join(folder, 'old.yaml'), newPath: path.join(folder, 'new.yaml'), exitCode: expected.exitCode, changes: expected.changes };
});

function project(changes: SpecChange[]): ExpectedChange[] {
  return changes.map((entry) => ({ kind: entry.kind, side: entry.side, consumers: entry.breaking.consumers, providers: entry.breaking.providers }));
}

function sorted(changes: ExpectedChange[]): ExpectedChange[] {
  return [...changes].sort((left, right) => JSON.stringify(left).localeCompare(JSON.stringify(right)));
}

async function runMain(argv: string[]): Promise<{ code: number; output: string; errors: string }> {
  const output: string[] = [];
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void output.push(text));
  const error = jest.spyOn(console, 'error').mockImplementation((text: string) => void errors.push(text));
  try {
    const code = await main(argv);
    return { code, output: output.join('\n'), errors: errors.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('spec diff fixtures', () => {
  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s reports the expected changes', async (_name, fixture) => {
    const changes = await diffSpecFiles(fixture.oldPath, fixture.newPath);

    expect(sorted(project(changes))).toEqual(sorted(fixture.changes));
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s exits with the expected code', async (_name, fixture) => {
    const { code } = await runMain([fixture.oldPath, fixture.newPath]);

    expect(code).toBe(fixture.exitCode);
  });

  it('covers every breaking kind', () => {
    const kinds = new Set(fixtures.flatMap((fixture) => fixture.changes.filter((entry) => entry.consumers || entry.providers).map((entry) => entry.kind)));

    for (const kind of ['member.removed', 'member.renamed', 'type.changed', 'format.changed', 'member.added', 'required.added', 'status.removed', 'enum.narrowed'] as const) {
      expect(kinds).toContain(kind);
    }
  });
});

describe('spec diff command', () => {
  it('finds no breaking change since the last release', async () => {
    const { code, output } = await runMain([releasedPath, workingPath]);

    expect(output).toContain('0 breaking for consumers, 0 breaking for providers');
    expect(code).toBe(0);
  });

  it('gates on one side with --fail-on', async () => {
    const folder = path.join(fixtureRoot, 'request-enum-widened');

    const consumers = await runMain([path.join(folder, 'old.yaml'), path.join(folder, 'new.yaml'), '--fail-on', 'consumers']);
    const providers = await runMain([path.join(folder, 'old.yaml'), path.join(folder, 'new.yaml'), '--fail-on', 'providers']);

    expect(consumers.code).toBe(0);
    expect(providers.code).toBe(1);
  });

  it('prints JSON with --json', async () => {
    const folder = path.join(fixtureRoot, 'status-removed');

    const { output } = await runMain([path.join(folder, 'old.yaml'), path.join(folder, 'new.yaml'), '--json']);
    const parsed = JSON.parse(output) as { breaking: number; changes: SpecChange[] };

    expect(parsed.breaking).toBe(1);
    expect(parsed.changes[0]?.kind).toBe('status.removed');
    expect(parsed.changes[0]?.location).toContain('response 404');
  });

  it('names a missing file and exits 2', async () => {
    const missing = path.join(fixtureRoot, 'no-such-folder', 'old.yaml');

    const { code, errors } = await runMain([missing, workingPath]);

    expect(code).toBe(2);
    expect(errors).toContain('openapi.not-found');
    expect(errors).toContain(missing);
  });

  it('rejects an unknown --fail-on value', async () => {
    const { code, errors } = await runMain([releasedPath, workingPath, '--fail-on', 'everyone']);

    expect(code).toBe(2);
    expect(errors).toContain('"everyone"');
  });

  it('asks for exactly two files', async () => {
    const { code, errors } = await runMain([workingPath]);

    expect(code).toBe(2);
    expect(errors).toContain('Expected two OpenAPI files (OLD NEW), got 1');
  });

  it('sets the process exit code through npm run diff', () => {
    const folder = path.join(fixtureRoot, 'status-removed');

    const breaking = spawnSync('npm', ['run', '--silent', 'diff', '--', path.join(folder, 'old.yaml'), path.join(folder, 'new.yaml')], { cwd: repositoryRoot, encoding: 'utf8' });
    const identical = spawnSync('npm', ['run', '--silent', 'diff', '--', releasedPath, releasedPath], { cwd: repositoryRoot, encoding: 'utf8' });

    expect(breaking.status).toBe(1);
    expect(breaking.stdout).toContain('status.removed');
    expect(identical.status).toBe(0);
  });
});
