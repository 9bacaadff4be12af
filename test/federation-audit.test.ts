// The Guild's federation gateway audit (46 suites, 199 cases) through the project's own script,
// scripts/audit/federation-audit.sh, in both modes: plain federation and the authorization
// pipeline on. Each must score 199/199. The audit comes from ../shared/federation-gateway-audit
// beside the repository (read-only), installed once into node_modules/.cache per lock file; where
// it is missing the test is skipped with the reason, and fails instead under JG_REQUIRE_SERVICES=1.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, '..', 'shared', 'federation-gateway-audit');
const REQUIRED = process.env.JG_REQUIRE_SERVICES === '1';
const SUITES = 46;
const CASES = 199;
// Each suite starts a gateway of its own; on a busy two-core machine one run took 11 minutes.
const RUN_TIMEOUT_MS = 40 * 60_000;

const available = existsSync(join(SOURCE, 'package-lock.json'));
if (!available) console.warn(`test/federation-audit.test.ts: no federation gateway audit at ${SOURCE}; ${REQUIRED ? 'JG_REQUIRE_SERVICES=1 makes that a failure' : 'its tests are skipped'}.`);
it.runIf(!available && REQUIRED)(`finds the federation gateway audit at ${SOURCE}, as JG_REQUIRE_SERVICES=1 requires`, () => {
  expect.fail(`No federation gateway audit at ${SOURCE}: copy /work/shared beside the repository as ../shared, or unset JG_REQUIRE_SERVICES to skip the audit.`);
});

/** Runs `command` and resolves with its exit code; its output goes to `log`. Its process group is `running`'s until it exits. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; log: string }): Promise<number | null> {
  const out = createWriteStream(options.log);
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child.pid!);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      running.delete(child.pid!);
      out.end(() => resolve(code));
    });
  });
}
const running = new Set<number>();

/** The audit installed in node_modules/.cache, once per lock file (the npm registry is asked only then). */
async function installedAudit(): Promise<string> {
  const lock = createHash('sha256').update(readFileSync(join(SOURCE, 'package-lock.json'))).digest('hex').slice(0, 16);
  const cache = join(ROOT, 'node_modules', '.cache', 'federation-gateway-audit');
  const target = join(cache, lock);
  if (existsSync(join(target, 'node_modules', '.bin', 'tsx'))) return target;
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(cache, `${lock}-installing-`));
  cpSync(SOURCE, staging, { recursive: true });
  // The copy keeps the source's modes, which lack write bits: npm and a later clean-up need them.
  for (const entry of ['.', ...readdirSync(staging, { recursive: true, encoding: 'utf8' })]) {
    const path = join(staging, entry);
    chmodSync(path, statSync(path).mode | 0o200);
  }
  const log = join(staging, 'npm-ci.log');
  const code = await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: staging, log });
  if (code !== 0) throw new Error(`npm ci of the federation gateway audit exited ${code}:\n${readFileSync(log, 'utf8').slice(-2_000)}`);
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another run installed it meanwhile.
    if (!existsSync(target)) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** A port nothing listens on, on any address, from an unusual range: the audit kills whatever listens on its gateway port. */
async function freePort(from: number, taken: Set<number>): Promise<number> {
  for (let port = from; port < from + 500; port++) {
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer().once('error', () => resolve(false));
      probe.listen(port, () => probe.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port in ${from}–${from + 499}`);
}

interface Score {
  suites: number;
  total: number;
  passed: number;
  /** `suite case N` (0-based, as the audit's logs number them) of every failing case. */
  failed: string[];
}

/** The audit's results file: a suite id line, then one line of `.` and `X`, per suite; then `---` and the totals. */
function readScore(file: string): Score {
  const lines = readFileSync(file, 'utf8').split('\n');
  const score: Score = { suites: 0, total: 0, passed: 0, failed: [] };
  for (let i = 0; i + 1 < lines.length && lines[i] !== '' && lines[i] !== '---'; i += 2) {
    score.suites++;
    [...lines[i + 1]!].forEach((mark, n) => {
      score.total++;
      if (mark === '.') score.passed++;
      else score.failed.push(`${lines[i]} case ${n}`);
    });
  }
  return score;
}

describe.runIf(available)('federation gateway audit', () => {
  let audit: string;
  const ports = new Set<number>();
  const work = mkdtempSync(join(tmpdir(), 'jointgraph-federation-audit-'));

  beforeAll(async () => {
    audit = await installedAudit();
  }, 10 * 60_000);
  afterAll(() => {
    // A run cut short by the timeout: stop the script, the audit and its gateway (one process group).
    for (const pid of running) process.kill(-pid, 'SIGTERM');
  });

  // The two modes run side by side on ports of their own: most of a run is waiting for gateways to start.
  for (const [mode, results, what] of [
    ['plain', 'results.txt', 'plain federation (cli/gateway.ts, authorization off)'],
    ['authz', 'results-authz.txt', 'the authorization pipeline on (labels, joint grants, audit trail, enforce)'],
  ] as const) {
    it.concurrent(`passes all ${CASES} cases with ${what}`, async () => {
      const gatewayPort = await freePort(24_000, ports);
      const auditPort = await freePort(24_600, ports);
      const dir = join(work, mode);
      const log = join(work, `${mode}.log`);
      mkdirSync(dir);
      const code = await run('sh', [join(ROOT, 'scripts', 'audit', 'federation-audit.sh'), audit, mode], {
        cwd: ROOT,
        env: { AUDIT_WORK: dir, GATEWAY_PORT: String(gatewayPort), AUDIT_PORT: String(auditPort) },
        log,
      });
      const file = join(dir, results);
      if (!existsSync(file)) expect.fail(`the audit wrote no results (exit ${code}); its output:\n${readFileSync(log, 'utf8').slice(-3_000)}`);
      const score = readScore(file);
      console.log(`federation audit, ${mode}: ${score.passed}/${score.total} (logs: ${dir}/${mode}/logs)`);
      expect(score.failed, `failing cases; their logs are ${dir}/${mode}/logs/<suite>-{tests,gateway}.log`).toEqual([]);
      expect({ suites: score.suites, total: score.total, passed: score.passed, exit: code }).toEqual({ suites: SUITES, total: CASES, passed: CASES, exit: 0 });
    }, RUN_TIMEOUT_MS);
  }
});
