/**
 * @module Failover across `notifier.stomp.uris`, as upstream's failOver:
 * each delivery tries the brokers in the configured order and uses the
 * first that completes the STOMP handshake. STOMP multiplexes nothing over
 * a connection, so none is kept between deliveries.
 */
import type { Logger } from '../../lib/logger.js';
import type { BrokerAddress } from './address.js';
import { StompSession, type SessionOptions } from './session.js';

/** No broker took a session: each one tried, with why (unreachable, or it refused the CONNECT). */
export class NoBrokerError extends Error {
  constructor(readonly attempts: { broker: string; reason: string }[]) {
    super(`no broker accepted a session: ${attempts.map((a) => `${a.broker}: ${a.reason}`).join('; ')}`);
    this.name = 'NoBrokerError';
  }
}

/** Opens a session with the first broker that accepts one. */
export async function connectFirst(brokers: readonly BrokerAddress[], options: SessionOptions, log?: Logger): Promise<StompSession> {
  const attempts: { broker: string; reason: string }[] = [];
  for (const broker of brokers) {
    options.signal.throwIfAborted();
    try {
      return await StompSession.open(broker, options);
    } catch (err) {
      // Aborting is not the broker's fault: do not try the next one.
      if (options.signal.aborted) throw err;
      const reason = (err as Error).message;
      log?.debug({ broker: broker.display, reason }, 'stomp broker unavailable, trying the next');
      attempts.push({ broker: broker.display, reason });
    }
  }
  throw new NoBrokerError(attempts);
}
