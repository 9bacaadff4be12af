// `node --import ./module-log.mjs`: writes the URL of every file: module the process loads, one a
// line, to the file JG_MODULE_LOG names. Tests read it to see what a command loaded, not how long it took.
// Node runs the hooks on a thread of their own: this module registers itself from the main thread and
// logs from there.

import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(process.env.JG_MODULE_LOG, `${url}\n`);
  return nextLoad(url, context);
}
