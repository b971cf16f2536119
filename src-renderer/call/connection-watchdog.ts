// Bounds how long a call may go without a working connection: a first connection
// that does not come up within the setup bound ends the attempt ("Couldn't
// connect"), and an established one that stays down past the reconnect deadline
// ends the call. Recovery (ICE connected) clears both.
import { NamedTimers } from './named-timers';

// NOTE: a call whose connection stays down this long ends (Matrix's 30 s). The server
// says its own (CALL_RECONNECT_DEADLINE_MS, the same 30 s by default); this one is for
// a server that does not.
export const RECONNECT_DEADLINE_MS = 30_000;
/** ICE checking that has not succeeded by then will not: say so instead of "Connecting…" for minutes. */
export const CONNECT_TIMEOUT_MS = 20_000;

export type GiveUpReason = 'setup' | 'reconnect';

export class ConnectionWatchdog {
  constructor(
    private readonly giveUp: (callId: string, why: GiveUpReason) => void,
    private readonly timers: NamedTimers<'setup' | 'deadline'> = new NamedTimers(),
    private readonly deadlineMs = RECONNECT_DEADLINE_MS,
    private readonly setupMs = CONNECT_TIMEOUT_MS,
  ) {}

  /** A connection attempt began (answered, accepted or re-joined); the setup bound starts. */
  connecting(callId: string): void {
    if (this.timers.has('setup')) return;
    this.timers.after('setup', this.setupMs, () => this.giveUp(callId, 'setup'));
  }

  /** The connection dropped or failed; the first report starts the reconnect clock (the server's deadline when it gave one). */
  trouble(callId: string, deadlineMs: number = this.deadlineMs): void {
    if (this.timers.has('deadline') || this.timers.has('setup')) return; // still setting up: the setup bound applies
    this.timers.after('deadline', deadlineMs, () => this.giveUp(callId, 'reconnect'));
  }

  healthy(): void {
    this.timers.clear('setup');
    this.timers.clear('deadline');
  }

  stop(): void {
    this.healthy();
  }
}
