/** @module The webhook delivery mechanism (`notifier.webhook`). */
export { WEBHOOK_DELIVERER_NAME, WebhookDeliverer, type WebhookDelivererOptions } from './deliverer.js';
export { SIGNATURE_HEADER } from './signature.js';
