/** A clock: when now is, and timers. The real one is the default; XState's clocks fit too. */
export interface RunClock {
  setTimeout(fn: () => void, ms: number): unknown;
  /** takes what this clock's setTimeout returned */
  clearTimeout(id: unknown): void;
  now?(): number;
}

/**
 * A clock for tests, scripts and simulations: time stands still until `set` or `increment`
 * moves it; then it jumps, and every timer due by then fires, earliest first, seeing the new
 * time — as a host that was down notices a missed deadline. So `increment(5 * 60_000)` over a
 * 60 s limit that re-arms fires it once (move 60 s at a time to see it fire each minute).
 * The same semantics and interface as XState's `SimulatedClock`.
 */
export class SimulatedClock implements RunClock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  /** Jumps to `ms` (forward only: timers due by then fire, in order). */
  set(ms: number): void {
    if (ms > this.time) this.advanceTo(ms);
    else this.time = ms;
  }

  increment(ms: number): void {
    this.advanceTo(this.time + Math.max(0, ms));
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms || 0), fn });
    return id;
  }

  clearTimeout(id: number): void {
    this.timers.delete(id);
  }

  private advanceTo(target: number): void {
    this.time = Math.max(this.time, target);
    for (;;) {
      let first: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= this.time && (!first || entry[1].at < first[1].at)) first = entry;
      if (!first) break;
      this.timers.delete(first[0]);
      first[1].fn();
    }
  }
}
