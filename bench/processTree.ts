import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How often the process tree's memory is read, in milliseconds. Peaks shorter than this can be missed. */
export const samplingIntervalMs = 20;

const gnuTimePath = '/usr/bin/time';

/** One process of a measured command's tree, as the sampler saw it. */
export interface ProcessPeak {
  pid: number;
  command: string;
  /** Milliseconds after the command started when the sampler first and last saw the process. */
  firstSeenMs: number;
  lastSeenMs: number;
  rssKb: number;
  /** Proportional set size: shared pages divided among the processes that map them. */
  pssKb?: number;
  /** User plus system CPU time at the last sample, so up to one sampling interval short. */
  cpuSeconds: number;
}

/** One run of a command. */
export interface CommandRun {
  wallMs: number;
  exitCode: number | null;
  /** Largest resident set of any single process of the tree, from GNU time (the kernel's ru_maxrss). */
  maxProcessRssKb?: number;
  /**
   * User plus system CPU time summed over the sampled processes, which is less
   * sensitive to other load than wall time. GNU time's figure is not used: it
   * counts only descendants that their parents waited for, and it left out
   * most of the verifier child's CPU time in `npm run verify`.
   */
  cpuSeconds?: number;
  /** Peak of the resident sets summed over the process tree; shared pages count once per process. */
  treeRssKb?: number;
  /** Peak of the proportional set sizes summed over the process tree. */
  treePssKb?: number;
  processes: ProcessPeak[];
  /** The end of what the command printed, for error messages. */
  outputTail: string;
}

export interface CommandOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

let gnuTimeAvailable: boolean | undefined;

/** Tells whether /usr/bin/time is GNU time, which has the -v and -o options used here. */
export function hasGnuTime(): boolean {
  if (gnuTimeAvailable === undefined) {
    const probe = existsSync(gnuTimePath) ? spawnSync(gnuTimePath, ['--version'], { encoding: 'utf8' }) : undefined;
    gnuTimeAvailable = probe !== undefined && `${probe.stdout}${probe.stderr}`.includes('GNU');
  }
  return gnuTimeAvailable;
}

/** Tells whether /proc exposes child lists and memory figures, so the process tree can be sampled. */
export function canSampleProcessTree(): boolean {
  return existsSync(`/proc/${process.pid}/task/${process.pid}/children`) && existsSync(`/proc/${process.pid}/status`);
}

/**
 * Runs a command once and measures its wall time and memory. Wall time runs
 * from spawn to exit. Memory comes from two sources: GNU time's maximum
 * resident set (of the largest single process), and a sampler that sums the
 * memory of every process in the tree every samplingIntervalMs.
 */
export async function measureCommand(command: string, args: string[], options: CommandOptions): Promise<CommandRun> {
  const useGnuTime = hasGnuTime();
  const reportDirectory = useGnuTime ? mkdtempSync(path.join(os.tmpdir(), 'bench-time-')) : undefined;
  const reportPath = reportDirectory ? path.join(reportDirectory, 'time.txt') : undefined;
  const [file, fileArgs] = reportPath ? [gnuTimePath, ['-v', '-o', reportPath, command, ...args]] : [command, args];

  const started = performance.now();
  const child = spawn(file, fileArgs, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let outputTail = '';
  const keepTail = (chunk: Buffer): void => {
    outputTail = (outputTail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);

  const sampler = canSampleProcessTree() && child.pid !== undefined ? startSampler(child.pid, started, useGnuTime) : undefined;
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  const tree = sampler?.stop();

  let maxProcessRssKb: number | undefined;
  if (reportPath && reportDirectory) {
    const report = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
    const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    maxProcessRssKb = maxRss ? Number(maxRss[1]) : undefined;
    rmSync(reportDirectory, { recursive: true, force: true });
  }
  const cpuSeconds = tree ? tree.processes.reduce((sum, entry) => sum + entry.cpuSeconds, 0) : undefined;
  return { wallMs, exitCode, maxProcessRssKb, cpuSeconds, treeRssKb: tree?.rssKb, treePssKb: tree?.pssKb, processes: tree?.processes ?? [], outputTail };
}

interface TreePeak {
  rssKb: number;
  pssKb?: number;
  processes: ProcessPeak[];
}

function startSampler(rootPid: number, started: number, skipRoot: boolean): { stop(): TreePeak } {
  const seen = new Map<number, ProcessPeak>();
  let peakRss = 0;
  let peakPss = 0;
  let pssAvailable = true;

  const sample = (): void => {
    const now = performance.now() - started;
    const pids = descendants(rootPid);
    let rss = 0;
    let pss = 0;
    for (const pid of skipRoot ? pids : [rootPid, ...pids]) {
      const memory = readMemory(pid);
      if (!memory) {
        continue;
      }
      rss += memory.rssKb;
      pss += memory.pssKb ?? 0;
      pssAvailable &&= memory.pssKb !== undefined;
      const cpuSeconds = readCpuSeconds(pid);
      const known = seen.get(pid);
      if (known) {
        known.lastSeenMs = now;
        known.rssKb = Math.max(known.rssKb, memory.rssKb);
        known.pssKb = Math.max(known.pssKb ?? 0, memory.pssKb ?? 0);
        known.cpuSeconds = Math.max(known.cpuSeconds, cpuSeconds);
      } else {
        seen.set(pid, { pid, command: readCommand(pid), firstSeenMs: now, lastSeenMs: now, rssKb: memory.rssKb, pssKb: memory.pssKb, cpuSeconds });
      }
    }
    peakRss = Math.max(peakRss, rss);
    peakPss = Math.max(peakPss, pss);
  };

  sample();
  const timer = setInterval(sample, samplingIntervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { rssKb: peakRss, pssKb: pssAvailable ? peakPss : undefined, processes: [...seen.values()] };
    },
  };
}

function descendants(rootPid: number): number[] {
  const found: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    for (const child of childrenOf(pid)) {
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8');
      children.push(...text.split(' ').filter((entry) => entry.length > 0).map(Number));
    }
  } catch {
    // The process exited between two reads; it has no children left to count.
  }
  return children;
}

function readMemory(pid: number): { rssKb: number; pssKb?: number } | undefined {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const rss = /^Rss:\s+(\d+) kB/m.exec(rollup);
    const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (rss) {
      return { rssKb: Number(rss[1]), pssKb: pss ? Number(pss[1]) : undefined };
    }
  } catch {
    // Older kernels have no smaps_rollup; status still has the resident set.
  }
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return rss ? { rssKb: Number(rss[1]) } : undefined;
  } catch {
    return undefined;
  }
}

let clockTicksPerSecond: number | undefined;

/** Reads utime plus stime from /proc/PID/stat, which counts in clock ticks (getconf CLK_TCK). */
function readCpuSeconds(pid: number): number {
  clockTicksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in field 2 may contain spaces, so the fields are counted from its closing bracket.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return 0;
  }
}

function readCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((part) => part.length > 0).join(' ');
  } catch {
    return '(exited)';
  }
}
