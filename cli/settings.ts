// The platform's settings as the CLIs read them: the --config file (else JG_CONFIG), the
// environment winning. Loaded only once a command's flags are read (cli/usage.ts answers --help
// without the configuration's modules).

import { loadConfiguration, type Settings } from '../supergraph/config/index.ts';

export function cliSettings(config: string | undefined): Readonly<Settings> {
  return loadConfiguration(config ?? process.env.JG_CONFIG, process.env);
}
