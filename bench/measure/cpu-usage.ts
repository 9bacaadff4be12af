// Whether a measurement had the machine to itself: CPU time used by processes that are not the
// benchmark's (another test run, a build) is the busy time in /proc/stat minus our processes'
// own, as a share of all cores over the window, and the time the hypervisor took (steal) apart.
// A busy neighbour is reported, never hidden.

import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuSnapshot {
  at: number;
  busyTicks: number;
  stealTicks: number;
  ourTicks: number;
}

function machineTicks(): { busy: number; steal: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields as number[];
  return { busy: user! + nice! + system! + irq! + softirq! + (steal ?? 0), steal: steal ?? 0 };
}

/** utime + stime of a process and of its threads, in clock ticks; 0 once it is gone. */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

export function cpuSnapshot(ourPids: readonly number[]): CpuSnapshot {
  const { busy, steal } = machineTicks();
  return { at: Date.now(), busyTicks: busy, stealTicks: steal, ourTicks: ourPids.reduce((t, pid) => t + processTicks(pid), 0) };
}

/** Clock ticks all cores offer between two snapshots (USER_HZ = 100 on Linux). */
const ticksBetween = (before: CpuSnapshot, after: CpuSnapshot) => ((after.at - before.at) / 1000) * 100 * cpus().length;

/** Share of the whole machine (0–1) other processes (and the hypervisor's steal) used between two snapshots. */
export function foreignShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const available = ticksBetween(before, after);
  if (available <= 0) return 0;
  return Math.max(0, (after.busyTicks - before.busyTicks - (after.ourTicks - before.ourTicks)) / available);
}

/** Share of the whole machine (0–1) the hypervisor gave to other guests (steal) between two snapshots. */
export function stealShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const available = ticksBetween(before, after);
  return available <= 0 ? 0 : Math.max(0, (after.stealTicks - before.stealTicks) / available);
}

/** Waits until other processes leave the machine nearly idle (or gives up), returning the last share seen. */
export async function waitForQuiet(ourPids: () => number[], { threshold = 0.05, windowMs = 500, maxWaitMs = 120_000 } = {}): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let share = 1;
  while (Date.now() < deadline) {
    const before = cpuSnapshot(ourPids());
    await new Promise((r) => setTimeout(r, windowMs));
    share = foreignShare(before, cpuSnapshot(ourPids()));
    if (share < threshold) break;
  }
  return share;
}
