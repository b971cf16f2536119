// A user's online/offline flips reach the partner at most once per interval:
// the first flip schedules one announcement, later flips inside the interval
// join it, and the announcement reads the state at the end, so it is never stale.
export class PresenceDebounce {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly intervalMs: number,
    private readonly announce: (userId: string) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  schedule(userId: string): void {
    if (this.pending.has(userId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(userId);
      this.announce(userId).catch(this.onError);
    }, this.intervalMs);
    timer.unref();
    this.pending.set(userId, timer);
  }

  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
