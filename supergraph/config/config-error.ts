// The one error a configuration problem raises: CONFIG_INVALID, naming where (a file and a path in
// it, or an environment variable) and what was expected.

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
  }
}
