// Peak resident memory of one process over one measurement: Linux keeps the high-water mark
// (VmHWM) per process, and writing 5 to clear_refs resets it to the current RSS.

import { readFileSync, writeFileSync } from 'node:fs';

function statusField(pid: number, field: string): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a new peak window; false where the kernel does not allow it (the peak is then since start). */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** MiB */
export const peakRss = (pid: number) => statusField(pid, 'VmHWM');
/** MiB */
export const currentRss = (pid: number) => statusField(pid, 'VmRSS');
