// Gives up on a call whose connection stays down too long: trouble starts the
// deadline (once), recovery clears it, the deadline ends the call.
import { NamedTimers } from './named-timers';

// NOTE: a call whose connection stays down this long ends (Matrix's 30 s).
export const RECONNECT_DEADLINE_MS = 30_000;

export class ConnectionWatchdog {
  constructor(
    private readonly giveUp: (callId: string) => void,
    private readonly timers: NamedTimers<'deadline'> = new NamedTimers(),
    private readonly deadlineMs = RECONNECT_DEADLINE_MS,
  ) {}

  /** The connection dropped or failed; the first report starts the clock. */
  trouble(callId: string): void {
    if (this.timers.has('deadline')) return;
    this.timers.after('deadline', this.deadlineMs, () => this.giveUp(callId));
  }

  healthy(): void {
    this.timers.clear('deadline');
  }

  stop(): void {
    this.timers.clear('deadline');
  }
}
