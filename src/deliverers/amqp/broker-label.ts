/**
 * @module How a broker URI appears in errors and logs: scheme, host, port
 * and virtual host, never the user name, password or query.
 */

/** `uri` without its credentials (and query), e.g. `amqps://mq.example:5671/prod`. */
export function brokerLabel(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    // Validation rejects such URIs; never echo one, it may hold a password.
    return '(unparsable URI)';
  }
  return `${url.protocol}//${url.host}${url.pathname}`;
}
