// npm run compose: the operator's subgraph list → supergraph/supergraph.graphql.
// Flags: --list FILE, --out FILE, --live (read every SDL from the running subgraph).

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callerKeyFile, registryHeaders as signedAsRegistry } from '../supergraph/execution/index.ts';
import type { SdlHeaders } from '../supergraph/compose/index.ts';
import { composeSupergraph, formatProblem, loadSubgraphSdl, SdlUnavailableError } from '../supergraph/compose/index.ts';
import { ConfigError, readSubgraphList } from '../supergraph/config/index.ts';
import type { Label } from '../directives/index.ts';
import { buildLabelCatalog, labelReport, readLabelOverlay } from '../supergraph/labels/index.ts';
import { cliArgs, cliSettings, CONFIG_FLAG } from './args.ts';

/** Providers answer `_service` to the registry only: sign as it, with the platform's key, when there is one. */
async function registryHeaders(keyFile: string): Promise<SdlHeaders | undefined> {
  if (!existsSync(keyFile)) return undefined;
  return signedAsRegistry((await callerKeyFile(keyFile)).key);
}

function describeLabel(l: Label): string {
  return [l.sharing, l.grade + (l.level ? `/${l.level}` : ''), l.category, l.pii ? 'pii' : ''].filter(Boolean).join(' ');
}

async function main(): Promise<number> {
  const args = cliArgs({ list: { type: 'string' }, out: { type: 'string' }, labels: { type: 'string' }, live: { type: 'boolean' }, ...CONFIG_FLAG });
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
