/**
 * @module The AMQP deliverer (`notifier.amqp`; deprecated upstream). It
 * publishes either a callback message announcing the notification or, in
 * direct mode, the notifications themselves in batches of `rollup`, to an
 * exchange that must already exist. See docs/notifier.md, "AMQP".
 *
 * "Delivered" means the broker confirmed every message (publisher confirms),
 * which is stronger than upstream's fire-and-forget callback publish. In
 * direct mode upstream wraps the batch in an AMQP transaction; amqplib does
 * not expose transactions, so a failure part-way leaves the messages
 * already confirmed with the broker and the whole notification is
 * published again on a later round: at least once, not all or nothing.
 */
import type { AmqpConfig } from '../../config/types.js';
import { clairError, type ClairError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Deliverer, Delivery } from '../../notifier/deliverer.js';
import { OPERATION_TIMEOUT_MS, throwIfAborted, type Limits } from './deadline.js';
import { directMessages } from '../direct.js';
import { callbackMessage } from './messages.js';
import { ConfirmedPublisher } from './publisher.js';
import { openSession, type Session, type SessionTarget } from './session.js';
import { teardownFor } from './teardown.js';

/** The `deliverer` label of metrics and logs. */
export const AMQP_DELIVERER_NAME = 'amqp';

export interface AmqpDelivererOptions {
  /** Logs each broker that could not be used, before the next is tried. */
  logger?: Logger;
  /** Milliseconds each broker operation may take; `OPERATION_TIMEOUT_MS` by default. */
  timeoutMs?: number;
}

export class AmqpDeliverer implements Deliverer {
  readonly name = AMQP_DELIVERER_NAME;
  readonly direct: boolean;
  readonly #config: AmqpConfig;
  readonly #target: SessionTarget;
  readonly #timeoutMs: number;
  readonly #log: Logger | undefined;

  constructor(config: AmqpConfig, options: AmqpDelivererOptions = {}) {
    this.#config = config;
    this.direct = config.direct;
    this.#target = { uris: config.uris, exchange: config.exchange.name, tls: config.tls };
    this.#timeoutMs = options.timeoutMs ?? OPERATION_TIMEOUT_MS;
    this.#log = options.logger?.child({ component: 'notifier/amqp', exchange: config.exchange.name });
  }

  async deliver(delivery: Delivery): Promise<void> {
    const limits: Limits = { signal: delivery.signal, timeoutMs: this.#timeoutMs };
    const teardown = teardownFor(delivery.signal);
    let session: Session | undefined;
    try {
      throwIfAborted(delivery.signal, 'connecting');
      session = await openSession(this.#target, { ...limits, teardown: teardown.signal }, this.#log);
      await this.#publish(session, delivery, limits);
    } catch (err) {
      throw this.#failed(delivery.id, session?.broker, err);
    } finally {
      await session?.close();
      teardown.release();
    }
  }

  /** Nothing is kept between deliveries. */
  async close(): Promise<void> {}

  async #publish(session: Session, delivery: Delivery, limits: Limits): Promise<void> {
    const { exchange, routing_key: routingKey } = this.#config;
    const publisher = new ConfirmedPublisher(session.channel, exchange.name, routingKey, limits);
    if (!this.direct) {
      await publisher.publish(callbackMessage(delivery.id, this.#config.callback));
    } else {
      for await (const text of directMessages(delivery.pages(), this.#config.rollup)) {
        const message = Buffer.from(text, 'utf8');
        throwIfAborted(delivery.signal, 'publishing');
        await publisher.publish(message);
      }
    }
    await publisher.confirmed();
  }

  #failed(id: string, broker: string | undefined, err: unknown): ClairError {
    const { exchange, routing_key: routingKey } = this.#config;
    const target = `exchange ${JSON.stringify(exchange.name)}${exchange.name === '' ? ' (the default exchange)' : ''} with routing key ${JSON.stringify(routingKey)}`;
    const via = broker === undefined ? '' : ` via ${broker}`;
    const reason = err instanceof Error ? err.message : String(err);
    return clairError('DELIVERY_FAILED', `amqp: delivering notification ${id} to ${target}${via} failed: ${reason}`, { cause: err });
  }
}
