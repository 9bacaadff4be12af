// npm start: the zero-configuration demo, which is one configuration (config/sample-city.yaml):
// five supervised sample providers and the gateway in front of them, each in a process of its
// own, restarted if it dies. JG_* variables override the file. Ctrl-C stops all.

import { fromPackageRoot } from '../supergraph/config/index.ts';
import { runServe } from './serve-command.ts';

runServe({ config: fromPackageRoot('config/sample-city.yaml') });
