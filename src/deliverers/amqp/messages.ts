/**
 * @module The messages the AMQP deliverer publishes, encoded as upstream's
 * (`deliverer.go`, `directdeliverer.go`), and their properties. The callback
 * message is the one every callback deliverer sends (`../callback.ts`), the
 * direct messages those of every direct deliverer (`../direct.ts`).
 */
import type { Options } from 'amqplib';

export { callbackMessage } from '../callback.js';

/**
 * The properties of every message. Upstream leaves the delivery mode at its
 * default, so messages are transient: a broker restart before a consumer
 * takes them loses them. `mandatory` is false too, so a message no queue is
 * bound for is dropped by the broker and still counts as delivered.
 */
export const MESSAGE_PROPERTIES = {
  contentType: 'application/json',
  appId: 'clairV4-notifier',
} as const satisfies Options.Publish;
