/**
 * @module Helpers for the updater and enricher feed fuzz tests (test only):
 * draining what a parser yields, and seeing through catch-all wrapping.
 *
 * Most feed readers turn whatever goes wrong into one catalogued
 * `UPDATER_PARSE` error, which is what callers want, but it also hides a
 * reader that crashed (`Cannot read properties of undefined`) behind a
 * clear-looking message. {@link unmasked} rethrows such a crash so the
 * fuzzer sees it for what it is.
 */

/** Messages the JavaScript engine gives its own TypeError, RangeError and ReferenceError. */
const ENGINE_MESSAGE =
  /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|Cannot destructure|Cannot create property|Maximum call stack|Invalid array length|Invalid string length|is not defined|before initialization/;

/** Whether `err` was thrown by the project's own code, not by a library reacting to bad input. */
function thrownHere(err: Error): boolean {
  const top = err.stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  return top !== undefined && !top.includes('node_modules') && !top.includes('node:');
}

/**
 * An engine error of the project's own code somewhere in the `cause` chain
 * of `err`, if any. A library's engine error on bad input (a bzip2 decoder
 * reading past its buffer) that the module deliberately wraps is its answer,
 * not a crash.
 */
function hiddenCrash(err: unknown): Error | undefined {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 8; depth++, e = e.cause) {
    if ((e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) && ENGINE_MESSAGE.test(e.message) && thrownHere(e)) return e;
  }
  return undefined;
}

/** Runs `parse`; a clear error that merely wraps an engine error is rethrown as that engine error. */
export async function unmasked<T>(parse: () => Promise<T> | T): Promise<T> {
  try {
    return await parse();
  } catch (err) {
    throw hiddenCrash(err) ?? err;
  }
}

/** Iterates `items` to the end; the count of items. */
export async function drain(items: AsyncIterable<unknown> | Iterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of items) n++;
  return n;
}
