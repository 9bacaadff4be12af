// The operator's label overlay: labels by coordinate (`Person.id`), by type (`Person`) or by
// wildcard (`Person.*`). The operator's word beats the provider's proposal. A field shared although
// derived from NOT_SHARED fields stays closed until its entry acknowledges exactly those sources:
// `"derivationAcknowledged": {"from": ["Enterprise.riskClass"], "basis": "..."}`.

import { z } from 'zod';
import { GRADES, SHARING_TYPES, type Label } from '../../directives/index.ts';
import { parseFileInput, readJsonFile, WHOLE } from '../config/index.ts';

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

/** Whether two overlays say the same (entry for entry, in order: the same file parsed twice). */
export function sameOverlay(a: LabelOverlay | undefined, b: LabelOverlay | undefined): boolean {
  const text = (o: LabelOverlay | undefined) => o && JSON.stringify([[...o.fields], [...o.types], [...o.acknowledgements]]);
  return a === b || text(a) === text(b);
}

const SELECTOR = /^([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*|\*))?$/;
const COORDINATE = /^[A-Za-z_]\w*\.[A-Za-z_]\w*$/;

const ACKNOWLEDGEMENT = 'expected {"from": ["Type.field", ...], "basis": "why sharing the derived value is lawful"}';

const acknowledgementSchema = z.strictObject(
  {
    from: z.array(z.string({ error: 'expected a coordinate Type.field' }).regex(COORDINATE, { error: 'expected a coordinate Type.field' }), { error: 'expected a list of coordinates Type.field' }).min(1, { error: 'expected a list of at least one coordinate Type.field' }),
    basis: z.string({ error: 'expected why sharing the derived value is lawful' }).refine((b) => b.trim() !== '', { error: 'expected why sharing the derived value is lawful, not an empty text' }),
  },
  { error: ACKNOWLEDGEMENT },
);

/** A text that, when it is not one, is ignored as it always was. */
const optionalText = z.string().optional().catch(undefined);

const labelSchema = z.strictObject(
  {
    sharing: z.enum(SHARING_TYPES, { error: `expected one of ${SHARING_TYPES.join(', ')}` }),
    grade: z.enum(GRADES, { error: `expected one of ${GRADES.join(', ')}` }),
    level: z.coerce.number({ error: 'expected a number' }).optional(),
    category: optionalText,
    pii: z.coerce.boolean().optional(),
    basis: optionalText,
    note: z.unknown().optional(),
    derivationAcknowledged: acknowledgementSchema.optional(),
  },
  { error: 'expected a label {"sharing": ..., "grade": ...}' },
);

/** The label overlay file (supergraph/labels.json): labels by Type.field, Type.* or Type. */
export const labelOverlaySchema = z
  .object(
    {
      labels: z.record(z.string().regex(SELECTOR, { error: 'expected a selector Type.field, Type.* or Type' }), labelSchema, {
        error: 'expected {"Type.field" | "Type.*" | "Type": {"sharing": ..., "grade": ...}}',
      }),
    },
    { error: 'expected {"labels": {"Type.field" | "Type.*" | "Type": {"sharing": ..., "grade": ...}}}' },
  )
  .meta({ title: 'JointGraph label overlay', description: "the operator's labels by Type.field, Type.* or Type; they beat the providers' @label proposals" })
  .superRefine(({ labels }, ctx) => {
    for (const [selector, label] of Object.entries(labels)) {
      if (label.derivationAcknowledged !== undefined && !COORDINATE.test(selector)) {
        ctx.addIssue({ code: 'custom', params: WHOLE, path: ['labels', selector, 'derivationAcknowledged'], message: `expected only on one field (Type.field), never on a whole type, got it on "${selector}"` });
      }
    }
  });

export function parseLabelOverlay(json: unknown, source = 'label overlay'): LabelOverlay {
  const { labels } = parseFileInput(labelOverlaySchema, json, source);
  const overlay: LabelOverlay = { fields: new Map(), types: new Map(), acknowledgements: new Map() };
  for (const [selector, raw] of Object.entries(labels)) {
    const label: Label = {
      sharing: raw.sharing,
      grade: raw.grade,
      ...(raw.level !== undefined ? { level: raw.level } : {}),
      ...(raw.category !== undefined ? { category: raw.category } : {}),
      ...(raw.pii !== undefined ? { pii: raw.pii } : {}),
      ...(raw.basis !== undefined ? { basis: raw.basis } : {}),
    };
    const [, type, field] = SELECTOR.exec(selector)!;
    if (field && field !== '*') overlay.fields.set(`${type}.${field}`, label);
    else overlay.types.set(type!, label);
    const ack = raw.derivationAcknowledged;
    if (ack) overlay.acknowledgements.set(`${type}.${field}`, { from: [...new Set(ack.from)].sort(), basis: ack.basis.trim() });
  }
  return overlay;
}

export function readLabelOverlay(file: string): LabelOverlay {
  return parseLabelOverlay(readJsonFile(file, 'label overlay'), file);
}
