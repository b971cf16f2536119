// The call timers, kept durable: ring and grace deadlines live in the call's row
// and every node sweeps them on an interval, so whichever node survives ends a
// call whose timer ran out. Each end is a conditional update, so two nodes
// sweeping the same call at once end it (and tell its devices) exactly once.
import type { CallRecord, Store } from '../store/types';
import type { CallService } from './call-service';

/** Identifies one device of one user across nodes. */
export const deviceKey = (userId: string, deviceId: string): string => `${userId}\n${deviceId}`;

export interface CallSweeperOptions {
  store: Store;
  calls: CallService;
  /** Every device connected to any node right now; rejects when that cannot be known (then no call is ended for it). */
  connectedDevices: () => Promise<ReadonlySet<string>>;
  intervalMs: number;
  onError: (error: unknown) => void;
  now?: () => number;
}

export interface SweepResult {
  /** Rings past their deadline, now missed. */
  missed: number;
  /** Connected calls whose party's device was found gone: their grace period started. */
  graceStarted: number;
  /** Connected calls whose devices are all back: their grace period stopped. */
  graceStopped: number;
  /** Connected calls still missing a device at their grace deadline, now ended (connection_lost). */
  lost: number;
}

/** The devices a connected call needs: the caller's that placed it and the callee's that answered it. */
function boundDevices(call: CallRecord): string[] {
  return [deviceKey(call.callerId, call.callerDevice), ...(call.calleeDevice ? [deviceKey(call.calleeId, call.calleeDevice)] : [])];
}

export class CallSweeper {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly options: CallSweeperOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Sweeps now (a restarted node gives the calls it finds their deadlines) and then every interval. */
  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops sweeping, after the sweep in progress (if any) is done. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    // A slow sweep (a dependency down) is not stacked upon by the next one.
    if (this.running) return;
    this.running = this.sweep()
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => (this.running = undefined));
  }

  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { missed: 0, graceStarted: 0, graceStopped: 0, lost: 0 };
    const now = this.now();
    const live = await this.options.store.listActiveCalls();
    const { calls } = this.options;
    // Rings first: they need only the database, so they end even while presence is unknown.
    for (const call of live) {
      if (call.status === 'ringing' && call.ringDeadline !== null && call.ringDeadline <= now) {
        if (await calls.endBySystem(call.id, 'timeout')) result.missed++;
      }
    }
    const connected = live.filter((call) => call.status === 'connected');
    if (!connected.length) return result;
    const online = await this.options.connectedDevices();
    for (const call of connected) {
      const gone = boundDevices(call).some((device) => !online.has(device));
      if (!gone) {
        if (call.graceDeadline !== null && (await this.options.store.updateCallIf(call.id, 'connected', { graceDeadline: null }))) result.graceStopped++;
      } else if (call.graceDeadline === null) {
        if (await calls.startGrace(call.id)) result.graceStarted++;
      } else if (call.graceDeadline <= now) {
        // Only while the deadline still stands: a device that came back meanwhile cleared it.
        if (await calls.endBySystem(call.id, 'connection_lost', { graceDueBy: now })) result.lost++;
      }
    }
    return result;
  }
}
