/**
 * @module The byte stream under one STOMP session: a TCP connection, or TLS
 * over it when `notifier.stomp.tls` is set, shaped for @stomp/stompjs by
 * its official Node transport, @stomp/tcp-wrapper.
 */
import { Socket, createConnection, isIP } from 'node:net';
import { connect as tlsConnect, type SecureContext } from 'node:tls';
import type { IStompSocket } from '@stomp/stompjs';
import { TCPWrapper } from '@stomp/tcp-wrapper';
import type { BrokerAddress } from './address.js';

/**
 * Opens the connection to `address` and hands its socket to `onSocket`
 * before anything can happen on it, so the session can watch its errors
 * and its write buffer (the wrapper keeps the socket private).
 */
export function brokerTransport(address: BrokerAddress, tls: SecureContext | undefined, onSocket: (socket: Socket) => void): IStompSocket {
  // TCPWrapper opens its socket from its constructor, before a subclass's
  // own fields exist: the settings reach getSocket through this closure.
  class BrokerTransport extends TCPWrapper {
    protected override getSocket(port: number, host: string): Socket {
      let socket: Socket;
      try {
        // SNI as Go's tls.Dialer sends it: the host name, never an address.
        socket = tls ? tlsConnect({ host, port, secureContext: tls, ...(isIP(host) ? {} : { servername: host }) }) : createConnection({ host, port });
      } catch (err) {
        // stompjs opens the transport from a promise nobody awaits: a throw
        // here would be an unhandled rejection. Fail as a socket instead.
        socket = new Socket();
        process.nextTick(() => socket.destroy(err as Error));
      }
      onSocket(socket);
      return socket;
    }
  }
  return new BrokerTransport(address.host, address.port);
}
