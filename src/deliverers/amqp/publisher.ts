/**
 * @module Publishing on a confirm channel with bounded memory. amqplib
 * buffers up to 1024 frames per channel before `publish` says to wait, which
 * with large rollups could be a lot of bytes; so besides waiting for the
 * buffer to drain, the publisher waits for the broker's confirms once
 * MAX_UNCONFIRMED_BYTES or MAX_UNCONFIRMED messages are outstanding (a
 * confirmed message has left the process, and amqplib keeps an entry per
 * unconfirmed one).
 */
import type { ConfirmChannel } from 'amqplib';
import { within, type Limits } from './deadline.js';
import { MESSAGE_PROPERTIES } from './messages.js';

/** Messages published before waiting for the broker to confirm them. */
const MAX_UNCONFIRMED = 256;
/** Bytes published before waiting for the broker to confirm them. */
const MAX_UNCONFIRMED_BYTES = 1024 * 1024; // 1 MiB

export class ConfirmedPublisher {
  readonly #channel: ConfirmChannel;
  readonly #exchange: string;
  readonly #routingKey: string;
  readonly #limits: Limits;
  #unconfirmed = 0;
  #unconfirmedBytes = 0;

  constructor(channel: ConfirmChannel, exchange: string, routingKey: string, limits: Limits) {
    this.#channel = channel;
    this.#exchange = exchange;
    this.#routingKey = routingKey;
    this.#limits = limits;
  }

  /** Publishes one message; throws if the channel is closed or the broker nacked earlier ones. */
  async publish(body: Buffer): Promise<void> {
    const fits = this.#channel.publish(this.#exchange, this.#routingKey, body, { ...MESSAGE_PROPERTIES });
    this.#unconfirmed++;
    this.#unconfirmedBytes += body.length;
    if (!fits) await within(drained(this.#channel), 'waiting for the broker to take more messages', this.#limits);
    if (this.#unconfirmed >= MAX_UNCONFIRMED || this.#unconfirmedBytes >= MAX_UNCONFIRMED_BYTES) await this.confirmed();
  }

  /** Resolves once the broker has confirmed every message; rejects on a nack or a closed channel. */
  async confirmed(): Promise<void> {
    try {
      await within(this.#channel.waitForConfirms(), 'waiting for the broker to confirm', this.#limits);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`the broker did not confirm publishing: ${reason}`, { cause: err });
    }
    this.#unconfirmed = 0;
    this.#unconfirmedBytes = 0;
  }
}

/** Resolves on the channel's next 'drain'; rejects if it closes first. */
function drained(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      channel.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      channel.off('drain', onDrain);
      reject(new Error('the channel closed'));
    };
    channel.once('drain', onDrain);
    channel.once('close', onClose);
  });
}
