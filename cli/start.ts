// npm start: the zero-configuration demo, which is one configuration (config/sample-city.yaml):
// five supervised sample providers and the gateway in front of them, each in a process of its
// own, restarted if it dies. JG_* variables override the file. Ctrl-C stops all.

import { fileURLToPath } from 'node:url';
import { runServe } from './serve-command.ts';

runServe({ config: fileURLToPath(new URL('../config/sample-city.yaml', import.meta.url)) });
