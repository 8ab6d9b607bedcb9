/** @module Reading a response body only so its connection can be reused. */

/** More than this is not worth reading: the connection is dropped instead. */
export const DISCARD_LIMIT_BYTES = 64 * 1024;

/**
 * Reads and drops up to {@link DISCARD_LIMIT_BYTES} of `body`, then cancels
 * the rest. An unread body would pin the connection; a huge or endless one
 * must not hold the delivery. Read errors are ignored: the status already
 * decided the outcome.
 */
export async function discardBody(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body === null) return;
  const reader = body.getReader();
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > DISCARD_LIMIT_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // Aborted or reset mid-body: nothing to salvage, and nothing to report.
  } finally {
    reader.releaseLock();
  }
}
