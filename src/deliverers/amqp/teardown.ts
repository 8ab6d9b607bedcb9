/**
 * @module The signal every socket of one delivery is bound to. Node destroys
 * a socket when the signal given to `net.connect`/`tls.connect` aborts, and
 * amqplib passes its socket options through to those, so aborting this
 * signal drops whatever the delivery still has open: a connection attempt
 * that lost its race, or a broker that stopped answering the close. amqplib
 * has no other way to cancel a connection attempt.
 */

export interface Teardown {
  /** Given to amqplib as the `signal` socket option. */
  readonly signal: AbortSignal;
  /** Destroys every socket still bound to `signal` and stops following the delivery's signal. */
  release(): void;
}

/**
 * A teardown that also fires when `delivery` aborts, so that shutting down
 * cuts the delivery's sockets at once. It is its own controller (rather than
 * the delivery's signal) so that sockets do not add listeners to a signal
 * that lives as long as the process.
 */
export function teardownFor(delivery: AbortSignal): Teardown {
  const controller = new AbortController();
  const follow = () => controller.abort(delivery.reason);
  if (delivery.aborted) follow();
  else delivery.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    release() {
      delivery.removeEventListener('abort', follow);
      controller.abort();
    },
  };
}
