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
