/**
 * @module One delivery's connection to a broker. The URIs are tried in
 * order and the first broker that connects, opens a confirm channel and has
 * the exchange wins (upstream `failover.go`; upstream also moves on when the
 * exchange is missing, since one node of a cluster may be misconfigured).
 * Nothing is kept between deliveries: they are far apart, and a fresh
 * connection never has to be checked for staleness.
 */
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { TlsClientConfig } from '../../config/types.js';
import type { Logger } from '../../lib/logger.js';
import { brokerLabel } from './broker-label.js';
import { within, type Limits } from './deadline.js';
import { socketOptions } from './socket-options.js';

/** How long closing a connection may take before its socket is destroyed instead. */
const CLOSE_TIMEOUT_MS = 5_000; // 5 s

/** Where one delivery goes. */
export interface SessionTarget {
  uris: readonly string[];
  /** `""` is the default exchange, which always exists and cannot be declared. */
  exchange: string;
  tls: TlsClientConfig | undefined;
}

export interface Session {
  /** The broker's URI without credentials. */
  readonly broker: string;
  /** A channel in confirm mode: each publish is acknowledged by the broker. */
  readonly channel: ConfirmChannel;
  /** Closes the connection, and with it the channel. Never throws. */
  close(): Promise<void>;
}

/** The limits of a session: the delivery's, plus the teardown signal its sockets are bound to. */
export interface SessionLimits extends Limits {
  teardown: AbortSignal;
}

/**
 * Opens a session on the first broker of `target.uris` that takes it.
 * Throws an error listing each broker (without credentials) and why it
 * failed when none does.
 */
export async function openSession(target: SessionTarget, limits: SessionLimits, log: Logger | undefined): Promise<Session> {
  const failures: string[] = [];
  const causes: unknown[] = [];
  for (const uri of target.uris) {
    const broker = brokerLabel(uri);
    try {
      return await openOn(uri, broker, target, limits, log);
    } catch (err) {
      failures.push(`${broker}: ${messageOf(err)}`);
      causes.push(err);
      log?.info({ broker, reason: messageOf(err) }, 'amqp broker unusable');
      if (limits.signal.aborted) break;
    }
  }
  if (failures.length === 0) throw new Error('no broker URIs are configured');
  throw new Error(`no broker took the delivery: ${failures.join('; ')}`, { cause: new AggregateError(causes) });
}

async function openOn(uri: string, broker: string, target: SessionTarget, limits: SessionLimits, log: Logger | undefined): Promise<Session> {
  const options = await socketOptions(parseUri(uri), target.tls, limits.teardown, limits.timeoutMs);
  // amqplib emits 'error' events, and an EventEmitter without a listener
  // throws them: the listener goes on before anything else can happen.
  const onError = (err: Error) => log?.debug({ broker, reason: err.message }, 'amqp broker error');
  const connecting = connect(uri, options).then((model) => model.on('error', onError));
  let model: ChannelModel;
  try {
    model = await within(connecting, 'connecting', limits);
  } catch (err) {
    // Should the attempt still succeed after losing the race, hang up.
    void connecting.then(closeQuietly, () => undefined);
    throw err;
  }
  try {
    const channel = await within(model.createConfirmChannel(), 'opening a channel', limits);
    channel.on('error', onError);
    if (target.exchange !== '') await checkExchange(channel, target.exchange, limits);
    return { broker, channel, close: () => closeQuietly(model) };
  } catch (err) {
    await closeQuietly(model);
    throw err;
  }
}

/** Passively declares the exchange: it must exist already, as upstream requires. */
async function checkExchange(channel: ConfirmChannel, exchange: string, limits: Limits): Promise<void> {
  try {
    await within(channel.checkExchange(exchange), 'checking the exchange', limits);
  } catch (err) {
    throw new Error(`exchange ${JSON.stringify(exchange)} is not usable (it must be declared beforehand): ${messageOf(err)}`, { cause: err });
  }
}

/**
 * Closes `model` within CLOSE_TIMEOUT_MS. A close that fails or hangs is
 * left to the delivery's teardown, which destroys the socket.
 */
async function closeQuietly(model: ChannelModel): Promise<void> {
  const noAbort = new AbortController().signal;
  // When the socket dies while amqplib waits for the broker's close-ok (as
  // on an abort), its close() never settles, but 'close' is still emitted.
  const closed = new Promise<void>((resolve) => model.once('close', () => resolve()));
  try {
    await within(Promise.race([model.close(), closed]), 'closing', { signal: noAbort, timeoutMs: CLOSE_TIMEOUT_MS });
  } catch {
    // Already closed (by the broker, or by an abort), or not answering.
  }
}

/** Parses `uri` without letting it into an error: URL's TypeError carries its input, password and all. */
function parseUri(uri: string): URL {
  try {
    return new URL(uri);
  } catch {
    throw new Error('not a valid amqp:// or amqps:// URI');
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
