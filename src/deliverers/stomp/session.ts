/**
 * @module One STOMP session with one broker, for one delivery: connect,
 * SEND (with or without a receipt, in or out of a transaction), then
 * DISCONNECT. @stomp/stompjs speaks the protocol through callbacks; this
 * turns them into awaitable steps, each bounded by the deadline and the
 * delivery's abort signal, and each failing as soon as the session breaks
 * (an ERROR frame, a socket error, the broker closing).
 *
 * Nothing that happens on the socket can throw out of here: the transport
 * and this session listen for every error, and a broken session only
 * rejects the step that waits on it.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { Client, type IFrame, type StompHeaders } from '@stomp/stompjs';
import type { BrokerAddress } from './address.js';
import { brokerTransport } from './transport.js';

export interface SessionOptions {
  user?: { login: string; passcode: string } | undefined;
  tls?: SecureContext | undefined;
  /** Milliseconds each step may take: connecting, a receipt, a full write buffer, disconnecting. */
  timeoutMs: number;
  signal: AbortSignal;
}

/** An ERROR frame's body is the broker's explanation; keep errors readable. */
const MAX_ERROR_BODY = 500;

function describeError(frame: IFrame): string {
  const message = frame.headers.message ?? 'no message';
  // RabbitMQ's bodies run over several lines; an error message is one.
  const body = frame.body.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_BODY);
  return body === '' || body === message ? `broker sent ERROR: ${message}` : `broker sent ERROR: ${message}: ${body}`;
}

export class StompSession {
  readonly address: BrokerAddress;
  readonly #client: Client;
  readonly #options: SessionOptions;
  #socket: Socket | undefined;
  /** Why the session broke, once it has; every later step fails with it. */
  #broken: Error | undefined;
  readonly #breakage: Promise<never>;
  #break!: (reason: Error) => void;
  #closing = false;
  #disconnectReceipted = false;
  #receipts = 0;

  private constructor(address: BrokerAddress, options: SessionOptions) {
    this.address = address;
    this.#options = options;
    this.#breakage = new Promise<never>((_, reject) => {
      this.#break = (reason) => {
        if (this.#broken !== undefined) return;
        this.#broken = reason;
        reject(reason);
      };
    });
    // Rejections are observed by whichever step races this promise; there may be none.
    this.#breakage.catch(() => {});

    const connectHeaders: StompHeaders = {
      // STOMP 1.1+ requires `host`; RabbitMQ reads it as the virtual host, so
      // the broker's own name (what upstream sends) is refused there unless a
      // vhost of that name exists. `/` is RabbitMQ's default vhost, and other
      // brokers (ActiveMQ, Artemis) do not route by it.
      host: '/',
      ...(options.user ? { login: options.user.login, passcode: options.user.passcode } : {}),
    };
    this.#client = new Client({
      webSocketFactory: () => brokerTransport(address, options.tls, (socket) => this.#watch(socket)),
      connectHeaders,
      // One connection per delivery, for seconds: no reconnects, no heartbeats.
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      debug: () => {},
    });
    this.#client.onStompError = (frame) => this.#break(new Error(describeError(frame)));
    this.#client.onWebSocketClose = () => {
      if (!this.#closing) this.#break(new Error('the broker closed the connection'));
    };
    this.#client.onDisconnect = () => {
      this.#disconnectReceipted = true;
    };
  }

  #watch(socket: Socket): void {
    this.#socket = socket;
    socket.on('error', (err) => this.#break(err));
  }

  /** Connects (TCP, TLS when configured, then STOMP CONNECT) within the deadline. */
  static async open(address: BrokerAddress, options: SessionOptions): Promise<StompSession> {
    const session = new StompSession(address, options);
    const connected = new Promise<void>((resolve) => {
      session.#client.onConnect = () => resolve();
    });
    session.#client.activate();
    try {
      await session.#step('connecting', connected);
    } catch (err) {
      session.destroy();
      throw err;
    }
    return session;
  }

  /**
   * Resolves with `work`, or rejects when the session breaks, the deadline
   * passes or the delivery is aborted, whichever comes first.
   */
  async #step<T>(what: string, work: Promise<T>): Promise<T> {
    const { signal, timeoutMs } = this.#options;
    // Losing the race must not leave a rejection nobody handles.
    work.catch(() => {});
    if (this.#broken) throw this.#broken;
    signal.throwIfAborted();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const limits = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
      onAbort = () => reject(new Error(`${what} aborted`, { cause: signal.reason }));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([work, this.#breakage, limits]);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort!);
    }
  }

  #usable(): void {
    if (this.#broken) throw this.#broken;
    this.#options.signal.throwIfAborted();
  }

  /**
   * Sends one frame without waiting for the broker, then waits while the
   * socket's write buffer is full, so a slow broker holds back the caller
   * (and its memory) rather than the buffer growing without bound.
   */
  async send(destination: string, body: string, headers: StompHeaders = {}): Promise<void> {
    this.#usable();
    this.#client.publish({ destination, body, headers });
    const socket = this.#socket;
    if (socket?.writableNeedDrain) {
      await this.#step('writing to the broker', new Promise<void>((resolve) => socket.once('drain', resolve)));
    }
  }

  /** Sends one frame and waits for its RECEIPT: the broker has taken it. */
  async sendWithReceipt(destination: string, body: string, headers: StompHeaders = {}): Promise<void> {
    this.#usable();
    const receipt = `clair-${++this.#receipts}`;
    const received = new Promise<void>((resolve) => this.#client.watchForReceipt(receipt, () => resolve()));
    this.#client.publish({ destination, body, headers: { ...headers, receipt } });
    await this.#step('waiting for the receipt of SEND', received);
  }

  /** BEGINs a transaction; returns its id for the `transaction` header. */
  begin(): string {
    this.#usable();
    return this.#client.begin().id;
  }

  commit(transaction: string): void {
    this.#usable();
    this.#client.commit(transaction);
  }

  /** ABORTs the transaction if the session still can; a broken session's transaction dies with it. */
  abortQuietly(transaction: string): void {
    if (this.#broken || !this.#client.connected) return;
    try {
      this.#client.abort(transaction);
    } catch {
      // The connection went away between the check and the write: same outcome.
    }
  }

  /**
   * Graceful end: DISCONNECT with a receipt, then the socket closes. The
   * RECEIPT tells that the broker has processed every frame before it
   * (STOMP 1.2, "Connecting… DISCONNECT"), so after a COMMIT it confirms
   * the commit. Rejects if the broker closed without it.
   */
  async disconnect(): Promise<void> {
    this.#usable();
    this.#closing = true;
    try {
      await this.#step('disconnecting', this.#client.deactivate());
    } catch (err) {
      this.destroy();
      throw err;
    }
    if (this.#broken) throw this.#broken;
    if (!this.#disconnectReceipted) throw new Error('the broker closed the connection without a receipt for DISCONNECT');
  }

  /** Drops the connection at once, whatever its state. Never throws. */
  destroy(): void {
    this.#closing = true;
    this.#client.deactivate({ force: true }).catch(() => {});
    this.#socket?.destroy();
  }
}
