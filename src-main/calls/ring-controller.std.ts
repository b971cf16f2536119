// Drives the ring window, the incoming-call notification and the ringtone (played by
// the ring window) from the call presence. All of it stops together: answered here or
// elsewhere, declined, canceled, missed, expired, or do not disturb switched on.
import type { CallPresence } from '../../src-shared/ipc';
import { decideRing, type RingRequest } from './ring-policy.std';

export interface RingWindowLike {
  /** Show without taking focus, with the call's details; the page plays the ringtone. */
  show(call: RingRequest): void;
  close(): void;
}

export interface NotificationHandle {
  close(): void;
}

export interface RingControllerDeps {
  ringWindow: RingWindowLike;
  notifyIncoming(call: RingRequest): NotificationHandle | null;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  log(message: string): void;
}

export class RingController {
  private ringing: { call: RingRequest; notification: NotificationHandle | null; timer: unknown } | null = null;
  private lastPresence: CallPresence = { kind: 'idle' };

  constructor(private readonly deps: RingControllerDeps) {}

  get ringingCallId(): string | null {
    return this.ringing?.call.callId ?? null;
  }

  setPresence(presence: CallPresence, doNotDisturb: boolean): void {
    this.lastPresence = presence;
    for (let step = 0; step < 2; step += 1) {
      const decision = decideRing(this.ringingCallId, presence, { doNotDisturb, now: this.deps.now() });
      switch (decision.kind) {
        case 'ring':
          this.start(decision.call);
          return;
        case 'stop':
          this.stop(decision.reason);
          // 'superseded': decide again for the new call.
          if (decision.reason !== 'superseded') return;
          break;
        case 'suppress':
          this.deps.log(`call ${decision.callId}: not ringing (do not disturb); it is still logged`);
          return;
        case 'ignore':
          this.deps.log(`call ${decision.callId}: not ringing (${decision.reason})`);
          return;
        case 'none':
          return;
      }
    }
  }

  /** Do not disturb switched on while ringing: silence at once. */
  setDoNotDisturb(doNotDisturb: boolean): void {
    if (doNotDisturb && this.ringing) this.stop('do-not-disturb');
  }

  stop(reason: string): void {
    const ringing = this.ringing;
    if (!ringing) return;
    this.ringing = null;
    this.deps.clearTimeout(ringing.timer);
    ringing.notification?.close();
    this.deps.ringWindow.close();
    this.deps.log(`call ${ringing.call.callId}: ringing stopped (${reason})`);
  }

  get presence(): CallPresence {
    return this.lastPresence;
  }

  private start(call: RingRequest): void {
    const remaining = Math.max(0, Date.parse(call.expiresAt) - this.deps.now());
    // Whatever the renderer reports, the ring ends when the server's ring time does.
    const timer = this.deps.setTimeout(() => {
      if (this.ringing?.call.callId === call.callId) this.stop('expired');
    }, remaining);
    this.ringing = { call, notification: null, timer };
    this.deps.ringWindow.show(call);
    this.ringing.notification = this.deps.notifyIncoming(call);
  }
}
