/**
 * @module The STOMP deliverer (`notifier.stomp`, deprecated upstream in
 * 4.9): upstream's notifier/stomp Deliverer and DirectDeliverer in one.
 *
 * - **Callback** mode SENDs `{"notification_id","callback"}` to
 *   `destination` and waits for the broker's RECEIPT.
 * - **Direct** mode SENDs the notifications themselves, `rollup` to a
 *   frame, inside one transaction: BEGIN, SEND…, COMMIT, then a DISCONNECT
 *   whose RECEIPT confirms the commit. Any failure ABORTs, so a subscriber
 *   sees all of a notification's frames or none.
 *
 * Library: @stomp/stompjs (maintained, typed, STOMP 1.0–1.2) over
 * @stomp/tcp-wrapper, its official Node TCP transport, given TLS here. The
 * alternative, stompit (inactive, typed only through DefinitelyTyped),
 * handles receipts and TLS natively but crashes the process with an
 * unhandled 'error' event when the broker refuses a CONNECT (bad
 * credentials, unknown vhost). stompjs sets no receipt header
 * on COMMIT, hence the DISCONNECT receipt, which the STOMP 1.2 spec names
 * as the way to know that every earlier frame was processed.
 */
import type { SecureContext } from 'node:tls';
import type { StompConfig } from '../../config/types.js';
import { clairError, type ClairError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { Deliverer, Delivery } from '../../notifier/deliverer.js';
import { brokerAddress, type BrokerAddress } from './address.js';
import { NoBrokerError, connectFirst } from './failover.js';
import { callbackJson } from '../callback.js';
import { directMessages } from '../direct.js';
import type { SessionOptions, StompSession } from './session.js';
import { stompSecureContext } from './tls.js';

/** Bound of connecting and of each wait on the broker: upstream's dial timeout. */
export const DEFAULT_TIMEOUT_MS = 30_000; // 30 seconds

/** The `deliverer` label of metrics and logs. */
export const STOMP_DELIVERER_NAME = 'stomp';

const CONTENT_TYPE = 'application/json';

export interface StompDelivererOptions {
  /** Milliseconds; default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  logger?: Logger;
}

export class StompDeliverer implements Deliverer {
  readonly name = STOMP_DELIVERER_NAME;
  readonly direct: boolean;
  readonly #destination: string;
  readonly #callback: string;
  readonly #rollup: number;
  readonly #brokers: readonly BrokerAddress[];
  readonly #user: StompConfig['user'];
  readonly #tls: SecureContext | undefined;
  readonly #timeoutMs: number;
  readonly #log: Logger | undefined;

  /** Throws `CONFIG_INVALID` for an unusable broker address or TLS file, as upstream's `New` fails the start. */
  constructor(config: StompConfig, options: StompDelivererOptions = {}) {
    this.direct = config.direct;
    this.#destination = config.destination;
    this.#callback = config.callback;
    this.#rollup = config.rollup;
    this.#brokers = config.uris.map((uri, i) => brokerAddress(uri, i));
    this.#user = config.user;
    this.#tls = config.tls ? stompSecureContext(config.tls) : undefined;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#log = options.logger;
  }

  async deliver(delivery: Delivery): Promise<void> {
    const options: SessionOptions = { user: this.#user, tls: this.#tls, timeoutMs: this.#timeoutMs, signal: delivery.signal };
    let session: StompSession;
    try {
      session = await connectFirst(this.#brokers, options, this.#log);
    } catch (err) {
      throw this.#failure(delivery.id, undefined, err);
    }
    try {
      if (this.direct) await this.#sendDirect(session, delivery);
      else await session.sendWithReceipt(this.#destination, callbackJson(delivery.id, this.#callback), { 'content-type': CONTENT_TYPE });
      await session.disconnect();
    } catch (err) {
      session.destroy();
      throw this.#failure(delivery.id, session.address, err);
    }
  }

  async #sendDirect(session: StompSession, delivery: Delivery): Promise<void> {
    const transaction = session.begin();
    try {
      for await (const body of directMessages(delivery.pages(), this.#rollup)) {
        await session.send(this.#destination, body, { 'content-type': CONTENT_TYPE, transaction });
      }
      session.commit(transaction);
    } catch (err) {
      // Upstream ABORTs with a receipt and only logs its failure; the broker
      // drops an open transaction with the connection anyway.
      session.abortQuietly(transaction);
      throw err;
    }
  }

  /** The error the delivery loop records: destination, broker, cause; never the passcode. */
  #failure(id: string, broker: BrokerAddress | undefined, err: unknown): ClairError {
    const reason = err instanceof Error ? err.message : String(err);
    const where = err instanceof NoBrokerError || broker === undefined ? reason : `${broker.display}: ${reason}`;
    // A broker may quote what it was sent; the passcode must not reach logs,
    // neither in the message nor through the attached cause.
    const passcode = this.#user?.passcode;
    const redacted = passcode ? where.split(passcode).join('***') : where;
    const message = `stomp: delivering notification ${id} to ${this.#destination} failed: ${redacted}`;
    return clairError('DELIVERY_FAILED', message, redacted === where ? { cause: err } : {});
  }

  /** Nothing to end: each delivery has its own connection. */
  async close(): Promise<void> {}
}
