/**
 * Busy polling after each answer: for a short window the event loop keeps polling its sockets
 * (one non-blocking poll per loop turn) instead of sleeping in the kernel until the next request
 * wakes it. A thread that sleeps between requests pays for it on the next one: the wake-up, and
 * a core whose caches and clock have cooled (a batch-1 `session.run` of the MNIST MLP takes
 * 12 µs back to back, 35 µs after a 100 µs sleep). This is onnxruntime's own trade for its
 * thread pool (its threads spin a while after each parallel section) and Linux's `busy_poll`
 * for sockets: a client that sends its next request within the window gets it answered by a
 * warm thread, at the price of the CPU spent polling (only while requests keep coming: an idle
 * server sleeps, and under load the loop is busy anyway).
 */

/**
 * Keeps the event loop polling for `windowUs` microseconds after the last {@link BusyPoll.touch}.
 *
 * @example
 * ```ts
 * const poll = new BusyPoll(200);
 * // after each reply:
 * poll.touch();
 * // at shutdown:
 * poll.close();
 * ```
 */
export class BusyPoll {
  private readonly windowMs: number;
  /** When the current window ends (performance.now() time). */
  private until = 0;
  /** Touched since the loop last looked: the window restarts from its next turn. */
  private touched = false;
  private polling = false;
  private closed = false;

  /**
   * @param windowUs - How long to keep polling after each touch; 0 turns busy polling off.
   * @param now - The clock, in milliseconds (tests pass their own).
   */
  constructor(
    windowUs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isFinite(windowUs) || windowUs < 0)
      throw new RangeError(`busy poll window: expected microseconds >= 0, got ${windowUs}`);
    this.windowMs = windowUs / 1000;
  }

  /** Whether the event loop is polling now (a window is open). */
  get active(): boolean {
    return this.polling;
  }

  /** Opens (or extends) the window: called as each answer goes out. Cheap: no clock read. */
  touch(): void {
    if (this.windowMs === 0 || this.closed) return;
    this.touched = true;
    if (!this.polling) {
      this.polling = true;
      setImmediate(this.turn);
    }
  }

  /** Ends the current window and ignores later touches (the server is closing). */
  close(): void {
    this.closed = true;
  }

  /**
   * One loop turn of the window. A pending immediate makes libuv poll its sockets without
   * blocking; the turn schedules the next while the window is open, and then lets the loop sleep.
   */
  private readonly turn = (): void => {
    const now = this.now();
    if (this.touched) {
      this.touched = false;
      this.until = now + this.windowMs;
    }
    if (!this.closed && now < this.until) setImmediate(this.turn);
    else this.polling = false;
  };
}
