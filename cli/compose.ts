// jointgraph compose (npm run compose): the operator's subgraph list → supergraph/supergraph.graphql,
// with the label report. Its flags are in cli/commands.ts.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SdlHeaders } from '../supergraph/compose/index.ts';
import type { Label } from '../directives/index.ts';
import { COMPOSE } from './commands.ts';
import { parseCommand } from './usage.ts';

const args = parseCommand(COMPOSE).values;
// Loaded once the flags are read: the help answers without them.
const { callerKeyFile, registryHeaders: signedAsRegistry } = await import('../supergraph/execution/index.ts');
const { composeSupergraph, formatProblem, loadSubgraphSdl, SdlUnavailableError } = await import('../supergraph/compose/index.ts');
const { ConfigError, readSubgraphList } = await import('../supergraph/config/index.ts');
const { buildLabelCatalog, labelReport, readLabelOverlay } = await import('../supergraph/labels/index.ts');
const { cliSettings } = await import('./settings.ts');

/** Providers answer `_service` to the registry only: sign as it, with the platform's key, when there is one. */
async function registryHeaders(keyFile: string): Promise<SdlHeaders | undefined> {
  if (!existsSync(keyFile)) return undefined;
  return signedAsRegistry((await callerKeyFile(keyFile)).key);
}

function describeLabel(l: Label): string {
  return [l.sharing, l.grade + (l.level ? `/${l.level}` : ''), l.category, l.pii ? 'pii' : ''].filter(Boolean).join(' ');
}

async function main(): Promise<number> {
  const settings = cliSettings(args.config);
  const entries = readSubgraphList(args.list ?? settings.subgraphListFile);
  const headers = args.live ? await registryHeaders(join(settings.dataDir, 'keys', 'gateway-signing.jwk')) : undefined;
  const sdls = await Promise.all(entries.map((e) => loadSubgraphSdl(e, { live: args.live ?? false, ...(headers ? { headers } : {}) })));
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
  for (const d of report.derivedFromNotShared) {
    console.warn(
      `[DERIVED_FROM_NOT_SHARED] ${d.coordinate} derives from NOT_SHARED ${d.from.join(', ')}: closed (treated as NOT_SHARED) until the overlay acknowledges it ("derivationAcknowledged": {"from": ${JSON.stringify(d.from)}, "basis": "..."})`,
    );
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
  const acknowledged = report.acknowledgedDerivations.map((d) => d.coordinate);
  console.log(`Derived from NOT_SHARED: ${report.derivedFromNotShared.length} closed, ${acknowledged.length} acknowledged${acknowledged.length ? ` (${acknowledged.join(', ')})` : ''}`);
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
