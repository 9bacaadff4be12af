// The entry of a server.workers worker: the serve command the primary ran, passed in its
// environment (the primary's own argv no longer names the command once the CLI has read it).

import { runServe, type ServeCommand } from './serve-command.ts';
import { SERVE_COMMAND_ENV } from '../server/workers.ts';

runServe(JSON.parse(process.env[SERVE_COMMAND_ENV] ?? '{}') as ServeCommand);
