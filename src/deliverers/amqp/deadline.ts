/**
 * @module Bounds for broker operations. amqplib takes no deadline and no
 * abort signal for its operations, so each one is raced against both; the
 * operation that lost is cleaned up when the delivery tears its connection
 * down (see `teardown.ts`).
 */

/** How long one broker operation (connecting, declaring, draining, confirming) may take. */
export const OPERATION_TIMEOUT_MS = 30_000; // 30 s

/** What bounds an operation: the delivery's abort signal and a deadline. */
export interface Limits {
  signal: AbortSignal;
  /** Milliseconds each operation may take. */
  timeoutMs: number;
}

/**
 * Settles as `work` does, unless `limits.signal` aborts or the deadline
 * passes first; then it rejects with an error naming `what`. The error never
 * leaves the deliverer: it becomes the cause of a `DELIVERY_FAILED`.
 */
export async function within<T>(work: Promise<T>, what: string, limits: Limits): Promise<T> {
  // Once the race is lost, `work` is abandoned and will usually reject when
  // its connection is torn down; that rejection is expected, not unhandled.
  work.catch(() => undefined);
  const { signal, timeoutMs } = limits;
  if (signal.aborted) throw aborted(what, signal);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs / 1000} s`)), timeoutMs);
    onAbort = () => reject(aborted(what, signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Throws if the delivery was aborted, with an error naming what it was about to do. */
export function throwIfAborted(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw aborted(what, signal);
}

function aborted(what: string, signal: AbortSignal): Error {
  return new Error(`${what} aborted (the notifier is shutting down)`, { cause: signal.reason });
}
