// The rules of objections: only a field that exists can be objected to; only its owning
// provider answers; a rejection needs a reason; a confirmed correction invalidates cached copies.

import { GrantError, recordNamed } from '../grants/index.ts';
import { addWorkingDays, OFFICIAL_CALENDAR, type WorkingCalendar } from '../grants/index.ts';
import type { Party, Requester } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { entityKey } from '../response/index.ts';
import type { Objection, ObjectionStore } from './objection-store.ts';

export interface ObjectionInput {
  coordinate: string;
  /** The entity's key value, e.g. a credit code or an identity number. */
  key: string;
  observedValue: string;
  comment: string;
  evidence?: string | null;
}

export interface ObjectionServiceOptions {
  store: ObjectionStore;
  catalog: LabelCatalog;
  workingDays: number;
  /** The operator's exceptions to the official working calendar; none by default. */
  calendar?: WorkingCalendar;
  /** Objections one app may have waiting for answers at once. */
  maxOpenPerApp?: number;
  now?: () => Date;
  /** Told of each objection and answer once it is stored: the audit's decision trail (awaited: the call fails when it cannot be recorded). */
  onDecision?: (decision: { action: 'object' | 'answer-objection'; by: string; objection: Objection }) => unknown;
}

export type ObjectionService = ReturnType<typeof createObjectionService>;

export function createObjectionService({ store, catalog, workingDays, calendar = OFFICIAL_CALENDAR, maxOpenPerApp = 100, now = () => new Date(), onDecision }: ObjectionServiceOptions) {
  let open = new Map<string, Objection>();
  const correctionListeners: ((objection: Objection) => void)[] = [];
  const refresh = () => {
    open = new Map(store.list('OPEN').map((o) => [`${o.coordinate}|${o.entityKey}`, o]));
  };
  refresh();
  store.onChange?.(refresh);

  return {
    async file(requester: Requester, input: ObjectionInput): Promise<Objection> {
      const field = catalog.fields.get(input.coordinate);
      if (!field) throw new GrantError('APPLICATION_INVALID', `Unknown schema coordinate ${input.coordinate}.`);
      if (!catalog.keyFields.has(field.type)) throw new GrantError('APPLICATION_INVALID', `${field.type} has no key; object to a field of Person or Enterprise.`);
      if (!input.key?.trim() || !input.comment?.trim()) throw new GrantError('APPLICATION_INVALID', 'An objection names the entity key and says what is wrong.');
      const waiting = store.list('OPEN').filter((o) => o.appId === requester.appId).length;
      if (waiting >= maxOpenPerApp) {
        throw new GrantError('LIMIT_REACHED', `${requester.appId} has ${waiting} objections waiting for an answer; at most ${maxOpenPerApp} may wait at once.`);
      }
      const filed = now();
      const objection = await store.insert({
        coordinate: input.coordinate,
        entityKey: entityKey(field.type, [input.key.trim()]),
        observedValue: String(input.observedValue ?? ''),
        comment: input.comment.trim(),
        evidence: input.evidence ?? null,
        appId: requester.appId,
        filedAt: filed.toISOString(),
        deadline: addWorkingDays(filed, workingDays, calendar).toISOString(),
      });
      refresh();
      await onDecision?.({ action: 'object', by: requester.appId, objection });
      return objection;
    },

    /** `by` names the principal answering for the provider (`enterprise/zhou.fang`); the party itself by default. */
    async answer(id: string, party: Party, decision: 'CONFIRMED' | 'REJECTED', reason: string, correctedValue?: string | null, by: string = party): Promise<Objection> {
      const objection = store.get(id);
      if (!objection) throw new GrantError('APPLICATION_NOT_FOUND', `No objection ${id}.`);
      if (!catalog.fields.get(objection.coordinate)?.owners.includes(party)) {
        throw new GrantError('NOT_A_PARTY', `Only the provider of ${objection.coordinate} answers this objection.`);
      }
      if (objection.status !== 'OPEN') throw new GrantError('ALREADY_ANSWERED', `Objection ${id} is ${objection.status}.`);
      if (!reason?.trim()) throw new GrantError('REASON_REQUIRED', 'An answer to an objection states its reason.');
      if (!(await store.answer(id, decision, by, now().toISOString(), reason.trim(), decision === 'CONFIRMED' ? (correctedValue ?? null) : null))) {
        throw new GrantError('ALREADY_ANSWERED', `Objection ${id} was answered meanwhile.`);
      }
      refresh();
      const answered = store.get(id)!;
      if (decision === 'CONFIRMED') for (const listener of correctionListeners) listener(answered);
      await onDecision?.({ action: 'answer-objection', by, objection: answered });
      return answered;
    },

    /** Runs when a provider confirms a correction, e.g. to drop cached copies of the value. */
    whenCorrected(listener: (objection: Objection) => void): void {
      correctionListeners.push(listener);
    },

    /** The open objection on a value, if any: read on every answer that asks for lineage. */
    openFor: (coordinate: string, entityKey: string) => open.get(`${coordinate}|${entityKey}`),
    list: (status?: Objection['status']) => store.list(status),
    /** The objection `given` names (its id or a unique prefix of those `visible` says the caller may see). */
    named: (given: string, visible: (o: Objection) => boolean = () => true): Objection =>
      recordNamed(given, store.get(given), () => store.list().filter(visible), 'objection', 'APPLICATION_NOT_FOUND'),
    overdue: () => {
      const at = now().getTime();
      return store.list('OPEN').filter((o) => Date.parse(o.deadline) < at);
    },
  };
}
