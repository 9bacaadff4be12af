// The schema registry: providers publish their subgraph (name, URL, SDL); every publication is
// checked before it is served (composition with the other subgraphs, the label report, breaking
// changes against real use), kept as a version, and served at once or after the operator approves.
// Serving is the caller's `apply` (the gateway's swap): a version is ACTIVE only once it serves.

import { composeSupergraph, CompositionFailedError, formatProblem, type CompositionProblem, type SubgraphSdl } from '../compose/index.ts';
import { withSpecDefinitions } from '../../directives/index.ts';
import { buildLabelCatalog, labelReport, type LabelOverlay, type LabelReport } from '../labels/index.ts';
import { breakingChanges, type BreakingChange, type UsageSource } from './breaking-changes.ts';
import type { RegistryStore, SubgraphVersion } from './registry-store.ts';
import { schemaDiff, type SchemaDiff } from './schema-diff.ts';
import { serially } from '../stores/index.ts';

export interface RegistryOptions {
  store: RegistryStore;
  /** The subgraphs served at start, before any publication. */
  baseline: () => Promise<SubgraphSdl[]>;
  overlay: () => LabelOverlay;
  usage: UsageSource;
  /** How far back the audit trail counts as use of a field. */
  usageWindowDays: number;
  requireOperatorApproval: boolean;
  now?: () => Date;
}

export type Refusal =
  | { reason: 'composition'; message: string; problems: CompositionProblem[] }
  | { reason: 'labels'; message: string; missingBasis: string[] }
  | { reason: 'breaking'; message: string; breaking: BreakingChange[] };

export type Publication =
  | { ok: true; version: SubgraphVersion; diff: SchemaDiff; labels: LabelReport }
  | { ok: false; refusal: Refusal };

export type Apply = (supergraphSdl: string) => Promise<void>;

/** The store did not record a version served for a moment: served no more, its cause (the store's own error) to pass on. */
class NotRecorded extends Error {
  constructor(override readonly cause: unknown) {
    super('the version was not recorded', { cause });
  }
}

export interface PublishInput {
  name: string;
  url: string;
  sdl: string;
}

export type SchemaRegistry = ReturnType<typeof createSchemaRegistry>;

export function createSchemaRegistry(options: RegistryOptions) {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  let served: SubgraphSdl[] | undefined;
  /** Which ACTIVE versions `served` was built from. */
  let servedVersions = '';
  const activeVersions = () => store.active().map((v) => `${v.subgraph}@${v.version}`).join(',');
  const following = serially();

  /** The subgraphs served now: the baseline, under the registry's ACTIVE versions. */
  async function current(): Promise<SubgraphSdl[]> {
    if (!served) {
      const byName = new Map((await options.baseline()).map((s) => [s.name, s]));
      servedVersions = activeVersions();
      for (const v of store.active()) byName.set(v.subgraph, { name: v.subgraph, url: v.url, sdl: withSpecDefinitions(v.sdl) });
      served = [...byName.values()];
    }
    return served;
  }
  const replaced = (list: SubgraphSdl[], next: SubgraphSdl) => [...list.filter((s) => s.name !== next.name), next];

  /** Composition and labels of the subgraphs with `next` in; breaking changes too unless `breaking` is false. */
  async function check(next: SubgraphSdl, { breaking = true } = {}): Promise<{ ok: true; supergraphSdl: string; subgraphs: SubgraphSdl[]; diff: SchemaDiff; labels: LabelReport } | { ok: false; refusal: Refusal }> {
    const list = await current();
    const subgraphs = replaced(list, next);
    const composed = composeSupergraph(subgraphs);
    if (!composed.ok) {
      return { ok: false, refusal: { reason: 'composition', message: `Composition failed:\n${composed.problems.map(formatProblem).join('\n')}`, problems: composed.problems } };
    }
    const labels = labelReport(buildLabelCatalog(composed.supergraphSdl, options.overlay()));
    if (labels.missingBasis.length > 0) {
      return { ok: false, refusal: { reason: 'labels', message: `NOT_SHARED without a legal basis: ${labels.missingBasis.join(', ')}.`, missingBasis: labels.missingBasis } };
    }
    const before = list.find((s) => s.name === next.name)?.sdl;
    const diff = before ? schemaDiff(before, next.sdl) : schemaDiff('type Query', next.sdl);
    if (breaking) {
      const since = new Date(now().getTime() - options.usageWindowDays * 86_400_000).toISOString();
      const found = await breakingChanges(diff, options.usage, since);
      if (found.length > 0) {
        const lines = found.map((b) => `${b.coordinate} (${b.change}): used by ${b.users.map((u) => `${u.appId} (last ${u.lastUsed})`).join(', ') || 'nobody recently'}; grants ${b.grants.join(', ') || 'none'}`);
        return { ok: false, refusal: { reason: 'breaking', message: `Breaking change to fields in use:\n${lines.join('\n')}`, breaking: found } };
      }
    }
    return { ok: true, supergraphSdl: composed.supergraphSdl, subgraphs, diff, labels };
  }

  /**
   * Serves a checked version, then records it ACTIVE. When the store cannot record it (PostgreSQL
   * lost at that instant), what was served before is served again and the store's error thrown: a
   * replica never runs ahead of the versions the others follow.
   */
  async function activate(version: SubgraphVersion, checked: { supergraphSdl: string; subgraphs: SubgraphSdl[] }, apply: Apply) {
    const before = await current();
    await apply(checked.supergraphSdl);
    try {
      await store.activate(version.subgraph, version.version);
    } catch (error) {
      const previous = composeSupergraph(before);
      if (previous.ok) await apply(previous.supergraphSdl);
      throw new NotRecorded(error);
    }
    served = checked.subgraphs;
    servedVersions = activeVersions();
    return store.get(version.subgraph, version.version)!;
  }

  return {
    current,
    async publish(input: PublishInput, publishedBy: string, byOperator: boolean, apply: Apply): Promise<Publication> {
      const next = { name: input.name, url: input.url, sdl: withSpecDefinitions(input.sdl) };
      const checked = await check(next);
      if (!checked.ok) return checked;
      const pending = options.requireOperatorApproval && !byOperator;
      const version = await store.add({ subgraph: input.name, url: input.url, sdl: input.sdl, publishedBy, publishedAt: now().toISOString(), status: 'PENDING' });
      if (pending) return { ok: true, version, diff: checked.diff, labels: checked.labels };
      try {
        return { ok: true, version: await activate(version, checked, apply), diff: checked.diff, labels: checked.labels };
      } catch (error) {
        if (error instanceof NotRecorded) throw error.cause;
        await store.setStatus(version.subgraph, version.version, 'REJECTED');
        return { ok: false, refusal: { reason: 'composition', message: `The gateway cannot serve the composed supergraph: ${(error as Error).message}`, problems: [] } };
      }
    },
    /** The operator approves a PENDING version: checked again against what is served now. */
    async approve(subgraph: string, versionNumber: number, apply: Apply): Promise<Publication | undefined> {
      const version = store.get(subgraph, versionNumber);
      if (!version || version.status !== 'PENDING') return undefined;
      return this.serveVersion(version, apply, true);
    },
    /** The operator serves an earlier version again; only composition and labels are checked. */
    async rollback(subgraph: string, versionNumber: number, apply: Apply): Promise<Publication | undefined> {
      const version = store.get(subgraph, versionNumber);
      if (!version || version.status === 'PENDING' || version.status === 'REJECTED') return undefined;
      return this.serveVersion(version, apply, false);
    },
    async serveVersion(version: SubgraphVersion, apply: Apply, breaking: boolean): Promise<Publication> {
      const checked = await check({ name: version.subgraph, url: version.url, sdl: withSpecDefinitions(version.sdl) }, { breaking });
      if (!checked.ok) return checked;
      try {
        return { ok: true, version: await activate(version, checked, apply), diff: checked.diff, labels: checked.labels };
      } catch (error) {
        if (error instanceof NotRecorded) throw error.cause;
        return { ok: false, refusal: { reason: 'composition', message: `The gateway cannot serve the composed supergraph: ${(error as Error).message}`, problems: [] } };
      }
    },
    /**
     * Serves the ACTIVE versions another replica chose (a publication, an approval, a rollback):
     * recomposed and applied when they differ from what this replica serves. A composition that
     * fails, or a supergraph the gateway cannot build, leaves what is served as it is.
     */
    follow: (apply: Apply) =>
      following(async () => {
        if (activeVersions() === servedVersions) return;
        const [before, beforeVersions] = [served, servedVersions];
        served = undefined;
        const composed = composeSupergraph(await current());
        try {
          if (!composed.ok) throw new CompositionFailedError(composed.problems.map(formatProblem).join('\n'));
          await apply(composed.supergraphSdl);
        } catch (error) {
          [served, servedVersions] = [before, beforeVersions];
          throw error;
        }
      }),
    versions: (subgraph?: string) => store.list(subgraph),
    diff(subgraph: string, from: number, to: number): SchemaDiff | undefined {
      const [a, b] = [store.get(subgraph, from), store.get(subgraph, to)];
      return a && b ? schemaDiff(a.sdl, b.sdl) : undefined;
    },
    close: () => store.close(),
  };
}
