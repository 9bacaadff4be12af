// Every command line answers --help with what it does and every flag it takes, and a mistyped flag,
// command or a missing argument with USAGE_INVALID, the usage and the nearest known name (exit 2),
// never a stack trace. The commands are the compiled programs (dist/, built by vitest's global
// setup) that package.json and the jointgraph bin run, walked through cli/commands.ts.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROGRAMS } from '../cli/commands.ts';
import { didYouMean, editDistance } from '../cli/did-you-mean.ts';
import type { Command } from '../cli/usage.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const STACK_LINE = /^\s+at /m;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** A compiled program, its exit code and output. */
function cli(program: string, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`dist/cli/${program}.js`, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** The files a compiled program loads to answer, relative to dist/ (test/support/module-log.mjs records them). */
async function modulesLoaded(program: string, ...args: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jointgraph-modules-'));
  const log = join(dir, 'modules.log');
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, ['--import', './test/support/module-log.mjs', `dist/cli/${program}.js`, ...args], { cwd: ROOT, env: { ...process.env, JG_MODULE_LOG: log } }, (error) => (error ? reject(error) : resolve()));
    });
    const dist = new URL('../dist/', import.meta.url).href;
    return readFileSync(log, 'utf8').split('\n').filter((url) => url.startsWith(dist)).map((url) => url.slice(dist.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the calls at most `width` at a time: the machine's cores are shared. */
async function inTurns<T, R>(items: readonly T[], width: number, call: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await call(items[i]!);
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

/** The programs people run: each `dist/cli/<name>.js` in package.json's scripts, and the jointgraph bin's. */
function programsRun(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
  const scripts = Object.values(pkg.scripts).flatMap((s) => [...s.matchAll(/dist\/cli\/([\w-]+)\.js/g)].map((m) => m[1]!));
  const bins = Object.values(pkg.bin).flatMap((b) => [...readFileSync(new URL(`../${b}`, import.meta.url), 'utf8').matchAll(/dist\/cli\/([\w-]+)\.js/g)].map((m) => m[1]!));
  return [...new Set([...scripts, ...bins])].sort();
}

/** Every program, and every subcommand once (admin's through jointgraph), each with the arguments that name it. */
function everyCommand(): { program: string; path: string[]; command: Command }[] {
  const seen = new Set<Command>();
  const walk = (program: string, path: string[], command: Command): { program: string; path: string[]; command: Command }[] => {
    if (path.length > 0 && seen.has(command)) return [];
    seen.add(command);
    return [{ program, path, command }, ...Object.entries(command.subcommands ?? {}).flatMap(([name, sub]) => walk(program, [...path, name], sub))];
  };
  return Object.entries(PROGRAMS).flatMap(([program, command]) => walk(program, [], command));
}

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('confg', 'config')).toBe(1);
    expect(editDistance('srve', 'serve')).toBe(1);
    expect(editDistance('approev', 'approve')).toBe(1);
    expect(editDistance('', 'json')).toBe(4);
  });

  it('names the closest known name within two edits, or one the text begins', () => {
    expect(didYouMean('confg', ['config', 'port'])).toBe('config');
    expect(didYouMean('supergrpah', ['config', 'supergraph'])).toBe('supergraph');
    expect(didYouMean('provider', ['providers', 'public-key'])).toBe('providers');
    expect(didYouMean('pub', ['providers', 'public-key'])).toBe('public-key');
    expect(didYouMean('verbose', ['config', 'port'])).toBeUndefined();
  });

  it('does not take replacing a whole short word for a typo', () => {
    expect(didYouMean('x', ['h', 'to'])).toBeUndefined();
  });
});

describe('--help', () => {
  it('every program people run has a command table', () => {
    expect(programsRun().filter((name) => !(name in PROGRAMS))).toEqual([]);
  });

  it('every command and subcommand prints what it does, its usage, and every argument and flag with its description (stdout, exit 0)', async () => {
    const commands = everyCommand();
    const answers = await inTurns(commands, 4, ({ program, path }) => cli(program, ...path, '--help'));
    commands.forEach(({ program, path, command }, i) => {
      const { code, stdout, stderr } = answers[i]!;
      const which = [program, ...path].join(' ');
      expect({ which, code, stderr }).toEqual({ which, code: 0, stderr: '' });
      expect(stdout, which).toContain(`${command.name}: ${command.summary}`);
      expect(stdout, which).toMatch(new RegExp(`^usage: ${escaped(command.name)}( |$)`, 'm'));
      for (const arg of command.args ?? []) expect(stdout, `${which} ${arg.name}`).toMatch(new RegExp(`^  ${arg.name} +${escaped(arg.description)}`, 'm'));
      for (const [flag, { description, default: fallback }] of Object.entries(command.flags)) {
        const row = stdout.split('\n').find((line) => new RegExp(`^  --${flag}(\\s|$)`).test(line));
        expect(row, `${which} --${flag}`).toContain(description);
        if (fallback) expect(row, `${which} --${flag}`).toContain(`default: ${fallback}`);
      }
      for (const name of Object.keys(command.subcommands ?? {})) expect(stdout, `${which} ${name}`).toMatch(new RegExp(`^  ${name} `, 'm'));
    });
  });

  it('-h answers as --help does', async () => {
    const programs = Object.keys(PROGRAMS);
    const answers = await inTurns(programs, 4, async (program) => [await cli(program, '-h'), await cli(program, '--help')] as const);
    answers.forEach(([short, long], i) => expect({ program: programs[i], ...short }).toEqual({ program: programs[i], ...long, code: 0 }));
  });

  it('jointgraph --help and jointgraph serve --help load the command tables alone, no module of the gateway, the providers or the server', async () => {
    const [help, serveHelp] = await Promise.all([modulesLoaded('jointgraph', '--help'), modulesLoaded('jointgraph', 'serve', '--help')]);
    expect(help).toContain('cli/jointgraph.js');
    expect(serveHelp).toContain('cli/serve.js');
    for (const loaded of [help, serveHelp]) expect(loaded.filter((path) => !path.startsWith('cli/'))).toEqual([]);
  });

  it('jointgraph with no arguments lists its commands, not a configuration error', async () => {
    const { code, stdout, stderr } = await cli('jointgraph');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const name of Object.keys(PROGRAMS.jointgraph!.subcommands!)) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(stdout).not.toContain('CONFIG_INVALID');
  });
});

describe('USAGE_INVALID', () => {
  it('a mistyped flag is refused with the flag meant, the usage and exit 2, no stack trace', async () => {
    const { code, stdout, stderr } = await cli('jointgraph', 'serve', '--confg', 'x.yaml');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^\[USAGE_INVALID\] jointgraph serve: unknown flag --confg; did you mean --config\?$/m);
    expect(stderr).toMatch(/^usage: jointgraph serve --config FILE/m);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('a mistyped command is refused with the command meant', async () => {
    const [jointgraph, admin] = await Promise.all([cli('jointgraph', 'srve'), cli('admin', '--token', 't', 'aprove', 'ID')]);
    expect(jointgraph).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^\[USAGE_INVALID\] jointgraph: no command "srve"; did you mean serve\?$/m) });
    expect(admin).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^\[USAGE_INVALID\] jointgraph admin: no command "aprove"; did you mean approve\?$/m) });
  });

  it('a missing argument, flag or value is refused by name', async () => {
    const [serve, refuse, port] = await Promise.all([cli('jointgraph', 'serve'), cli('admin', 'refuse', 'ID'), cli('gateway', '--port')]);
    expect(serve).toMatchObject({ code: 2, stderr: expect.stringMatching(/^\[USAGE_INVALID\] jointgraph serve: missing --config FILE$/m) });
    expect(refuse).toMatchObject({ code: 2, stderr: expect.stringMatching(/^\[USAGE_INVALID\] jointgraph admin refuse: missing --reason TEXT$/m) });
    expect(port).toMatchObject({ code: 2, stderr: expect.stringMatching(/^\[USAGE_INVALID\] npm run gateway --: --port needs a value \(--port N\)$/m) });
  });

  it('every program refuses an unknown flag with its usage, exit 2 and no stack trace', async () => {
    const programs = Object.keys(PROGRAMS);
    const answers = await inTurns(programs, 4, (program) => cli(program, '--no-such-flag'));
    answers.forEach(({ code, stderr }, i) => {
      expect({ program: programs[i], code }).toEqual({ program: programs[i], code: 2 });
      expect(stderr).toMatch(/^\[USAGE_INVALID\] .*: unknown flag --no-such-flag$/m);
      expect(stderr).toMatch(/^usage: /m);
      expect(stderr).not.toMatch(STACK_LINE);
    });
  });
});
