import type { RunClock } from './SimulatedClock.js';

/** The longest delay `setTimeout` takes (2^31-1 ms, about 24.8 days): a longer one fires at
 *  once in Node and browsers. Longer waits are chained. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * One timer for a run's next deadline, on the run's clock, of any length: a deadline past the
 * timer limit is reached in steps, and the callback runs only once the clock says the deadline
 * has come.
 */
export class LimitScheduler {
  private timer: unknown;
  private armed = false;

  constructor(
    private readonly clock: RunClock,
    private readonly now: () => number,
    private readonly onDue: () => void,
  ) {}

  /** Arms the timer for `at` (ms since the epoch), replacing any other; `undefined` disarms. */
  arm(at: number | undefined): void {
    this.disarm();
    if (at === undefined) return;
    const wait = () => {
      const left = at - this.now();
      this.armed = true;
      this.timer = this.clock.setTimeout(
        () => {
          this.armed = false;
          if (this.now() < at) wait();
          else this.onDue();
        },
        Math.min(Math.max(0, left), MAX_TIMER_MS),
      );
    };
    wait();
  }

  disarm(): void {
    if (this.armed) this.clock.clearTimeout(this.timer);
    this.armed = false;
  }
}
