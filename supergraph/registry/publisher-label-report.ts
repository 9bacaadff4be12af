// A publication's label findings, split by whose they are: those on the publisher's own fields
// are the version's to fix; the rest of the supergraph's (another department's overlay conflict,
// its unlabeled fields) come apart, as context, never as the publisher's problems.

import type { LabelCatalog, LabelReport } from '../labels/index.ts';

export interface PublicationLabels {
  /** On fields the publishing subgraph resolves (alone or with others). */
  own: LabelReport;
  /** On every other party's fields. */
  others: LabelReport;
}

export function publisherLabelReport(report: LabelReport, catalog: LabelCatalog, subgraph: string): PublicationLabels {
  const mine = (coordinate: string) => catalog.fields.get(coordinate)?.owners.includes(subgraph) ?? false;
  const part = (own: boolean): LabelReport => ({
    unlabeled: report.unlabeled.filter((c) => mine(c) === own),
    conflicts: report.conflicts.filter((c) => mine(c.coordinate) === own),
    missingBasis: report.missingBasis.filter((c) => mine(c) === own),
    derivedFromNotShared: report.derivedFromNotShared.filter((d) => mine(d.coordinate) === own),
    acknowledgedDerivations: report.acknowledgedDerivations.filter((d) => mine(d.coordinate) === own),
  });
  return { own: part(true), others: part(false) };
}
