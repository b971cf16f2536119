// Drives the ring window, the incoming-call notification and the ringtone (played by
// the ring window) from the call presence. All of it stops together: answered here or
// elsewhere, declined, canceled, missed, expired, or do not disturb switched on.
// It also owns ring expiry in the desktop app: at the server's expiresAt (rung or
// silenced by do not disturb alike) it stops and tells the renderer (onExpired).
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
  /** The ring time of an incoming call ran out (the renderer then leaves the ring). */
  onExpired(callId: string): void;
  log(message: string): void;
}

export class RingController {
  private ringing: { call: RingRequest; notification: NotificationHandle | null } | null = null;
  /** The incoming call whose ring time is being watched. */
  private expiry: { callId: string; timer: unknown } | null = null;
  private lastPresence: CallPresence = { kind: 'idle' };

  constructor(private readonly deps: RingControllerDeps) {}

  get ringingCallId(): string | null {
    return this.ringing?.call.callId ?? null;
  }

  setPresence(presence: CallPresence, doNotDisturb: boolean): void {
    this.lastPresence = presence;
    this.watchExpiry(presence);
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
    ringing.notification?.close();
    this.deps.ringWindow.close();
    this.deps.log(`call ${ringing.call.callId}: ringing stopped (${reason})`);
  }

  get presence(): CallPresence {
    return this.lastPresence;
  }

  /** Whatever the renderer reports, the ring ends when the server's ring time does. */
  private watchExpiry(presence: CallPresence): void {
    const watching = this.expiry;
    if (presence.kind === 'incoming' && watching?.callId === presence.callId) return;
    if (watching) {
      this.deps.clearTimeout(watching.timer);
      this.expiry = null;
    }
    if (presence.kind !== 'incoming') return;
    const expiresAt = Date.parse(presence.expiresAt);
    if (!Number.isFinite(expiresAt) || expiresAt <= this.deps.now()) return; // decideRing ignores it
    const { callId } = presence;
    const timer = this.deps.setTimeout(() => {
      if (this.expiry?.callId !== callId) return;
      this.expiry = null;
      this.stop('expired');
      this.deps.onExpired(callId);
    }, expiresAt - this.deps.now());
    this.expiry = { callId, timer };
  }

  private start(call: RingRequest): void {
    this.ringing = { call, notification: null };
    this.deps.ringWindow.show(call);
    this.ringing.notification = this.deps.notifyIncoming(call);
  }
}
