// Self and inclusive time from a V8 .cpuprofile, by function, by package and by stage: where a
// gateway spends its CPU.

const ROOT = new URL('../../', import.meta.url).href;

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** `node_modules/@scope/name/…` → `@scope/name`; our sources → `jointgraph <folder>`; V8 pseudo-frames as they are. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return 'node (core modules)';
  const ours = url.startsWith(ROOT) ? /^([^/]+)\//.exec(url.slice(ROOT.length)) : null;
  return ours ? `jointgraph ${ours[1]}/` : url;
}

function top(totals: Map<string, number>, all: number, limit: number): SelfTime[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, share: us / all }));
}

/** Self time of the samples taken `skipMs` after the profile started or later (start-up left out). */
export function selfTimes(profile: CpuProfile, limit = 25, skipMs = 0): { totalMs: number; functions: SelfTime[]; packages: SelfTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsedUs += delta;
    if (elapsedUs >= skipMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let all = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    all += us;
    const where = url ? `${url.replace(/^.*node_modules\//, '').replace(ROOT, '')}:${lineNumber + 1}` : '';
    const fn = `${functionName || '(anonymous)'} ${where}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  return { totalMs: all / 1000, functions: top(functions, all, limit), packages: top(packages, all, limit) };
}

/**
 * Inclusive time of stages, each named by a pattern matched against `functionName url` of any
 * frame on the stack (a sample counts once per stage, however deep the recursion).
 */
export function stageTimes(profile: CpuProfile, stages: readonly (readonly [name: string, pattern: string])[], skipMs = 0): SelfTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const totals = new Map<string, number>(stages.map(([name]) => [name, 0]));
  let all = 0;
  let elapsedUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsedUs += delta;
    if (elapsedUs < skipMs * 1000 || byId.get(id)!.callFrame.functionName === '(idle)') return;
    all += delta;
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(`${byId.get(at)!.callFrame.functionName} ${byId.get(at)!.callFrame.url}`);
    for (const [name, pattern] of stages) if (frames.some((f) => f.includes(pattern))) totals.set(name, totals.get(name)! + delta);
  });
  return stages.map(([name]) => ({ name, ms: totals.get(name)! / 1000, share: totals.get(name)! / all }));
}
