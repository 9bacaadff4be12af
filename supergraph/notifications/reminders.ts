// Reminders and escalations from the working-day calendar: an application, objection or demand
// whose answer is due within N working days reminds the party that owes it; one past its deadline
// tells that party it is overdue and escalates to the operator. Each once: the notice key names the
// item, the party and the deadline, and the database keeps the first replica's.

import { addWorkingDays, OFFICIAL_CALENDAR, type GrantService, type WorkingCalendar } from '../grants/index.ts';
import type { DemandService } from '../demands/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import type { ObjectionService } from '../objections/index.ts';
import type { NoticeDraft } from './event-notices.ts';

/** Something a party owes an answer to, by a deadline. */
export interface Owed {
  kind: 'application' | 'objection' | 'demand';
  id: string;
  party: string;
  deadline: string;
  what: string;
}

export interface ReminderSources {
  grants?: Pick<GrantService, 'list'>;
  objections?: Pick<ObjectionService, 'list'>;
  demands?: Pick<DemandService, 'list'>;
  catalog: LabelCatalog;
}

export function owedAnswers({ grants, objections, demands, catalog }: ReminderSources): Owed[] {
  const owed: Owed[] = [];
  for (const a of grants?.list({ status: 'PENDING' }) ?? []) {
    for (const p of a.parties.filter((x) => x.decision === 'PENDING')) owed.push({ kind: 'application', id: a.id, party: p.party, deadline: a.replyDeadline, what: `application ${a.id.slice(0, 8)} from ${a.appId}` });
  }
  for (const o of objections?.list('OPEN') ?? []) {
    for (const party of catalog.fields.get(o.coordinate)?.owners ?? []) owed.push({ kind: 'objection', id: o.id, party, deadline: o.deadline, what: `objection to ${o.coordinate}` });
  }
  for (const d of demands?.list() ?? []) {
    if (d.stage === 'FILED') owed.push({ kind: 'demand', id: d.id, party: 'operator', deadline: d.routeDeadline, what: `routing demand "${d.title}"` });
    if (d.stage === 'ROUTED') {
      for (const p of d.departments.filter((x) => x.decision === 'PENDING')) owed.push({ kind: 'demand', id: d.id, party: p.party, deadline: d.answerDeadline!, what: `answering demand "${d.title}"` });
    }
  }
  return owed;
}

/** The notices due now for what is owed: a reminder within `workingDays` of the deadline, an overdue notice and an escalation past it. */
export function dueNotices(owed: Owed[], now: Date, workingDays: number, calendar: WorkingCalendar = OFFICIAL_CALENDAR): NoticeDraft[] {
  const horizon = addWorkingDays(now, workingDays, calendar).getTime();
  const out: NoticeDraft[] = [];
  for (const o of owed) {
    const deadline = Date.parse(o.deadline);
    const item = `${o.kind}:${o.id}:${o.deadline}`;
    if (deadline < now.getTime()) {
      out.push({ key: `overdue:${item}:${o.party}`, recipient: o.party, kind: `${o.kind}-overdue`, subject: o.id, title: `Overdue: ${o.what}`, body: `The answer was due ${o.deadline}.` });
      if (o.party !== 'operator') {
        out.push({ key: `escalation:${item}:${o.party}`, recipient: 'operator', kind: `${o.kind}-escalated`, subject: o.id, title: `Escalated: ${o.party} is late ${o.what}`, body: `${o.party} owed the answer by ${o.deadline}.` });
      }
    } else if (deadline <= horizon) {
      out.push({ key: `reminder:${item}:${o.party}`, recipient: o.party, kind: `${o.kind}-reminder`, subject: o.id, title: `Due soon: ${o.what}`, body: `The answer is due ${o.deadline}.` });
    }
  }
  return out;
}

export interface ReminderOptions extends ReminderSources {
  workingDays: number;
  calendar?: WorkingCalendar;
  everyMs: number;
  /** Notices published per tick at most: the rest wait for the next tick. */
  maxPerTick?: number;
  now?: () => Date;
  publish(draft: NoticeDraft): Promise<boolean>;
  onError?: (error: Error) => void;
}

/** A timer (unref'd) that publishes the due notices, bounded per tick; `tick` runs one now. */
export function startReminders(options: ReminderOptions): { tick(): Promise<number>; stop(): void } {
  const { everyMs, maxPerTick = 100, now = () => new Date() } = options;
  // Keys this process published or found published: not asked of the database again.
  const known = new Set<string>();
  let running: Promise<number> | undefined;
  async function tick(): Promise<number> {
    if (known.size > 100_000) known.clear();
    const due = dueNotices(owedAnswers(options), now(), options.workingDays, options.calendar).filter((d) => !known.has(d.key)).slice(0, maxPerTick);
    let published = 0;
    for (const draft of due) {
      if (await options.publish(draft)) published++;
      known.add(draft.key);
    }
    return published;
  }
  const run = () => (running ??= tick().finally(() => (running = undefined)));
  const timer = setInterval(() => void run().catch((error: Error) => options.onError?.(error)), everyMs);
  timer.unref();
  return { tick: run, stop: () => clearInterval(timer) };
}
