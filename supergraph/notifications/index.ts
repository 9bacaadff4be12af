export { backoffDelay, startDeliveries, type DeliveryOptions, type SmtpSettings } from './delivery-worker.ts';
export { appRecipient, demandNotices, grantNotices, objectionNotices, type NoticeDraft } from './event-notices.ts';
export { createNotificationService, NotificationError, type NotificationService } from './notification-service.ts';
export { openNotificationStore, speaksFor, type Channel, type Delivery, type Notice, type NotificationStore, type Webhook } from './notification-store.ts';
export { dueNotices, owedAnswers, startReminders, type Owed } from './reminders.ts';
export { DELIVERY_HEADER, EVENT_HEADER, REPLAY_WINDOW_S, SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from './webhook-signature.ts';
