// What every CLI says about itself and how it reads its arguments, from one table per command
// (cli/commands.ts): `--help` prints the summary, the usage and every flag on stdout (exit 0); an
// unknown or malformed flag, an unknown command or a missing argument is USAGE_INVALID on stderr
// with the usage and the nearest known name (exit 2), never a stack trace. Loads nothing heavy:
// the help answers before a command loads its modules.

import { parseArgs } from 'node:util';
import { didYouMean } from './did-you-mean.ts';

export interface Flag {
  type: 'string' | 'boolean';
  /** What the value stands for in the help: FILE, N, ISO. */
  value?: string;
  description: string;
  /** What applies when the flag is absent, as the help states it (the command applies it). */
  default?: string;
  required?: boolean;
}

export type Flags = Readonly<Record<string, Flag>>;

export interface Argument {
  name: string;
  description: string;
  optional?: boolean;
}

export interface Command<F extends Flags = Flags> {
  /** How it is called: `jointgraph serve`. */
  name: string;
  /** Another way to call it: `npm run serve --`. */
  also?: string;
  /** What it does, in one line. */
  summary: string;
  /** Positional arguments, in order, the optional ones last. */
  args?: readonly Argument[];
  flags: F;
  /** Named by the first argument; the flags before and after it go to the one named. */
  subcommands?: Readonly<Record<string, Command>>;
}

type Value<T extends Flag> = T['type'] extends 'boolean' ? boolean : string;

/** What the flags give: a required flag is always there (parseCommand stops without it). */
export type Values<F extends Flags> = { [K in keyof F as F[K]['required'] extends true ? K : never]: Value<F[K]> } & {
  [K in keyof F as F[K]['required'] extends true ? never : K]?: Value<F[K]>;
};

/** A command's table, its flag and subcommand names kept for the types of what they give. */
export const defineCommand = <const C extends Command>(command: C): C => command;

const HELP: Flag = { type: 'boolean', description: 'print this help' };
const EXIT_USAGE = 2;

const flagName = (name: string, flag: Flag) => `--${name}${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}`;

function usageLines(command: Command): string[] {
  const flags = Object.entries(command.flags);
  const tail = [
    ...(command.subcommands ? ['<command>'] : []),
    ...(command.args ?? []).map((a) => (a.optional ? `[${a.name}]` : a.name)),
    ...flags.filter(([, f]) => f.required).map(([name, f]) => flagName(name, f)),
    ...(flags.some(([, f]) => !f.required) || command.subcommands ? ['[flags]'] : []),
  ];
  const line = (name: string) => [name, ...tail].join(' ');
  return [`usage: ${line(command.name)}`, ...(command.also ? [`       ${line(command.also)}`] : [])];
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}   ${right}`);
}

export function helpText(command: Command): string {
  const flagRows = Object.entries(command.flags).map(([name, f]) => [flagName(name, f), `${f.description}${f.required ? '; required' : f.default ? `; default: ${f.default}` : ''}`] as const);
  const sections = [
    [`${command.name}: ${command.summary}`],
    usageLines(command),
    ...(command.subcommands ? [['commands:', ...table(Object.entries(command.subcommands).map(([name, c]) => [name, c.summary]))]] : []),
    ...(command.args?.length ? [['arguments:', ...table(command.args.map((a) => [a.name, a.description]))]] : []),
    ['flags:', ...table([...flagRows, ['-h, --help', HELP.description]])],
    ...(command.subcommands ? [[`Run \`${command.name} <command> --help\` for a command's own flags.`]] : []),
  ];
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}

/** Stops the process: what went wrong, the usage, and where the rest is (exit 2). */
function usageError(command: Command, problem: string): never {
  const takesNothing = !command.subcommands && !command.args?.length && Object.keys(command.flags).length === 0;
  const more = takesNothing ? 'It takes no arguments.' : `Run \`${command.name} --help\` for ${command.subcommands ? 'the commands and ' : ''}every flag.`;
  console.error([`[USAGE_INVALID] ${command.name}: ${problem}`, ...usageLines(command), more].join('\n'));
  process.exit(EXIT_USAGE);
}

function printHelp(command: Command): never {
  console.log(helpText(command));
  process.exit(0);
}

function tokensOf(flags: Flags, argv: readonly string[]) {
  const options = Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, { type: f.type }]));
  return parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: false, allowPositionals: true, tokens: true });
}

type Token = ReturnType<typeof tokensOf>['tokens'][number];

/** The first flag that is unknown, lacks its value or has one it does not take. */
function flagProblem(flags: Flags, tokens: readonly Token[]): string | undefined {
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === 'help') continue;
    const flag = flags[token.name];
    if (!flag) {
      const near = didYouMean(token.name, [...Object.keys(flags), 'help']);
      return `unknown flag ${token.rawName}${near ? `; did you mean --${near}?` : ''}`;
    }
    if (flag.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value`;
    // As strict parsing does: a value that looks like a flag is a flag, unless written --name=value.
    if (flag.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return `${token.rawName} needs a value (${flagName(token.name, flag)})`;
    }
  }
  return undefined;
}

/** A command's flags and positional arguments, or its help, or a usage error: the process stops for the last two. */
export function parseCommand<F extends Flags>(command: Command<F>, argv: readonly string[] = process.argv.slice(2)): { values: Values<F>; positionals: string[] } {
  const { tokens, values, positionals } = tokensOf(command.flags, argv);
  if (values.help) printHelp(command);
  const problem = flagProblem(command.flags, tokens);
  if (problem) usageError(command, problem);
  const args = command.args ?? [];
  if (positionals.length > args.length) usageError(command, `unexpected argument "${positionals[args.length]}"`);
  const missing = [
    ...args.slice(positionals.length).filter((a) => !a.optional).map((a) => a.name),
    ...Object.entries(command.flags).filter(([name, f]) => f.required && values[name] === undefined).map(([name, f]) => flagName(name, f)),
  ];
  if (missing.length > 0) usageError(command, `missing ${missing.join(', ')}`);
  return { values: values as Values<F>, positionals };
}

/** Every flag a command or any of its subcommands takes: what may stand before the subcommand's name. */
function allFlags(command: Command): Flags {
  return Object.assign({}, command.flags, ...Object.values(command.subcommands ?? {}).map(allFlags));
}

/**
 * The subcommand the first positional argument names, and the arguments without it. With none
 * named, `--help` or no argument at all prints the command list.
 */
export function chooseSubcommand<S extends string>(command: Command & { subcommands: Readonly<Record<S, Command>> }, argv: readonly string[] = process.argv.slice(2)): { name: S; command: Command; argv: string[] } {
  const flags = allFlags(command);
  const { tokens, values } = tokensOf(flags, argv);
  const first = tokens.find((t) => t.kind === 'positional');
  const before = first ? tokens.slice(0, tokens.indexOf(first)) : tokens;
  const names = Object.keys(command.subcommands);
  if (!first && (argv.length === 0 || values.help)) printHelp(command);
  const problem = flagProblem(flags, before);
  if (problem) usageError(command, problem);
  if (!first) usageError(command, `missing <command> (one of ${names.join(', ')})`);
  if (!names.includes(first.value)) {
    const near = didYouMean(first.value, names);
    usageError(command, `no command "${first.value}"${near ? `; did you mean ${near}?` : ''}`);
  }
  const name = first.value as S;
  return { name, command: command.subcommands[name], argv: argv.filter((_, i) => i !== first.index) };
}
