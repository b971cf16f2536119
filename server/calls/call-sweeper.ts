// The call timers, kept durable: ring and grace deadlines live in the call's row
// and every node sweeps them on an interval, so whichever node survives ends a
// call whose timer ran out. Each end is a conditional update, so two nodes
// sweeping the same call at once end it (and tell its devices) exactly once.
// The sweep also re-sends ends whose publishing node died before confirming
// them (the outbox of ends, end-outbox-store.ts).
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
  /** How long a claimed outbox entry is this node's to re-send before another sweep may claim it. */
  resendLeaseMs?: number;
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
  /** Ends re-sent because the node that wrote them did not confirm telling the devices. */
  resent: number;
}

/** Entries one sweep re-sends at most (the rest wait for the next sweep). */
const RESEND_BATCH = 100;
/** After this many claims an entry is given up (logged): the devices find the end in their history. */
const MAX_RESENDS = 10;

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

  /**
   * One pass. The calls are independent, so each one's work runs side by side (a slow
   * presence lookup for one end does not hold the others back) and one call's error
   * is reported without stopping the rest.
   */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { missed: 0, graceStarted: 0, graceStopped: 0, lost: 0, resent: 0 };
    const now = this.now();
    const { calls, store } = this.options;
    const each = async <T>(items: readonly T[], work: (item: T) => Promise<keyof SweepResult | null>): Promise<void> => {
      const outcomes = await Promise.allSettled(items.map(work));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') this.options.onError(outcome.reason);
        else if (outcome.value) result[outcome.value]++;
      }
    };
    // Ends first, then rings: both need only the database, so they happen even while presence is unknown.
    const lease = this.options.resendLeaseMs ?? 5000;
    await each(await store.endOutbox.claimDue(now, now + lease, RESEND_BATCH), async ({ callId, attempts }) => {
      if (attempts > MAX_RESENDS) {
        await store.endOutbox.remove(callId);
        throw new Error(`gave up re-sending the end of call ${callId} after ${MAX_RESENDS} tries`);
      }
      await calls.resendEnd(callId);
      return 'resent';
    });
    const live = await store.listActiveCalls();
    const dueRings = live.filter((call) => call.status === 'ringing' && call.ringDeadline !== null && call.ringDeadline <= now);
    await each(dueRings, async (call) => ((await calls.endBySystem(call.id, 'timeout')) ? 'missed' : null));
    const connected = live.filter((call) => call.status === 'connected');
    if (!connected.length) return result;
    const online = await this.options.connectedDevices();
    await each(connected, async (call) => {
      const gone = boundDevices(call).some((device) => !online.has(device));
      if (!gone) {
        return call.graceDeadline !== null && (await store.updateCallIf(call.id, 'connected', { graceDeadline: null })) ? 'graceStopped' : null;
      }
      if (call.graceDeadline === null) return (await calls.startGrace(call.id)) ? 'graceStarted' : null;
      // Only while the deadline still stands: a device that came back meanwhile cleared it.
      if (call.graceDeadline <= now) return (await calls.endBySystem(call.id, 'connection_lost', { graceDueBy: now })) ? 'lost' : null;
      return null;
    });
    return result;
  }
}
