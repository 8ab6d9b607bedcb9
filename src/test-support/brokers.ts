/**
 * @module The message brokers the AMQP and STOMP deliverers are tested
 * against: RabbitMQ at CLAIR_TEST_AMQP (default amqp://guest:guest@127.0.0.1:5672/)
 * and its STOMP plugin at CLAIR_TEST_STOMP (default 127.0.0.1:61613, login
 * guest/guest). Outside CI an unreachable broker skips those tests with the
 * reason; in CI (CI set) they fail instead, as .ci/run starts both.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Client, type IMessage } from '@stomp/stompjs';
import { TCPWrapper } from '@stomp/tcp-wrapper';

export const AMQP_URL = process.env.CLAIR_TEST_AMQP ?? 'amqp://guest:guest@127.0.0.1:5672/';
export const STOMP_ADDR = process.env.CLAIR_TEST_STOMP ?? '127.0.0.1:61613';
export const STOMP_USER = { login: 'guest', passcode: 'guest' };

function portOpen(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timed out');
    });
    socket.once('error', (err) => resolve(err.message));
  });
}

async function unavailable(what: string, env: string, host: string, port: number): Promise<string | undefined> {
  const reason = await portOpen(host, port);
  if (reason === undefined) return undefined;
  if (process.env.CI) throw new Error(`${what} at ${host}:${port} is required in CI: ${reason}`);
  return `${what} at ${host}:${port} is unreachable (${reason}); set ${env}`;
}

let amqp: Promise<string | undefined> | undefined;
let stomp: Promise<string | undefined> | undefined;

/** Resolves `undefined` if RabbitMQ's AMQP port answers, else why not. */
export function amqpUnavailable(): Promise<string | undefined> {
  const url = new URL(AMQP_URL);
  amqp ??= unavailable('RabbitMQ (AMQP)', 'CLAIR_TEST_AMQP', url.hostname, Number(url.port || 5672));
  return amqp;
}

/** Resolves `undefined` if RabbitMQ's STOMP port answers, else why not. */
export function stompUnavailable(): Promise<string | undefined> {
  const [host = '127.0.0.1', port = '61613'] = STOMP_ADDR.split(':');
  stomp ??= unavailable('RabbitMQ (STOMP)', 'CLAIR_TEST_STOMP', host, Number(port));
  return stomp;
}

/** A message a test consumer received. */
export interface ReceivedMessage {
  body: string;
  headers: Record<string, unknown>;
}

/**
 * An exchange of its own on RabbitMQ with an exclusive queue bound by
 * `routingKey`, and what arrived on it; `close` deletes both.
 */
export interface AmqpQueue {
  exchange: string;
  messages(): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

export async function amqpQueue(routingKey: string): Promise<AmqpQueue> {
  const { connect } = await import('amqplib');
  const connection = await connect(AMQP_URL);
  connection.on('error', () => undefined);
  const channel = await connection.createChannel();
  const exchange = `clair-test-${randomUUID()}`;
  await channel.assertExchange(exchange, 'direct', { durable: false, autoDelete: false });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, exchange, routingKey);
  return {
    exchange,
    async messages() {
      const got: ReceivedMessage[] = [];
      for (let m = await channel.get(queue, { noAck: true }); m !== false; m = await channel.get(queue, { noAck: true })) {
        got.push({ body: m.content.toString('utf8'), headers: { ...m.properties } });
      }
      return got;
    },
    async close() {
      await channel.deleteQueue(queue);
      await channel.deleteExchange(exchange);
      await connection.close();
    },
  };
}

/**
 * A STOMP subscriber on one destination of RabbitMQ's STOMP plugin. A fresh
 * `/topic/…` destination gets an exclusive auto-delete queue, so nothing is
 * left on the broker.
 */
export class StompSubscriber {
  readonly received: ReceivedMessage[] = [];
  readonly #client: Client;

  private constructor(client: Client) {
    this.#client = client;
  }

  static async on(destination: string): Promise<StompSubscriber> {
    const [host = '127.0.0.1', port = '61613'] = STOMP_ADDR.split(':');
    const client = new Client({
      webSocketFactory: () => new TCPWrapper(host, Number(port)),
      connectHeaders: { host: '/', ...STOMP_USER },
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
    });
    const subscriber = new StompSubscriber(client);
    await new Promise<void>((resolve, reject) => {
      client.onStompError = (frame) => reject(new Error(frame.headers.message));
      client.onWebSocketError = () => reject(new Error('subscriber socket error'));
      client.onConnect = () => {
        // The receipt of SUBSCRIBE means the queue is bound: nothing sent later is missed.
        client.watchForReceipt('subscribed', () => resolve());
        client.subscribe(destination, (message: IMessage) => subscriber.received.push({ body: message.body, headers: message.headers }), { receipt: 'subscribed' });
      };
      client.activate();
    });
    return subscriber;
  }

  /**
   * Resolves with the messages once exactly `count` have arrived (a little
   * later, none more); rejects after `ms` with fewer, or with more.
   */
  async waitFor(count: number, ms = 5000): Promise<ReceivedMessage[]> {
    const deadline = Date.now() + ms;
    const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
    while (this.received.length < count && Date.now() < deadline) await sleep(20);
    if (this.received.length === count) await sleep(100);
    if (this.received.length !== count) throw new Error(`expected ${count} STOMP messages, got ${this.received.length}`);
    return [...this.received];
  }

  get client(): Client {
    return this.#client;
  }

  async close(): Promise<void> {
    await this.#client.deactivate();
  }
}
