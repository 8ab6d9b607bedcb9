/**
 * @module CPU time of processes and of the machine, from /proc (Linux), for
 * explaining where a benchmark's time went: which processes were busy, and
 * how much of the machine's two cores other work took meanwhile.
 *
 * A process's CPU time is `utime + stime` of /proc/<pid>/stat, which counts
 * every thread: a Node process's libuv pool (gzip, hashing) is included.
 * PostgreSQL serves each connection in a backend process of its own, which
 * may start and end within a run, so {@link CpuMeter} samples the pids it is
 * given every `intervalMs` and keeps each pid's last reading.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`, 100 on Linux nearly always). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** True when /proc can be read (Linux); the meter reports nothing elsewhere. */
export const procAvailable = (() => {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

/** CPU seconds `pid` has used so far (user + system, all threads), or undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Direct children of `pid` (every thread's), e.g. nginx's workers. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) children.push(...text.split(' ').map(Number));
    }
  } catch {
    // gone, or no such file on this kernel: no children known
  }
  return children;
}

/** Busy, I/O-wait and total CPU seconds of the whole machine since boot, from /proc/stat's `cpu` line. */
export function machineCpuSeconds(): { busy: number; iowait: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / TICKS_PER_SECOND, iowait: iowait! / TICKS_PER_SECOND, total: (busy + idle! + iowait!) / TICKS_PER_SECOND };
}

/** A named group of processes whose CPU is summed, e.g. `indexers` or `postgres backends`. */
export interface CpuGroup {
  name: string;
  /** The group's pids now; called at every sample. */
  pids(): number[] | Promise<number[]>;
}

/** What a group used over the metered window. */
export interface CpuUse {
  name: string;
  /** CPU seconds used in the window. */
  seconds: number;
  /** `seconds` per wall-clock second: 1.0 is one core busy the whole time. */
  cores: number;
}

/** Meters groups of processes over a window, sampling their pids as they come and go. */
export class CpuMeter {
  readonly #groups: CpuGroup[];
  readonly #intervalMs: number;
  /** group → pid → [first reading, last reading]. */
  readonly #readings = new Map<string, Map<number, [number, number]>>();
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> = Promise.resolve();
  #started = 0;
  #machineStart = { busy: 0, iowait: 0, total: 0 };

  constructor(groups: CpuGroup[], intervalMs = 500) {
    this.#groups = groups;
    this.#intervalMs = intervalMs;
  }

  /** Takes the first readings: pids seen now count from here; pids that appear later count from zero. */
  async start(): Promise<void> {
    this.#started = performance.now();
    this.#machineStart = machineCpuSeconds();
    await this.#sample(true);
    this.#timer = setInterval(() => {
      this.#sampling = this.#sampling.then(() => this.#sample(false)).catch(() => {});
    }, this.#intervalMs);
  }

  /** Takes the last readings and returns each group's use, then the machine's, the rest (other work on the machine) and its I/O wait. */
  async stop(): Promise<CpuUse[]> {
    clearInterval(this.#timer);
    await this.#sampling;
    await this.#sample(false);
    const wall = (performance.now() - this.#started) / 1000;
    const machineEnd = machineCpuSeconds();
    const uses = this.#groups.map((g) => {
      let seconds = 0;
      for (const [first, last] of this.#readings.get(g.name)?.values() ?? []) seconds += last - first;
      return { name: g.name, seconds, cores: seconds / wall };
    });
    const machine = machineEnd.busy - this.#machineStart.busy;
    const ours = uses.reduce((sum, u) => sum + u.seconds, 0);
    uses.push({ name: 'machine (all processes)', seconds: machine, cores: machine / wall });
    uses.push({ name: 'other work on the machine', seconds: Math.max(0, machine - ours), cores: Math.max(0, machine - ours) / wall });
    const iowait = machineEnd.iowait - this.#machineStart.iowait;
    uses.push({ name: 'machine idle, waiting for I/O', seconds: iowait, cores: iowait / wall });
    return uses;
  }

  async #sample(first: boolean): Promise<void> {
    for (const group of this.#groups) {
      const readings = this.#readings.get(group.name) ?? new Map<number, [number, number]>();
      this.#readings.set(group.name, readings);
      for (const pid of await group.pids()) {
        const now = processCpuSeconds(pid);
        if (now === undefined) continue;
        const known = readings.get(pid);
        if (known) known[1] = now;
        else readings.set(pid, [first ? now : 0, now]);
      }
    }
  }
}
