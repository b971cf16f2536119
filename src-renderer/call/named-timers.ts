// One-shot and repeating timers kept by name, so a new one replaces the old and a
// teardown clears them all. The clock is injectable for tests.

export interface TimerClock {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

export const browserClock: TimerClock = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
  setInterval: (run, ms) => globalThis.setInterval(run, ms),
  clearInterval: (id) => globalThis.clearInterval(id as ReturnType<typeof setInterval>),
};

export class NamedTimers<K extends string> {
  private readonly running = new Map<K, { id: unknown; repeating: boolean }>();

  constructor(private readonly clock: TimerClock = browserClock) {}

  /** Runs once after `ms`, replacing any timer of that name. */
  after(key: K, ms: number, run: () => void): void {
    this.clear(key);
    const id = this.clock.setTimeout(() => {
      this.running.delete(key);
      run();
    }, ms);
    this.running.set(key, { id, repeating: false });
  }

  /** Runs every `ms` until cleared, replacing any timer of that name. */
  every(key: K, ms: number, run: () => void): void {
    this.clear(key);
    this.running.set(key, { id: this.clock.setInterval(run, ms), repeating: true });
  }

  has(key: K): boolean {
    return this.running.has(key);
  }

  clear(key: K): void {
    const timer = this.running.get(key);
    if (!timer) return;
    if (timer.repeating) this.clock.clearInterval(timer.id);
    else this.clock.clearTimeout(timer.id);
    this.running.delete(key);
  }

  clearAll(): void {
    for (const key of [...this.running.keys()]) this.clear(key);
  }
}
