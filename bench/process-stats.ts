import fs from 'node:fs';

/** Peak resident set (VmHWM) of a live process, MiB; null where /proc is not (only Linux has it). */
export function peakRssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every architecture Node runs on. */
const TICKS_PER_S = 100;

/**
 * CPU time a live process has used so far (user + system, all its threads), ms; null where /proc
 * is not. On a shared machine this moves far less than wall-clock throughput with what the
 * neighbours do, so it is the cost to compare between two versions.
 */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line; fields[0] is field 3.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/** CPU ms per item between two readings of `cpuMs`; null when either is missing or nothing was done. */
export const cpuPerItem = (before: number | null, after: number | null, items: number): number | null =>
  before === null || after === null || items === 0 ? null : (after - before) / items;

/**
 * CPU time the whole machine has spent busy so far, over all cores (user, nice, system, irq and
 * softirq of /proc/stat's first line), and all its time; ms. Null where /proc is not.
 */
export function machineCpuMs(): { busy: number; all: number } | null {
  try {
    const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = ticks;
    const busy = user + nice + system + irq + softirq;
    return { busy: (busy * 1000) / TICKS_PER_S, all: ((busy + idle + iowait + steal) * 1000) / TICKS_PER_S };
  } catch {
    return null;
  }
}

/**
 * What a run cost the machine between two readings of `machineCpuMs`: the share of all cores
 * busy, and busy CPU ms per item — everything on the box (the server's processes, PostgreSQL,
 * the load, the sink), so a configuration that keeps the cores busy shows it cannot go faster
 * here whatever its process count.
 */
export function machineUse(
  before: ReturnType<typeof machineCpuMs>,
  after: ReturnType<typeof machineCpuMs>,
  items: number,
): { busyPct: number | null; msPerItem: number | null } {
  if (!before || !after || after.all <= before.all) return { busyPct: null, msPerItem: null };
  const busy = after.busy - before.busy;
  return { busyPct: (100 * busy) / (after.all - before.all), msPerItem: items > 0 ? busy / items : null };
}
