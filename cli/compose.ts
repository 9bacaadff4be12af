// npm run compose: the operator's subgraph list → supergraph/supergraph.graphql.
// Flags: --list FILE, --out FILE, --live (read every SDL from the running subgraph).

import { writeFileSync } from 'node:fs';
import { composeSupergraph, formatProblem, loadSubgraphSdl, SdlUnavailableError } from '../supergraph/compose/index.ts';
import { ConfigError, loadSettings, readSubgraphList } from '../supergraph/config/index.ts';
import type { Label } from '../directives/index.ts';
import { buildLabelCatalog, labelReport, readLabelOverlay } from '../supergraph/labels/index.ts';
import { cliArgs } from './args.ts';

function describeLabel(l: Label): string {
  return [l.sharing, l.grade + (l.level ? `/${l.level}` : ''), l.category, l.pii ? 'pii' : ''].filter(Boolean).join(' ');
}

async function main(): Promise<number> {
  const args = cliArgs({ list: { type: 'string' }, out: { type: 'string' }, labels: { type: 'string' }, live: { type: 'boolean' } });
  const settings = loadSettings(process.env);
  const entries = readSubgraphList(args.list ?? settings.subgraphListFile);
  const sdls = await Promise.all(entries.map((e) => loadSubgraphSdl(e, { live: args.live ?? false })));
  const result = composeSupergraph(sdls);
  if (!result.ok) {
    console.error(`[COMPOSITION_FAILED] ${result.problems.length} problem(s):`);
    for (const p of result.problems) console.error(`  ${formatProblem(p)}`);
    return 1;
  }
  const catalog = buildLabelCatalog(result.supergraphSdl, readLabelOverlay(args.labels ?? settings.labelOverlayFile));
  const report = labelReport(catalog);
  for (const coordinate of report.unlabeled) console.warn(`[UNLABELED] ${coordinate}: no label; treated as CONDITIONAL, CORE (closed by default)`);
  for (const c of report.conflicts) {
    console.warn(`[LABEL_CONFLICT] ${c.coordinate}: provider proposes ${describeLabel(c.proposal)}, overlay says ${describeLabel(c.overlay)} (overlay applies)`);
  }
  if (report.missingBasis.length > 0) {
    for (const coordinate of report.missingBasis) console.error(`[LABEL_BASIS_MISSING] ${coordinate}: NOT_SHARED needs a legal basis (basis: "...")`);
    return 1;
  }
  const out = args.out ?? settings.supergraphFile;
  writeFileSync(out, result.supergraphSdl);
  const labelled = catalog.fields.size - report.unlabeled.length;
  console.log(`Composed ${entries.length} subgraphs (${entries.map((e) => e.name).join(', ')}) into ${out}`);
  console.log(`Labels: ${labelled}/${catalog.fields.size} fields labelled, ${report.conflicts.length} overlay conflict(s), ${report.unlabeled.length} unlabeled`);
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
