// npm run compose: the operator's subgraph list → supergraph/supergraph.graphql.
// Flags: --list FILE, --out FILE, --live (read every SDL from the running subgraph).

import { writeFileSync } from 'node:fs';
import { composeSupergraph, formatProblem, loadSubgraphSdl, SdlUnavailableError } from '../supergraph/compose/index.ts';
import { ConfigError, loadSettings, readSubgraphList } from '../supergraph/config/index.ts';
import { cliArgs } from './args.ts';

async function main(): Promise<number> {
  const args = cliArgs({ list: { type: 'string' }, out: { type: 'string' }, live: { type: 'boolean' } });
  const settings = loadSettings(process.env);
  const entries = readSubgraphList(args.list ?? settings.subgraphListFile);
  const sdls = await Promise.all(entries.map((e) => loadSubgraphSdl(e, { live: args.live ?? false })));
  const result = composeSupergraph(sdls);
  if (!result.ok) {
    console.error(`[COMPOSITION_FAILED] ${result.problems.length} problem(s):`);
    for (const p of result.problems) console.error(`  ${formatProblem(p)}`);
    return 1;
  }
  const out = args.out ?? settings.supergraphFile;
  writeFileSync(out, result.supergraphSdl);
  console.log(`Composed ${entries.length} subgraphs (${entries.map((e) => e.name).join(', ')}) into ${out}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(`[${error.code}] ${error.message}`);
    else if (error instanceof SdlUnavailableError) console.error(`[COMPOSITION_FAILED] ${error.message}`);
    else console.error(error);
    process.exit(1);
  },
);
