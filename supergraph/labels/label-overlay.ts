// The operator's label overlay: labels by coordinate (`Person.id`), by type (`Person`) or by
// wildcard (`Person.*`). The operator's word beats the provider's proposal. A field shared although
// derived from NOT_SHARED fields stays closed until its entry acknowledges exactly those sources:
// `"derivationAcknowledged": {"from": ["Enterprise.riskClass"], "basis": "..."}`.

import { GRADES, SHARING_TYPES, type Label } from '../../directives/index.ts';
import { ConfigError, readJsonFile } from '../config/index.ts';

export interface LabelOverlay {
  /** `Type.field` → label */
  fields: Map<string, Label>;
  /** `Type` or `Type.*` → default label for the type's fields */
  types: Map<string, Label>;
  /** `Type.field` → the operator's acknowledgement that it may be shared though derived from NOT_SHARED fields */
  acknowledgements: Map<string, DerivationAcknowledgement>;
}

export interface DerivationAcknowledgement {
  /** The NOT_SHARED coordinates acknowledged; a source not named here closes the field again. */
  from: string[];
  basis: string;
}

export const EMPTY_OVERLAY: LabelOverlay = Object.freeze({ fields: new Map(), types: new Map(), acknowledgements: new Map() });

const SELECTOR = /^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*|\*))?$/;
const COORDINATE = /^[A-Za-z_]\w*\.[A-Za-z_]\w*$/;
const KEYS = new Set(['sharing', 'grade', 'level', 'category', 'pii', 'basis', 'note', 'derivationAcknowledged']);

function acknowledgement(raw: unknown, where: string): DerivationAcknowledgement {
  const { from, basis, ...rest } = (typeof raw === 'object' && raw !== null ? raw : {}) as { from?: unknown; basis?: unknown };
  const valid =
    Object.keys(rest).length === 0 &&
    Array.isArray(from) && from.length > 0 && from.every((c) => typeof c === 'string' && COORDINATE.test(c)) &&
    typeof basis === 'string' && basis.trim() !== '';
  if (!valid) throw new ConfigError(where, 'derivationAcknowledged is {"from": ["Type.field", ...], "basis": "why sharing the derived value is lawful"}');
  return { from: [...new Set(from as string[])].sort(), basis: basis.trim() };
}

export function parseLabelOverlay(json: unknown, source = 'label overlay'): LabelOverlay {
  const labels = (json as { labels?: unknown })?.labels;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new ConfigError(source, 'expected {"labels": {"Type.field" | "Type.*" | "Type": {"sharing": ..., "grade": ...}}}');
  }
  const overlay: LabelOverlay = { fields: new Map(), types: new Map(), acknowledgements: new Map() };
  for (const [selector, raw] of Object.entries(labels as Record<string, Record<string, unknown>>)) {
    const match = SELECTOR.exec(selector);
    if (!match) throw new ConfigError(`${source} "${selector}"`, 'a selector is Type.field, Type.* or Type');
    const unknown = Object.keys(raw ?? {}).filter((k) => !KEYS.has(k));
    if (unknown.length) throw new ConfigError(`${source} "${selector}"`, `unknown key(s) ${unknown.join(', ')}`);
    if (!SHARING_TYPES.includes(raw.sharing as never)) throw new ConfigError(`${source} "${selector}"`, `sharing must be one of ${SHARING_TYPES.join(', ')}`);
    if (!GRADES.includes(raw.grade as never)) throw new ConfigError(`${source} "${selector}"`, `grade must be one of ${GRADES.join(', ')}`);
    const label: Label = {
      sharing: raw.sharing as Label['sharing'],
      grade: raw.grade as Label['grade'],
      ...(raw.level !== undefined ? { level: Number(raw.level) } : {}),
      ...(typeof raw.category === 'string' ? { category: raw.category } : {}),
      ...(raw.pii !== undefined ? { pii: Boolean(raw.pii) } : {}),
      ...(typeof raw.basis === 'string' ? { basis: raw.basis } : {}),
    };
    const [, type, field] = match;
    if (field && field !== '*') overlay.fields.set(`${type}.${field}`, label);
    else overlay.types.set(type!, label);
    if (raw.derivationAcknowledged === undefined) continue;
    if (!field || field === '*') throw new ConfigError(`${source} "${selector}"`, 'derivationAcknowledged applies to one field (Type.field), never to a whole type');
    overlay.acknowledgements.set(`${type}.${field}`, acknowledgement(raw.derivationAcknowledged, `${source} "${selector}"`));
  }
  return overlay;
}

export function readLabelOverlay(file: string): LabelOverlay {
  return parseLabelOverlay(readJsonFile(file, 'label overlay'), file);
}
