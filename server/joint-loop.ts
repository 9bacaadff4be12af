// The joint-operation loop between people, opened with the authorization services: data demands,
// and notifications of what each party owes (new applications, objections and demands, answers,
// reminders before a deadline, escalations past it) to its inbox, webhooks and email. The delivery
// worker and the reminder timer run in every replica; the database decides which replica's notice
// and which replica's delivery each is, so each leaves once.

import { grantDecision, objectionDecision, type DecisionTrail } from '../supergraph/audit/index.ts';
import type { NotificationSettings } from '../supergraph/config/settings.ts';
import { createDemandService, demandDecision, type DemandService } from '../supergraph/demands/index.ts';
import type { GrantService, WorkingCalendar } from '../supergraph/grants/index.ts';
import type { LabelCatalog } from '../supergraph/labels/index.ts';
import {
  createNotificationService, demandNotices, grantNotices, objectionNotices, startDeliveries, startReminders, type NoticeDraft, type NotificationService,
} from '../supergraph/notifications/index.ts';
import type { ObjectionService } from '../supergraph/objections/index.ts';
import type { ControlPlane } from './control-plane.ts';

type GrantEvent = Parameters<typeof grantDecision>[0];
type ObjectionEvent = Parameters<typeof objectionDecision>[0];

export const DEFAULT_NOTIFICATIONS: NotificationSettings = Object.freeze({ reminderWorkingDays: 1, checkSeconds: 300, deliveryAttempts: 8, retrySeconds: 30 });

export interface JointLoop {
  notifications: NotificationService;
  /**
   * Record a decision on the trail (the call fails when it cannot be), then tell whom it
   * concerns (a notice that cannot be stored is logged, never fails the decision).
   */
  grantDecided(event: GrantEvent): Promise<void>;
  objectionDecided(event: ObjectionEvent): Promise<void>;
  /** The demand service, once the grant and objection services it files applications with exist; with the notifications, for the admin endpoint. */
  openDemands(grants: GrantService, objections: ObjectionService): { demands: DemandService; notifications: NotificationService };
  /** Runs the reminder check now (tests, and an operator's CLI); resolves with the notices it published. */
  remind(): Promise<number>;
  /** Tries the due deliveries now. */
  deliver(): Promise<void>;
  stop(): void;
}

export interface JointLoopOptions {
  stores: Pick<ControlPlane, 'notifications' | 'demands' | 'registry'>;
  catalog: LabelCatalog;
  decisions: Pick<DecisionTrail, 'append'>;
  settings?: NotificationSettings;
  /** Working days the operator routes a demand in, and each department answers in. */
  demandWorkingDays: number;
  calendar?: WorkingCalendar;
  now?: () => Date;
}

/** The loop as the authorization settings configure it. */
export function jointLoop(
  settings: { replyWorkingDays: number; notifications?: NotificationSettings; workingCalendar?: WorkingCalendar; now?: () => Date },
  stores: JointLoopOptions['stores'], catalog: LabelCatalog, decisions: JointLoopOptions['decisions'],
): JointLoop {
  return openJointLoop({
    stores, catalog, decisions, demandWorkingDays: settings.replyWorkingDays,
    ...(settings.notifications ? { settings: settings.notifications } : {}), ...(settings.workingCalendar ? { calendar: settings.workingCalendar } : {}), ...(settings.now ? { now: settings.now } : {}),
  });
}

export function openJointLoop({ stores, catalog, decisions, settings = DEFAULT_NOTIFICATIONS, demandWorkingDays, calendar, now }: JointLoopOptions): JointLoop {
  const logged = (what: string) => (error: Error) => console.error(`${what}:`, error.message);
  const deliveries = startDeliveries({
    store: stores.notifications,
    ...(settings.smtp ? { smtp: settings.smtp } : {}),
    maxAttempts: settings.deliveryAttempts,
    backoffMs: settings.retrySeconds * 1_000,
    pollMs: Math.min(5_000, settings.retrySeconds * 1_000),
    ...(now ? { now } : {}),
    onError: logged('notice delivery failed, tried again on the next round'),
  });
  const notifications = createNotificationService({ store: stores.notifications, ...(now ? { now } : {}), onPublished: deliveries.wake });
  const publishAll = async (drafts: NoticeDraft[]) => {
    for (const draft of drafts) await notifications.publish(draft).catch(logged(`notice ${draft.key} could not be stored`));
  };
  let demands: DemandService | undefined;
  let objections: ObjectionService | undefined;
  let grants: GrantService | undefined;
  const reminders = startReminders({
    get grants() { return grants; },
    get objections() { return objections; },
    get demands() { return demands; },
    catalog,
    workingDays: settings.reminderWorkingDays,
    ...(calendar ? { calendar } : {}),
    everyMs: settings.checkSeconds * 1_000,
    ...(now ? { now } : {}),
    publish: (draft) => notifications.publish(draft),
    onError: logged('the reminder check failed, tried again on the next one'),
  });
  return {
    notifications,
    async grantDecided(event) {
      await decisions.append(grantDecision(event));
      await publishAll(grantNotices(event));
    },
    async objectionDecided(event) {
      await decisions.append(objectionDecision(event));
      await publishAll(objectionNotices(event, (c) => catalog.fields.get(c)?.owners ?? []));
    },
    openDemands(grantService, objectionService) {
      [grants, objections] = [grantService, objectionService];
      demands = createDemandService({
        store: stores.demands, catalog, grants: grantService, versions: stores.registry, workingDays: demandWorkingDays,
        ...(calendar ? { calendar } : {}), ...(now ? { now } : {}),
        onDecision: async (event) => {
          await decisions.append(demandDecision(event));
          await publishAll(demandNotices(event));
        },
      });
      return { demands, notifications };
    },
    remind: () => reminders.tick(),
    deliver: () => deliveries.drain(),
    stop() {
      reminders.stop();
      deliveries.stop();
    },
  };
}
