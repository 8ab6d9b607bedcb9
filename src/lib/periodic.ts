/**
 * @module A task run on a schedule and on demand: every `intervalMs` after
 * the previous run ended, and soon after each `kick()`. Runs never overlap;
 * kicks during a run coalesce into one more run right after it, so an event
 * is never lost and a burst of events costs one run. `stop()` aborts the
 * running task's signal and waits for it to unwind.
 */

/** The longest delay `setTimeout` honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface PeriodicOptions {
  /** The work; it should give up promptly when `signal` aborts. Errors go to `onError`. */
  run: (signal: AbortSignal) => Promise<void>;
  intervalMs: number;
  /** Delay before the first run (default: the interval). */
  firstDelayMs?: number;
  /** Delay between a kick and its run, which gathers a burst of kicks (default 0). */
  kickDelayMs?: number;
  onError: (err: unknown) => void;
}

export class Periodic {
  readonly #o: PeriodicOptions;
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #kicked = false;
  #started = false;

  constructor(options: PeriodicOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#schedule(this.#o.firstDelayMs ?? this.#o.intervalMs);
  }

  /** Asks for a run soon; during a run, for one more right after it. */
  kick(): void {
    if (!this.#started || this.#controller.signal.aborted) return;
    if (this.#running) {
      this.#kicked = true;
      return;
    }
    this.#schedule(this.#o.kickDelayMs ?? 0);
  }

  /** Runs now (or waits for the run in progress) and resolves when it is over. */
  async runNow(): Promise<void> {
    if (this.#running) {
      this.#kicked = true;
      await this.#running;
      return;
    }
    clearTimeout(this.#timer);
    await this.#tick();
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#controller.abort(new Error('stopped'));
    await this.#running;
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    if (this.#controller.signal.aborted) return;
    // Node fires a timer longer than 2^31-1 ms (24.8 days) at once: wait in legs.
    const leg = Math.min(ms, MAX_TIMER_MS);
    this.#timer = setTimeout(() => (leg < ms ? this.#schedule(ms - leg) : void this.#tick()), leg);
    this.#timer.unref();
  }

  #tick(): Promise<void> {
    this.#kicked = false;
    this.#running = this.#o
      .run(this.#controller.signal)
      .catch((err: unknown) => {
        if (!this.#controller.signal.aborted) this.#o.onError(err);
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#started) this.#schedule(this.#kicked ? 0 : this.#o.intervalMs);
      });
    return this.#running;
  }
}
