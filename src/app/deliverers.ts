/**
 * @module The notifier's delivery mechanism, from `notifier.webhook`,
 * `notifier.amqp` or `notifier.stomp`: the first configured, in that order,
 * as upstream (validation lints when several are).
 */
import type { Logger } from 'pino';
import type { NotifierConfig, PskConfig } from '../config/types.js';
import { AmqpDeliverer } from '../deliverers/amqp/index.js';
import { StompDeliverer } from '../deliverers/stomp/index.js';
import { WebhookDeliverer } from '../deliverers/webhook/index.js';
import { decodePskKey, NOTIFIER_ISSUER, signToken } from '../http/auth.js';
import type { Deliverer } from '../notifier/deliverer.js';

export function createDeliverer(config: NotifierConfig, psk: PskConfig | undefined, log: Logger): Deliverer | undefined {
  if (config.webhook) {
    // With auth on, deliveries carry a JWT from issuer clair-notifier, as upstream's.
    const key = psk ? decodePskKey(psk.key) : undefined;
    const authorization = key ? async () => `Bearer ${await signToken(key, NOTIFIER_ISSUER)}` : undefined;
    return new WebhookDeliverer(config.webhook, { logger: log, ...(authorization ? { authorization } : {}) });
  }
  if (config.amqp) return new AmqpDeliverer(config.amqp, { logger: log });
  if (config.stomp) return new StompDeliverer(config.stomp, { logger: log });
  return undefined;
}
