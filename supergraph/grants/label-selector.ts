// Label selectors, e.g. `category=population.* AND grade<=IMPORTANT`: clauses joined by AND over
// category (with * wildcards), grade (=, <, <=), sharing, pii and type.

import { gradeRank, GRADES, type Grade } from '../../directives/index.ts';
import type { CatalogField } from '../labels/index.ts';

type Clause = (f: CatalogField) => boolean;

export class SelectorError extends Error {}

const CLAUSE = /^\s*(category|grade|sharing|pii|type)\s*(<=|<|=)\s*([\w.*-]+)\s*$/;

export function parseSelector(selector: string): Clause {
  const clauses = selector.split(/\s+AND\s+/i).map((text): Clause => {
    const match = CLAUSE.exec(text);
    if (!match) throw new SelectorError(`"${text.trim()}" is not a clause; use category=…, grade<=…, sharing=…, pii=… or type=…, joined by AND`);
    const [, key, op, value] = match as unknown as [string, string, string, string];
    if (key === 'grade') {
      if (!GRADES.includes(value as Grade)) throw new SelectorError(`grade must be one of ${GRADES.join(', ')}`);
      const rank = gradeRank(value as Grade);
      return (f) => (op === '=' ? gradeRank(f.label.grade) === rank : op === '<' ? gradeRank(f.label.grade) < rank : gradeRank(f.label.grade) <= rank);
    }
    if (op !== '=') throw new SelectorError(`${key} only supports =`);
    if (key === 'category') {
      const pattern = new RegExp(`^${value.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
      return (f) => pattern.test(f.label.category ?? '');
    }
    if (key === 'sharing') return (f) => f.label.sharing === value;
    if (key === 'pii') return (f) => Boolean(f.label.pii) === (value === 'true');
    return (f) => f.type === value;
  });
  return (f) => clauses.every((c) => c(f));
}

export function selectCoordinates(selector: string, fields: Iterable<CatalogField>): string[] {
  const matches = parseSelector(selector);
  return [...fields].filter(matches).map((f) => f.coordinate);
}
