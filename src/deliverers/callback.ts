/**
 * @module The callback message every callback deliverer sends (webhook body,
 * AMQP and STOMP message): the notification id and the URL its bodies are
 * paged from, resolved against the configured callback base (which always
 * ends in `/`).
 *
 * The bytes are upstream's (quay/clair `notifier.Callback`, which marshals a
 * Go map): keys in sorted order, and `&`, `<`, `>`, U+2028 and U+2029
 * escaped as Go's encoder does, so a receiver that compares or signs bytes
 * sees what Clair would send.
 */

const GO_ESCAPES: Record<string, string> = { '&': '\\u0026', '<': '\\u003c', '>': '\\u003e', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** JSON text as Go's `encoding/json` writes it for strings (HTML-safe escaping). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[&<>\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** The callback URL of notification `id`. */
export const callbackUrl = (id: string, base: string): string => new URL(id, base).href;

/** The callback message of notification `id`, as JSON text. */
export const callbackJson = (id: string, base: string): string => goJson({ callback: callbackUrl(id, base), notification_id: id });

/** The callback message of notification `id`, as UTF-8 bytes. */
export const callbackMessage = (id: string, base: string): Buffer => Buffer.from(callbackJson(id, base), 'utf8');
