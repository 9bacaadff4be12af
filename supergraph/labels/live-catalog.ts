// A label catalogue whose content a schema swap replaces: the grant, objection and admin services
// hold this one object, and read the catalogue of the supergraph served now.

import type { LabelCatalog } from './label-catalog.ts';

export interface LiveCatalog extends LabelCatalog {
  replace(next: LabelCatalog): void;
}

export function liveCatalog(initial: LabelCatalog): LiveCatalog {
  let current = initial;
  return {
    get fields() { return current.fields; },
    get entityTypes() { return current.entityTypes; },
    get keyFields() { return current.keyFields; },
    get graphNames() { return current.graphNames; },
    replace(next) { current = next; },
  };
}
