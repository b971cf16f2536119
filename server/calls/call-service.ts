// The rules a call follows (docs/protocol.md, "Socket.IO"), independent of Socket.IO:
// identities come in already authenticated, events go out through a notifier.
import { randomUUID } from 'node:crypto';
import type { CallType, ServerToClientEvents, WireError } from '../../src-shared/protocol';
import { MAX_SIGNAL_BYTES } from '../../src-shared/protocol';
import { CallInProgressError, NotPairedError, type CallRecord, type GraceGuard, type Store } from '../store/types';
import { CallBindings } from './call-bindings';
import { isLive, outcomeOf, transition, type CallAction, type CallRole } from './call-lifecycle';
import { toMarkedWireCall, toWireCall, toWireUser } from './call-wire';
import type { EndFaultPoint } from './end-fault';

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export interface Actor {
  userId: string;
  deviceId: string;
}

type EventArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Where events go: every device of a user, or one device. */
export interface Notifier {
  toUser<E extends keyof ServerToClientEvents>(userId: string, event: E, payload: EventArgs<E>, exceptDevice?: string): void;
  toDevice<E extends keyof ServerToClientEvents>(userId: string, deviceId: string, event: E, payload: EventArgs<E>): void;
}

/** Who is connected right now (across every node). */
export interface PresenceSource {
  isUserOnline(userId: string): Promise<boolean>;
  isDeviceOnline(userId: string, deviceId: string): Promise<boolean>;
}

export interface CallServiceOptions {
  store: Store;
  notifier: Notifier;
  presence: PresenceSource;
  ringTimeoutMs: number;
  callGraceMs: number;
  now?: () => number;
  /** Told after a call ends, whatever ended it (the recording stops with it). */
  onEnded?: (call: CallRecord) => Promise<void>;
  /** Where failures of timer-driven work go (they have no caller to answer). */
  onError?: (error: unknown) => void;
  /** Which of these calls were recorded, so the final record in call:ended carries the history's mark. */
  recordedAmong?: (callIds: readonly string[]) => Promise<ReadonlySet<string>>;
  /** How long after an end its outbox entry becomes due for a sweep's re-send (default 5000 ms). */
  endResendMs?: number;
  /** Chaos tests only (end-fault.ts): called at each point of ending a call. */
  faultPoint?: (point: EndFaultPoint) => void;
}

const fail = (code: WireError['code'], message: string, callId?: string): { ok: false; error: WireError } => ({
  ok: false,
  error: callId === undefined ? { code, message } : { code, message, callId },
});

export const roleOf = (call: CallRecord, userId: string): CallRole | null =>
  call.callerId === userId ? 'caller' : call.calleeId === userId ? 'callee' : null;

export const boundDevice = (call: CallRecord, role: CallRole): string | null =>
  role === 'caller' ? call.callerDevice : role === 'callee' ? call.calleeDevice : null;

export class CallService {
  private readonly store: Store;
  private readonly notifier: Notifier;
  private readonly presence: PresenceSource;
  private readonly now: () => number;
  /** Answered calls' devices, so relaying a signal costs no database read. */
  private readonly bindings = new CallBindings(5000);
  private accepting = true;

  constructor(private readonly options: CallServiceOptions) {
    this.store = options.store;
    this.notifier = options.notifier;
    this.presence = options.presence;
    this.now = options.now ?? Date.now;
  }

  // ------------------------------------------------------------ client actions

  async start(actor: Actor, type: CallType): Promise<Result<{ callId: string }>> {
    if (!this.accepting) return fail('SHUTTING_DOWN', 'the server is restarting; try again in a moment');
    const caller = await this.store.findUserById(actor.userId);
    if (!caller?.partnerId) return fail('NOT_PAIRED', 'pair with your partner before calling');
    const partner = await this.store.findUserById(caller.partnerId);
    if (!partner) return fail('NOT_PAIRED', 'pair with your partner before calling');

    const existing = await this.store.findActiveCall(actor.userId);
    if (existing) return fail('CALL_IN_PROGRESS', 'you two already have a call going', existing.id);

    const now = this.now();
    const base: CallRecord = {
      id: randomUUID(),
      callerId: caller.id,
      calleeId: partner.id,
      type,
      status: 'ringing',
      createdAt: now,
      answeredAt: null,
      endedAt: null,
      durationSec: 0,
      endReason: null,
      callerDevice: actor.deviceId,
      calleeDevice: null,
      mediaAt: null,
      // Deadlines live in the row: any node's sweep (call-sweeper.ts) ends the call when one passes.
      ringDeadline: now + this.options.ringTimeoutMs,
      graceDeadline: null,
    };

    let call: CallRecord;
    try {
      if (!(await this.presence.isUserOnline(partner.id))) {
        // Logged as missed so the partner finds it in their history when they come back.
        const missed = await this.store.createCall({ ...base, status: 'missed', endedAt: now, endReason: 'partner_offline' });
        return fail('PARTNER_OFFLINE', `${partner.displayName} is offline; they will see your missed call`, missed.id);
      }
      call = await this.store.createCall(base);
    } catch (error) {
      if (error instanceof CallInProgressError) return fail('CALL_IN_PROGRESS', 'you two already have a call going', error.existingCallId);
      // The couple unpaired meanwhile (perhaps on another node): nothing was written.
      if (error instanceof NotPairedError) return fail('NOT_PAIRED', 'pair with your partner before calling');
      throw error;
    }

    this.notifier.toUser(partner.id, 'call:incoming', { call: toWireCall(call), from: toWireUser(caller), expiresAt: this.ringExpiresAt(call) });
    // Both are online (one is calling, the other's devices ring) and now in a call.
    this.tellPartner(caller.id, partner.id, { online: true, inCall: true });
    this.tellPartner(partner.id, caller.id, { online: true, inCall: true });
    return { ok: true, value: { callId: call.id } };
  }

  async accept(actor: Actor, callId: string): Promise<Result<object>> {
    const found = await this.findOwnCall(actor, callId);
    if (!found.ok) return found;
    const { call, role } = found.value;
    const step = transition(call.status, 'accept', role);
    if (!step.ok) return fail(step.code, step.message, call.id);
    if (!(await this.stillPartners(call))) return fail('NOT_PAIRED', 'you are no longer paired', call.id);

    // Keyed on the pairing too: an unpair landing between the check above and this write wins.
    const answered = await this.store.updateCallIf(
      call.id,
      'ringing',
      { status: 'connected', answeredAt: this.now(), calleeDevice: actor.deviceId },
      { whilePaired: true },
    );
    if (!answered) return fail('INVALID_STATE', 'the call was answered or ended meanwhile', call.id);

    this.notifier.toUser(call.callerId, 'call:accepted', { callId: call.id });
    this.notifier.toUser(
      call.calleeId,
      'call:ended',
      { callId: call.id, status: 'connected', reason: 'answered_elsewhere', call: toWireCall(answered) },
      actor.deviceId,
    );
    // The caller's device may have gone while it rang: watch it from now on.
    await this.watchDevice(answered, 'caller');
    return { ok: true, value: {} };
  }

  async decline(actor: Actor, callId: string): Promise<Result<object>> {
    return this.endByParty(actor, callId, 'decline');
  }

  /** `connection_lost`: the device's media connection stayed down past the reconnect deadline (only a connected call ends so). */
  async hangup(actor: Actor, callId: string, reason?: 'connection_lost'): Promise<Result<object>> {
    return this.endByParty(actor, callId, reason ?? 'hangup');
  }

  /** A callee's device has the ring: the caller's devices show "Ringing…". */
  async ringing(actor: Actor, callId: string): Promise<Result<object>> {
    const found = await this.findOwnCall(actor, callId);
    if (!found.ok) return found;
    const { call, role } = found.value;
    if (role !== 'callee') return fail('NOT_ALLOWED', 'only the callee rings', call.id);
    if (call.status !== 'ringing') return fail('INVALID_STATE', 'the call is not ringing', call.id);
    this.notifier.toUser(call.callerId, 'call:ringing', { callId: call.id });
    return { ok: true, value: {} };
  }

  /** The answering pair's media flows: from now on the call counts as having happened. */
  async media(actor: Actor, callId: string): Promise<Result<object>> {
    const found = await this.findOwnCall(actor, callId);
    if (!found.ok) return found;
    const { call, role } = found.value;
    if (call.status !== 'connected') return fail('INVALID_STATE', 'media flows only in an answered call', call.id);
    if (boundDevice(call, role) !== actor.deviceId) return fail('NOT_ALLOWED', 'this call is on another of your devices', call.id);
    if (call.mediaAt !== null) return { ok: true, value: {} }; // the other device said it first
    await this.store.updateCallIf(call.id, 'connected', { mediaAt: this.now() });
    return { ok: true, value: {} };
  }

  async signal(actor: Actor, callId: string, data: Record<string, unknown>): Promise<Result<object>> {
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_SIGNAL_BYTES) {
      return fail('PAYLOAD_TOO_LARGE', `signal data is limited to ${MAX_SIGNAL_BYTES} bytes`, callId);
    }
    const found = await this.findOwnCall(actor, callId, () => this.bindings.get(callId, () => this.store.getCall(callId)));
    if (!found.ok) return found;
    const { call, role } = found.value;
    if (call.status !== 'connected') return fail('INVALID_STATE', 'signals flow only in an answered call', call.id);
    if (boundDevice(call, role) !== actor.deviceId) return fail('NOT_ALLOWED', 'this call is on another of your devices', call.id);
    if (!(await this.stillPartners(call))) return fail('NOT_PAIRED', 'you are no longer paired', call.id);

    const other: CallRole = role === 'caller' ? 'callee' : 'caller';
    const otherUser = other === 'caller' ? call.callerId : call.calleeId;
    const otherDevice = boundDevice(call, other);
    if (otherDevice) this.notifier.toDevice(otherUser, otherDevice, 'call:signal', { callId: call.id, data });
    return { ok: true, value: {} };
  }

  // ------------------------------------------------------------ connection events

  /** A device has no sockets left: a live call bound to it ends unless it returns within the grace period. */
  async deviceGone(userId: string, deviceId: string): Promise<void> {
    const call = await this.store.findActiveCall(userId);
    if (!call) return;
    const role = roleOf(call, userId);
    if (role && boundDevice(call, role) === deviceId) await this.watchDevice(call, role);
  }

  /** A device (re)connected, to this node or another: its call's grace deadline no longer runs. */
  async deviceBack(userId: string, deviceId: string): Promise<void> {
    const call = await this.store.findActiveCall(userId);
    const role = call && roleOf(call, userId);
    if (!call || !role || call.graceDeadline === null || boundDevice(call, role) !== deviceId) return;
    // The other party's device may be the one that is gone; the sweep sets the deadline again if so.
    await this.store.updateCallIf(call.id, 'connected', { graceDeadline: null });
  }

  /** Calls still ringing for this user, for a device that connects while they ring. */
  async ringingFor(userId: string): Promise<CallRecord | undefined> {
    const call = await this.store.findActiveCall(userId);
    return call && call.status === 'ringing' && call.calleeId === userId ? call : undefined;
  }

  ringExpiresAt(call: CallRecord): string {
    return new Date(call.ringDeadline ?? call.createdAt + this.options.ringTimeoutMs).toISOString();
  }

  async isInCall(userId: string): Promise<boolean> {
    return (await this.store.findActiveCall(userId)) !== undefined;
  }

  // ------------------------------------------------------------ lifecycle of the server

  /** Ends the couple's live call when they unpair. */
  async endForUnpair(userId: string): Promise<void> {
    const call = await this.store.findActiveCall(userId);
    if (call) await this.endBySystem(call.id, 'unpaired');
  }

  /**
   * Stops taking calls. A lone node ends its live calls, telling both sides; one of
   * several leaves them to the devices' reconnection and the other nodes' sweep.
   */
  /**
   * Stops taking calls. A lone node also ends its rings (nobody else would answer them
   * sooner than the sweep after its restart); answered calls are never ended here: their
   * media is peer to peer, and the sweep gives their devices the grace period to re-attach.
   */
  async shutdown(options: { endRings: boolean }): Promise<void> {
    this.accepting = false;
    if (!options.endRings) return;
    for (const call of await this.store.listActiveCalls()) if (call.status === 'ringing') await this.endBySystem(call.id, 'shutdown');
  }

  // ------------------------------------------------------------ internals

  private async findOwnCall(
    actor: Actor,
    callId: string,
    load: () => Promise<CallRecord | undefined> = () => this.store.getCall(callId),
  ): Promise<Result<{ call: CallRecord; role: CallRole }>> {
    const call = await load();
    const role = call && roleOf(call, actor.userId);
    // A stranger learns nothing, not even that the call exists.
    if (!call || !role) return fail('CALL_NOT_FOUND', 'no such call');
    return { ok: true, value: { call, role } };
  }

  /** With several nodes an unpair can land anywhere: media is relayed only between current partners. */
  private async stillPartners(call: CallRecord): Promise<boolean> {
    return (await this.store.findUserById(call.callerId))?.partnerId === call.calleeId;
  }

  private async endByParty(actor: Actor, callId: string, asked: 'decline' | 'hangup' | 'connection_lost'): Promise<Result<object>> {
    const found = await this.findOwnCall(actor, callId);
    if (!found.ok) return found;
    const { call, role } = found.value;
    // A call that never connected cannot lose its connection: that is a hang-up.
    const action = asked === 'connection_lost' && call.status !== 'connected' ? 'hangup' : asked;
    if (call.status === 'connected' && boundDevice(call, role) !== actor.deviceId) {
      return fail('NOT_ALLOWED', 'this call is on another of your devices', call.id);
    }
    const ended = await this.finish(call, action, role);
    return ended ? { ok: true, value: {} } : fail('INVALID_STATE', 'the call has already ended', call.id);
  }

  /** Ends a live call for a reason nobody pressed; `guard` makes it conditional on the grace deadline too. */
  async endBySystem(callId: string, action: Exclude<CallAction, 'accept' | 'decline' | 'hangup'>, guard?: GraceGuard): Promise<boolean> {
    const call = await this.store.getCall(callId);
    return call !== undefined && isLive(call.status) && (await this.finish(call, action, 'system', guard));
  }

  /**
   * Applies a transition and tells both sides; false when the call had moved on already.
   * The end and its outbox entry are one write; the entry goes once both sides were told,
   * and a sweep re-sends the end if this node dies before that (resendEnd).
   */
  private async finish(call: CallRecord, action: CallAction, role: CallRole, guard?: GraceGuard): Promise<boolean> {
    const step = transition(call.status, action, role);
    if (!step.ok || step.status === 'connected') return false;
    const endedAt = this.now();
    const outcome = outcomeOf(call, { status: step.status, reason: step.reason ?? 'hangup' }, endedAt);
    const ended = await this.store.updateCallIf(call.id, call.status, {
      status: outcome.status,
      endedAt,
      durationSec: outcome.durationSec,
      endReason: outcome.reason,
      graceDeadline: null,
    }, { ...(guard && { grace: guard }), endNotice: { dueAt: endedAt + (this.options.endResendMs ?? 5000) } });
    if (!ended) return false;
    this.options.faultPoint?.('end-written');
    this.bindings.forget(call.id);
    // The end first: the partner's screen must not wait for the presence lookups across nodes.
    await this.tellEnded(ended);
    const online = await Promise.all([this.presence.isUserOnline(call.callerId), this.presence.isUserOnline(call.calleeId)]).catch((error: unknown) => {
      this.options.onError?.(error);
      return undefined;
    });
    // Presence unknown (Redis down): the entry stays, and the sweep's re-send brings it.
    if (!online) return true;
    // One partner, one live call: neither is in a call any more.
    this.tellPartner(call.callerId, call.calleeId, { online: online[0], inCall: false });
    this.tellPartner(call.calleeId, call.callerId, { online: online[1], inCall: false });
    this.options.faultPoint?.('end-published');
    // Not confirming only costs a repeat (which devices ignore), not the end itself.
    await this.store.endOutbox.remove(call.id).catch((error: unknown) => this.options.onError?.(error));
    return true;
  }

  /**
   * Re-sends an end whose publisher did not confirm it (a sweep claimed its outbox entry):
   * call:ended again, and each partner's presence as it is now (a new call may have started).
   * A device that was told already ignores the repeat (its call has ended; see callReducer).
   */
  async resendEnd(callId: string): Promise<void> {
    const call = await this.store.getCall(callId);
    if (call && !isLive(call.status)) {
      await this.tellEnded(call);
      await this.announcePresence(call.callerId, call.calleeId);
    }
    await this.store.endOutbox.remove(callId);
  }

  /** call:ended to every device of both parties, and the recording stops with the call. */
  private async tellEnded(ended: CallRecord): Promise<void> {
    // The recording's failure must not undo the end (and stopping a stopped one changes nothing).
    this.options.onEnded?.(ended).catch((error: unknown) => this.options.onError?.(error));
    const recorded = (await this.options.recordedAmong?.([ended.id]).catch(() => undefined)) ?? new Set<string>();
    const event = { callId: ended.id, status: ended.status, reason: ended.endReason ?? 'hangup', call: toMarkedWireCall(ended, recorded) } as const;
    this.notifier.toUser(ended.callerId, 'call:ended', event);
    this.notifier.toUser(ended.calleeId, 'call:ended', event);
  }

  /** Starts the grace period of a party whose bound device is gone (kept in the row, so any node ends it). */
  private async watchDevice(call: CallRecord, role: CallRole): Promise<void> {
    const deviceId = boundDevice(call, role);
    const userId = role === 'caller' ? call.callerId : call.calleeId;
    if (!deviceId || (await this.presence.isDeviceOnline(userId, deviceId))) return;
    await this.startGrace(call.id);
  }

  /** Sets the call's grace deadline unless one already runs; true when this set it. */
  async startGrace(callId: string): Promise<boolean> {
    const deadline = this.now() + this.options.callGraceMs;
    return (await this.store.updateCallIf(callId, 'connected', { graceDeadline: deadline }, { grace: { graceUnset: true } })) !== undefined;
  }

  /** Each partner sees the other's presence; "in a call" changes when a call starts or ends. */
  async announcePresence(...userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      const user = await this.store.findUserById(userId);
      if (!user?.partnerId) continue;
      this.tellPartner(userId, user.partnerId, { online: await this.presence.isUserOnline(userId), inCall: await this.isInCall(userId) });
    }
  }

  private tellPartner(userId: string, partnerId: string, state: { online: boolean; inCall: boolean }): void {
    this.notifier.toUser(partnerId, 'presence', { userId, ...state });
  }
}
