// Reads a configuration file (YAML or JSON), lays the JG_* environment variables over it and
// validates the result against the schema once; a problem names the file or variable, the path
// and what was expected.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { configurationSchema, WHOLE, type Configuration, type SettingMeta } from './configuration-schema.ts';

export type Env = Record<string, string | undefined>;
type Path = readonly (string | number)[];

export interface SettingLeaf {
  path: readonly string[];
  meta: SettingMeta;
  kind: string;
  default?: unknown;
  schema: z.ZodType;
}

/** Where a setting's value came from, so that paths resolve and errors speak the caller's words. */
export type SettingSource = { from: 'env'; name: string; raw: string } | { from: 'file' } | { from: 'default' };

export interface LoadedConfiguration {
  config: Configuration;
  file?: string;
  sourceOf(path: readonly string[]): SettingSource;
}

const WRAPPERS = new Set(['default', 'optional', 'prefault']);

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (WRAPPERS.has(inner.def.type)) inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
  return inner;
}

function defaultOf(schema: z.ZodType): unknown {
  return schema.def.type === 'default' ? (schema.def as unknown as { defaultValue: unknown }).defaultValue : undefined;
}

/** Every setting in the schema, in order: the groups' fields, one level of nesting deep or more. */
export function settingLeaves(schema: z.ZodType = configurationSchema, path: readonly string[] = []): SettingLeaf[] {
  const shape = (unwrap(schema) as z.ZodObject).shape;
  return Object.entries(shape).flatMap(([key, child]) => {
    const inner = unwrap(child as z.ZodType);
    if (inner.def.type === 'object') return settingLeaves(inner, [...path, key]);
    const meta = z.globalRegistry.get(child as z.ZodType) as SettingMeta | undefined;
    if (!meta || key === '$schema') return [];
    return [{ path: [...path, key], meta, kind: inner.def.type, default: defaultOf(child as z.ZodType), schema: child as z.ZodType }];
  });
}

/** `apps[2].limits.concurrent`; a key that is no identifier is quoted: `labels["Person.*"].grade`. */
export function formatPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : !/^[A-Za-z_$][\w$]*$/.test(p) ? `[${JSON.stringify(p)}]` : i === 0 ? p : `.${p}`)).join('');
}

export function readConfigurationFile(file: string): unknown {
  try {
    const text = readFileSync(file, 'utf8');
    return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(file, `cannot read the configuration: ${(error as Error).message}`);
  }
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

function setAt(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
  }
  node[path[path.length - 1]!] = value;
}

/** An environment variable's text as the schema's type; what does not convert is left for the schema to refuse. */
function fromEnv(kind: string, raw: string): unknown {
  if (kind === 'number') return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  if (kind === 'boolean') return raw === 'on' ? true : raw === 'off' ? false : raw;
  if (kind === 'array') return raw.trim() === '' ? [] : raw.split(',').map((item) => item.trim());
  return raw;
}

function envOf(leaf: SettingLeaf, env: Env): { name: string; raw: string } | undefined {
  for (const name of [leaf.meta['x-env'], leaf.meta['x-env-fallback']]) {
    const raw = name ? env[name] : undefined;
    if (name && raw !== undefined && raw !== '') return { name, raw };
  }
  return undefined;
}

export function loadConfigurationFile(file: string | undefined, env: Env): LoadedConfiguration {
  const raw = file === undefined ? {} : readConfigurationFile(file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file ?? 'configuration', `expected a mapping of groups (server, providers, city, authorization, audit, cache, telemetry), got ${JSON.stringify(raw)}`);
  }
  const input = { ...(raw as Record<string, unknown>) };
  const fromEnvironment = new Map<string, { name: string; raw: string; kind: string }>();
  for (const leaf of settingLeaves()) {
    const set = envOf(leaf, env);
    if (!set) continue;
    fromEnvironment.set(leaf.path.join('.'), { ...set, kind: leaf.kind });
    setAt(input, leaf.path, fromEnv(leaf.kind, set.raw));
  }
  const sourceOf = (path: readonly string[]): SettingSource => {
    const set = fromEnvironment.get(path.join('.'));
    if (set) return { from: 'env', name: set.name, raw: set.raw };
    return valueAt(raw, path) === undefined ? { from: 'default' } : { from: 'file' };
  };
  const parsed = configurationSchema.safeParse(input);
  if (!parsed.success) throw configError(parsed.error.issues[0]!, { input, file, fromEnvironment });
  return { config: parsed.data, ...(file ? { file } : {}), sourceOf };
}

interface IssueContext {
  input: unknown;
  file?: string;
  fromEnvironment: Map<string, { name: string; raw: string; kind: string }>;
}

/** The variable a path (or an element of a list under it) was set by, if any. */
function envSetting(path: Path, ctx: IssueContext) {
  for (let n = path.length; n > 0; n--) {
    const set = ctx.fromEnvironment.get(path.slice(0, n).join('.'));
    if (set) return { ...set, exact: n === path.length };
  }
  return undefined;
}

function keysAt(root: z.ZodType, path: Path): string[] {
  let schema = root;
  for (const key of path) {
    const inner = unwrap(schema);
    if (inner.def.type === 'record') schema = (inner.def as unknown as { valueType: z.ZodType }).valueType;
    else schema = typeof key === 'number' ? (inner.def as unknown as { element: z.ZodType }).element : ((inner as z.ZodObject).shape[key] as z.ZodType);
  }
  return Object.keys((unwrap(schema) as z.ZodObject).shape);
}

/** A schema's first issue with a file's input as CONFIG_INVALID: the file, the path, what was expected and what was found. */
export function fileIssueError(schema: z.ZodType, issue: z.core.$ZodIssue, input: unknown, file?: string): ConfigError {
  const where = (path: Path) => (file && path.length > 0 ? `${file}: ${formatPath(path)}` : file ?? formatPath(path));
  if (issue.code === 'unrecognized_keys') {
    return new ConfigError(where([...issue.path, issue.keys[0]!] as Path), `unknown setting; expected one of ${keysAt(schema, issue.path as Path).join(', ')}`);
  }
  if (issue.code === 'invalid_key') return new ConfigError(where(issue.path as Path), `${issue.issues[0]?.message ?? issue.message}, got ${JSON.stringify(issue.path.at(-1))}`);
  if (issue.code === 'custom' && issue.params?.whole === WHOLE.whole) return new ConfigError(where(issue.path as Path), issue.message.replace(/\{([\w.]+)\}/g, '$1'));
  const value = valueAt(input, issue.path as Path);
  return new ConfigError(where(issue.path as Path), `${issue.message}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
}

/** A file's input parsed by its schema, or the first issue as CONFIG_INVALID (fileIssueError). */
export function parseFileInput<T extends z.ZodType>(schema: T, input: unknown, file?: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw fileIssueError(schema, parsed.error.issues[0]!, input, file);
  return parsed.data;
}

/** As fileIssueError, but a setting the environment gave is named by its variable, and so are the settings its message mentions. */
function configError(issue: z.core.$ZodIssue, ctx: IssueContext): ConfigError {
  const set = envSetting(issue.path as Path, ctx);
  if (!set) return fileIssueError(configurationSchema, issue, ctx.input, ctx.file);
  if (issue.code === 'custom' && issue.params?.whole === WHOLE.whole) {
    const variable = (path: string) => settingLeaves().find((l) => l.path.join('.') === path)?.meta['x-env'] ?? path;
    return new ConfigError(set.name, issue.message.replace(/\{([\w.]+)\}/g, (_, path: string) => variable(path)));
  }
  const expected = set.kind === 'array' ? issue.message.replace(/^expected (a list of )?/, 'expected comma-separated ') : issue.message;
  return new ConfigError(set.name, `${expected}, got "${set.exact ? set.raw : String(valueAt(ctx.input, issue.path as Path))}"`);
}
