/**
 * @module The messages a direct deliverer (AMQP or STOMP with `direct`)
 * sends: JSON arrays of up to `rollup` notifications in paging order, where
 * a rollup of 0 or 1 means one notification per message (still an array),
 * encoded as upstream's `json.Encoder` writes them (Go's escaping, a
 * trailing newline). Batches run across page boundaries, and only one page
 * and one message are held at a time.
 */
import type { Notification } from '../model/index.js';
import { goJson } from './callback.js';

export async function* directMessages(pages: AsyncIterable<Notification[]>, rollup: number): AsyncGenerator<string> {
  const perMessage = Math.max(1, Math.trunc(rollup));
  let batch: Notification[] = [];
  for await (const page of pages) {
    for (const notification of page) {
      batch.push(notification);
      if (batch.length === perMessage) {
        yield `${goJson(batch)}\n`;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield `${goJson(batch)}\n`;
}
