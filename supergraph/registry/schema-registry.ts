// The schema registry: providers publish their subgraph (name, URL, SDL); every publication is
// checked before it is served (composition with the other subgraphs, the label report, breaking
// changes against real use), kept as a version, and served at once or once its deciders approve:
// the operator where the registry asks for that, and always the operator and the owners of every
// field whose ownership it changes (ownership-changes.ts). Until then nothing reaches the new resolver.
// Serving is the caller's `apply` (the gateway's swap): a version is ACTIVE only once it serves.

import { composeSupergraph, CompositionFailedError, formatProblem, type CompositionProblem, type SubgraphSdl } from '../compose/index.ts';
import { withSpecDefinitions } from '../../directives/index.ts';
import { buildLabelCatalog, labelReport, type LabelCatalog, type LabelOverlay } from '../labels/index.ts';
import { publisherLabelReport, type PublicationLabels } from './publisher-label-report.ts';
import { breakingChanges, type BreakingChange } from './breaking-changes.ts';
import type { UsageSource } from './field-use.ts';
import { deciders, ownershipChanges, withUsers, type ReportedOwnershipChange } from './ownership-changes.ts';
import type { PublicationDecision, RegistryStore, SubgraphVersion } from './registry-store.ts';
import { schemaDiff, supergraphCoordinates, type SchemaDiff } from './schema-diff.ts';
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
  | { reason: 'breaking'; message: string; breaking: BreakingChange[] }
  /** A rollback that would take fields from their owners: only a publication they approve does. */
  | { reason: 'ownership'; message: string; ownership: ReportedOwnershipChange[] }
  /** The party acting is not among those who decide on the version. */
  | { reason: 'not-a-party'; message: string; deciders: string[] };

export type Publication =
  | { ok: true; version: SubgraphVersion; diff: SchemaDiff; labels: PublicationLabels; ownership: ReportedOwnershipChange[]; awaiting: string[] }
  | { ok: false; refusal: Refusal };

/** A publication checked only: what it would change, report and wait for. */
export type PublicationCheck =
  | { ok: true; diff: SchemaDiff; labels: PublicationLabels; ownership: ReportedOwnershipChange[]; awaiting: string[] }
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

/** Who acts on a version: the party (operator, or a provider's subgraph name) and the principal. */
export interface Actor {
  party: string;
  who: string;
}

interface Checked {
  ok: true;
  supergraphSdl: string;
  subgraphs: SubgraphSdl[];
  catalog: LabelCatalog;
  diff: SchemaDiff;
  labels: PublicationLabels;
}

export type SchemaRegistry = ReturnType<typeof createSchemaRegistry>;

/** One registry's state: its options, and what this replica serves (rebuilt when another replica changes the ACTIVE versions). */
interface Registry {
  options: RegistryOptions;
  store: RegistryStore;
  now: () => Date;
  /** The subgraphs served now; read again from the store once unset. */
  served: SubgraphSdl[] | undefined;
  /** Which ACTIVE versions `served` was built from. */
  servedVersions: string;
  /** Who resolves what in `served`, composed once per change of it. */
  servedCatalog: { of: SubgraphSdl[]; catalog: LabelCatalog } | undefined;
  following: ReturnType<typeof serially>;
}

const activeVersions = (r: Registry) => r.store.active().map((v) => `${v.subgraph}@${v.version}`).join(',');
const since = (r: Registry) => new Date(r.now().getTime() - r.options.usageWindowDays * 86_400_000).toISOString();
const replaced = (list: SubgraphSdl[], next: SubgraphSdl) => [...list.filter((s) => s.name !== next.name), next];
const subgraphOf = (v: SubgraphVersion | PublishInput) => ('subgraph' in v ? { name: v.subgraph, url: v.url, sdl: withSpecDefinitions(v.sdl) } : { name: v.name, url: v.url, sdl: withSpecDefinitions(v.sdl) });

/** The subgraphs served now: the baseline, under the registry's ACTIVE versions. */
async function current(r: Registry): Promise<SubgraphSdl[]> {
  if (!r.served) {
    const byName = new Map((await r.options.baseline()).map((s) => [s.name, s]));
    r.servedVersions = activeVersions(r);
    for (const v of r.store.active()) byName.set(v.subgraph, { name: v.subgraph, url: v.url, sdl: withSpecDefinitions(v.sdl) });
    r.served = [...byName.values()];
  }
  return r.served;
}

async function servedFields(r: Registry): Promise<LabelCatalog> {
  const list = await current(r);
  if (r.servedCatalog?.of !== list) {
    const composed = composeSupergraph(list);
    if (!composed.ok) throw new CompositionFailedError(composed.problems.map(formatProblem).join('\n'));
    r.servedCatalog = { of: list, catalog: buildLabelCatalog(composed.supergraphSdl) };
  }
  return r.servedCatalog.catalog;
}

/** Composition and labels of the subgraphs with `next` in; breaking changes too unless `breaking` is false. */
async function check(r: Registry, next: SubgraphSdl, { breaking = true } = {}): Promise<Checked | { ok: false; refusal: Refusal }> {
  const list = await current(r);
  const subgraphs = replaced(list, next);
  const composed = composeSupergraph(subgraphs);
  if (!composed.ok) {
    return { ok: false, refusal: { reason: 'composition', message: `Composition failed:\n${composed.problems.map(formatProblem).join('\n')}`, problems: composed.problems } };
  }
  const catalog = buildLabelCatalog(composed.supergraphSdl, r.options.overlay());
  const report = labelReport(catalog);
  if (report.missingBasis.length > 0) {
    return { ok: false, refusal: { reason: 'labels', message: `NOT_SHARED without a legal basis: ${report.missingBasis.join(', ')}.`, missingBasis: report.missingBasis } };
  }
  const labels = publisherLabelReport(report, catalog, next.name);
  const before = list.find((s) => s.name === next.name)?.sdl;
  const diff = before ? schemaDiff(before, next.sdl) : schemaDiff('type Query', next.sdl);
  if (breaking) {
    const found = await breakingChanges(diff, supergraphCoordinates(composed.supergraphSdl), r.options.usage, since(r));
    if (found.length > 0) {
      const lines = found.map((b) => `${b.coordinate} (${b.change}): used by ${b.users.map((u) => `${u.appId} (last ${u.lastUsed})`).join(', ') || 'nobody recently'}; grants ${b.grants.join(', ') || 'none'}`);
      return { ok: false, refusal: { reason: 'breaking', message: `Breaking change to fields in use:\n${lines.join('\n')}`, breaking: found } };
    }
  }
  return { ok: true, supergraphSdl: composed.supergraphSdl, subgraphs, catalog, diff, labels };
}

/** The fields of other parties the checked subgraphs give `subgraph`, with the apps using them. */
const ownershipOf = async (r: Registry, checked: Checked, subgraph: string) => withUsers(ownershipChanges(await servedFields(r), checked.catalog, subgraph), r.options.usage, since(r));

/** The deciders who have not approved the version yet. */
function awaitingOn(r: Registry, version: SubgraphVersion, required: string[]): string[] {
  const approved = new Set(r.store.decisions(version.subgraph, version.version).filter((d) => d.decision === 'APPROVED').map((d) => d.party));
  return required.filter((party) => !approved.has(party));
}

const decision = (r: Registry, actor: Actor, verdict: PublicationDecision['decision'], reason: string | null = null): PublicationDecision =>
  ({ party: actor.party, decision: verdict, decidedBy: actor.who, decidedAt: r.now().toISOString(), reason });

const notAParty = (version: SubgraphVersion, party: string, required: string[]): Publication => ({
  ok: false,
  refusal: { reason: 'not-a-party', message: `${version.subgraph}@${version.version} is decided by ${required.join(' and ')}, not by ${party}.`, deciders: required },
});

/**
 * Serves a checked version, then records it ACTIVE. When the store cannot record it (PostgreSQL
 * lost at that instant), what was served before is served again and the store's error thrown: a
 * replica never runs ahead of the versions the others follow.
 */
async function activate(r: Registry, version: SubgraphVersion, checked: Checked, apply: Apply): Promise<SubgraphVersion> {
  const before = await current(r);
  await apply(checked.supergraphSdl);
  try {
    await r.store.activate(version.subgraph, version.version);
  } catch (error) {
    const previous = composeSupergraph(before);
    if (previous.ok) await apply(previous.supergraphSdl);
    throw new NotRecorded(error);
  }
  r.served = checked.subgraphs;
  r.servedVersions = activeVersions(r);
  r.servedCatalog = { of: r.served, catalog: checked.catalog };
  return r.store.get(version.subgraph, version.version)!;
}

/** Serves the version, answering a gateway that cannot build it as a composition refusal (`onFailure` first). */
async function serve(r: Registry, version: SubgraphVersion, checked: Checked, apply: Apply, onFailure?: () => Promise<void>): Promise<Publication> {
  try {
    return { ok: true, version: await activate(r, version, checked, apply), diff: checked.diff, labels: checked.labels, ownership: [], awaiting: [] };
  } catch (error) {
    if (error instanceof NotRecorded) throw error.cause;
    await onFailure?.();
    return { ok: false, refusal: { reason: 'composition', message: `The gateway cannot serve the composed supergraph: ${(error as Error).message}`, problems: [] } };
  }
}

/** A PENDING version as it stands against what is served now: its checks, its ownership changes, who decides and who has not yet. */
async function review(r: Registry, version: SubgraphVersion) {
  const checked = await check(r, subgraphOf(version));
  if (!checked.ok) return checked;
  const ownership = await ownershipOf(r, checked, version.subgraph);
  const required = deciders(ownership);
  return { ...checked, ownership, required, awaiting: awaitingOn(r, version, required) };
}

function pendingVersion(r: Registry, subgraph: string, versionNumber: number): SubgraphVersion | undefined {
  const version = r.store.get(subgraph, versionNumber);
  return version?.status === 'PENDING' ? version : undefined;
}

async function publish(r: Registry, input: PublishInput, publisher: Actor, apply: Apply): Promise<Publication> {
  const checked = await check(r, subgraphOf(input));
  if (!checked.ok) return checked;
  const ownership = await ownershipOf(r, checked, input.name);
  const byOperator = publisher.party === 'operator';
  const version = await r.store.add({ subgraph: input.name, url: input.url, sdl: input.sdl, publishedBy: publisher.who, publishedAt: r.now().toISOString(), status: 'PENDING' });
  const waiting = (awaiting: string[]): Publication => ({ ok: true, version, diff: checked.diff, labels: checked.labels, ownership, awaiting });
  if (ownership.length > 0) {
    // The operator publishing has decided for the operator; the owners still decide for themselves.
    if (byOperator) await r.store.decide(version.subgraph, version.version, decision(r, publisher, 'APPROVED'));
    return waiting(awaitingOn(r, version, deciders(ownership)));
  }
  if (r.options.requireOperatorApproval && !byOperator) return waiting(['operator']);
  return serve(r, version, checked, apply, () => r.store.setStatus(version.subgraph, version.version, 'REJECTED'));
}

/** What publishing would do, without doing it: the same checks, and whom the version would wait for; nothing stored or served. */
async function checkOnly(r: Registry, input: PublishInput, publisher: Actor): Promise<PublicationCheck> {
  const checked = await check(r, subgraphOf(input));
  if (!checked.ok) return checked;
  const ownership = await ownershipOf(r, checked, input.name);
  const byOperator = publisher.party === 'operator';
  // The operator publishing decides for the operator, as publish() records.
  const awaiting = ownership.length > 0
    ? deciders(ownership).filter((party) => !(byOperator && party === 'operator'))
    : r.options.requireOperatorApproval && !byOperator ? ['operator'] : [];
  return { ok: true, diff: checked.diff, labels: checked.labels, ownership, awaiting };
}

/** A PENDING version with its ownership changes and who it waits for, checked against what is served now. */
async function pending(r: Registry, subgraph: string, versionNumber: number): Promise<Publication | undefined> {
  const version = pendingVersion(r, subgraph, versionNumber);
  if (!version) return undefined;
  const reviewed = await review(r, version);
  if (!reviewed.ok) return reviewed;
  return { ok: true, version, diff: reviewed.diff, labels: reviewed.labels, ownership: reviewed.ownership, awaiting: reviewed.awaiting };
}

/**
 * A decider (the operator, or an owner of a field the version takes) approves a PENDING version;
 * once every decider has, it is served (checked again against what is served now).
 */
async function approve(r: Registry, subgraph: string, versionNumber: number, actor: Actor, apply: Apply): Promise<Publication | undefined> {
  const version = pendingVersion(r, subgraph, versionNumber);
  if (!version) return undefined;
  const reviewed = await review(r, version);
  if (!reviewed.ok) return reviewed;
  if (!reviewed.required.includes(actor.party)) return notAParty(version, actor.party, reviewed.required);
  if (!(await r.store.decide(subgraph, versionNumber, decision(r, actor, 'APPROVED')))) return undefined;
  const awaiting = awaitingOn(r, version, reviewed.required);
  if (awaiting.length > 0) return { ok: true, version, diff: reviewed.diff, labels: reviewed.labels, ownership: reviewed.ownership, awaiting };
  const served = await serve(r, version, reviewed, apply);
  return served.ok ? { ...served, ownership: reviewed.ownership } : served;
}

/** A decider refuses a PENDING version: it is REJECTED and what is served stays as it is. */
async function refuse(r: Registry, subgraph: string, versionNumber: number, actor: Actor, reason: string): Promise<{ ok: true; version: SubgraphVersion } | { ok: false; refusal: Refusal } | undefined> {
  const version = pendingVersion(r, subgraph, versionNumber);
  if (!version) return undefined;
  if (actor.party !== 'operator') {
    const reviewed = await review(r, version);
    const required = reviewed.ok ? reviewed.required : ['operator'];
    if (!required.includes(actor.party)) return notAParty(version, actor.party, required);
  }
  if (!(await r.store.decide(subgraph, versionNumber, decision(r, actor, 'REFUSED', reason)))) return undefined;
  return { ok: true, version: r.store.get(subgraph, versionNumber)! };
}

/**
 * The operator serves an earlier version again; composition and labels are checked, and a
 * version that would take fields from their owners now is refused (publish it again for them to decide).
 */
async function rollback(r: Registry, subgraph: string, versionNumber: number, apply: Apply): Promise<Publication | undefined> {
  const version = r.store.get(subgraph, versionNumber);
  if (!version || version.status === 'PENDING' || version.status === 'REJECTED') return undefined;
  const checked = await check(r, subgraphOf(version), { breaking: false });
  if (!checked.ok) return checked;
  const ownership = await ownershipOf(r, checked, subgraph);
  if (ownership.length > 0) {
    const taken = ownership.map((c) => `${c.coordinate} (${c.owners.join(', ')})`).join(', ');
    return { ok: false, refusal: { reason: 'ownership', message: `${subgraph}@${versionNumber} would take ${taken} from their owners: publish it again for them and the operator to decide.`, ownership } };
  }
  return serve(r, version, checked, apply);
}

/**
 * Serves the ACTIVE versions another replica chose (a publication, an approval, a rollback):
 * recomposed and applied when they differ from what this replica serves. A composition that
 * fails, or a supergraph the gateway cannot build, leaves what is served as it is.
 */
function follow(r: Registry, apply: Apply): Promise<void> {
  return r.following(async () => {
    if (activeVersions(r) === r.servedVersions) return;
    const [before, beforeVersions] = [r.served, r.servedVersions];
    r.served = undefined;
    const composed = composeSupergraph(await current(r));
    try {
      if (!composed.ok) throw new CompositionFailedError(composed.problems.map(formatProblem).join('\n'));
      await apply(composed.supergraphSdl);
    } catch (error) {
      [r.served, r.servedVersions] = [before, beforeVersions];
      throw error;
    }
  });
}

export function createSchemaRegistry(options: RegistryOptions) {
  const r: Registry = { options, store: options.store, now: options.now ?? (() => new Date()), served: undefined, servedVersions: '', servedCatalog: undefined, following: serially() };
  return {
    current: () => current(r),
    publish: (input: PublishInput, publisher: Actor, apply: Apply) => publish(r, input, publisher, apply),
    check: (input: PublishInput, publisher: Actor) => checkOnly(r, input, publisher),
    pending: (subgraph: string, versionNumber: number) => pending(r, subgraph, versionNumber),
    approve: (subgraph: string, versionNumber: number, actor: Actor, apply: Apply) => approve(r, subgraph, versionNumber, actor, apply),
    refuse: (subgraph: string, versionNumber: number, actor: Actor, reason: string) => refuse(r, subgraph, versionNumber, actor, reason),
    rollback: (subgraph: string, versionNumber: number, apply: Apply) => rollback(r, subgraph, versionNumber, apply),
    follow: (apply: Apply) => follow(r, apply),
    versions: (subgraph?: string) => options.store.list(subgraph),
    decisions: (subgraph: string, version: number) => options.store.decisions(subgraph, version),
    diff(subgraph: string, from: number, to: number): SchemaDiff | undefined {
      const [a, b] = [options.store.get(subgraph, from), options.store.get(subgraph, to)];
      return a && b ? schemaDiff(a.sdl, b.sdl) : undefined;
    },
  };
}
