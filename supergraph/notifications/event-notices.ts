// What each decision tells whom: a new application, objection or demand tells the parties that owe
// the answer; an answer tells the app that asked (and, for a demand, the operator who routed it).
// Keys name the event, so the same event noticed twice (two replicas) is one notice.

import type { Application } from '../grants/index.ts';
import type { DemandEvent } from '../demands/index.ts';
import type { Objection } from '../objections/index.ts';
import type { Notice } from './notification-store.ts';

/** A notice before it is stored: the store stamps its time. */
export type NoticeDraft = Omit<Notice, 'createdAt'>;

export const appRecipient = (appId: string) => `app:${appId}`;

export function grantNotices(event: { action: 'apply' | 'approve' | 'refuse' | 'revoke'; by: string; party?: string; application: Application }): NoticeDraft[] {
  const a = event.application;
  if (event.action === 'apply') {
    return a.parties.map(({ party }) => ({
      key: `application-filed:${a.id}:${party}`, recipient: party, kind: 'application-filed', subject: a.id,
      title: `New application ${a.id.slice(0, 8)} from ${a.appId}`, body: `${a.appId} applies for ${a.coordinates.join(', ')} for ${a.purpose}. Answer by ${a.replyDeadline}.`,
    }));
  }
  const verb = { approve: 'approved', refuse: 'refused', revoke: 'revoked' }[event.action];
  return [{
    key: `application-${event.action}:${a.id}:${event.party ?? event.by}`, recipient: appRecipient(a.appId), kind: `application-${verb}`, subject: a.id,
    title: `Application ${a.id.slice(0, 8)} ${verb} by ${event.party ?? event.by}`, body: `${event.by} ${verb} the application for ${a.coordinates.join(', ')}.`,
  }];
}

export function objectionNotices(event: { action: 'object' | 'answer-objection'; objection: Objection }, owners: (coordinate: string) => string[]): NoticeDraft[] {
  const o = event.objection;
  if (event.action === 'object') {
    return owners(o.coordinate).map((party) => ({
      key: `objection-filed:${o.id}:${party}`, recipient: party, kind: 'objection-filed', subject: o.id,
      title: `New objection to ${o.coordinate}`, body: `${o.appId} objects to ${o.coordinate} of ${o.entityKey}. Answer by ${o.deadline}.`,
    }));
  }
  return [{
    key: `objection-answered:${o.id}`, recipient: appRecipient(o.appId), kind: 'objection-answered', subject: o.id,
    title: `Objection to ${o.coordinate} ${o.status.toLowerCase()}`, body: `${o.answeredBy} answered ${o.status}: ${o.reason ?? ''}`,
  }];
}

export function demandNotices({ action, by, party, demand: d }: DemandEvent): NoticeDraft[] {
  const base = { subject: d.id };
  const app = appRecipient(d.appId);
  switch (action) {
    case 'file-demand':
      return [{ ...base, key: `demand-filed:${d.id}`, recipient: 'operator', kind: 'demand-filed', title: `New data demand: ${d.title}`, body: `${d.appId} needs ${d.title} by ${d.neededBy}. Route or decline it by ${d.routeDeadline}.` }];
    case 'route-demand':
      return [
        ...d.departments.map((p) => ({ ...base, key: `demand-routed:${d.id}:${p.party}`, recipient: p.party, kind: 'demand-routed', title: `Data demand routed to you: ${d.title}`, body: `${d.appId} needs ${d.title} by ${d.neededBy}. Commit to a date or refuse by ${d.answerDeadline}.` })),
        { ...base, key: `demand-routed:${d.id}:app`, recipient: app, kind: 'demand-routed', title: `Your demand was routed: ${d.title}`, body: `Routed to ${d.departments.map((p) => p.party).join(', ')}.` },
      ];
    case 'decline-demand':
      return [{ ...base, key: `demand-declined:${d.id}`, recipient: app, kind: 'demand-declined', title: `Your demand was declined: ${d.title}`, body: d.declineReason ?? '' }];
    case 'fulfil-demand':
      return [{ ...base, key: `demand-fulfilled:${d.id}`, recipient: app, kind: 'demand-fulfilled', title: `Your demand is met: ${d.title}`, body: `${d.subgraph}@${d.subgraphVersion} provides it${d.applicationId ? `; application ${d.applicationId} was filed for you` : ''}.` }];
    default: {
      const answer = d.departments.find((p) => p.party === party)!;
      const said = answer.decision === 'COMMITTED' ? `committed to ${answer.commitDate}` : `refused: ${answer.reason}`;
      return ['operator', app].map((recipient) => ({ ...base, key: `demand-answered:${d.id}:${party}:${recipient}`, recipient, kind: `demand-${answer.decision.toLowerCase()}`, title: `${party} ${said.split(':')[0]} (${d.title})`, body: `${by} ${said}.` }));
    }
  }
}
