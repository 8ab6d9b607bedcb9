/**
 * @module A loopback TCP proxy standing in for a broker that goes away and
 * comes back: `down()` closes the listener (new connections are refused)
 * and cuts every open connection; `up()` listens again on the same port.
 * The shared RabbitMQ is never stopped, so other tests using it are not
 * disturbed.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const serve = (): Server =>
    createServer((client) => {
      accepted++;
      const upstream = createConnection({ host: targetHost, port: targetPort });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
  let server: Server | undefined = serve();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const down = async () => {
    if (!server) return;
    const closing = server;
    server = undefined;
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  return {
    port,
    get accepted() {
      return accepted;
    },
    down,
    async up() {
      if (server) return;
      server = serve();
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: down,
  };
}
