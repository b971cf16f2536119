// The rules a call follows (DESIGN.md "Signaling"), independent of Socket.IO:
// identities come in already authenticated, events go out through a notifier.
import { randomUUID } from 'node:crypto';
import type { CallType, EndReason, ServerToClientEvents, WireError } from '../../src-shared/protocol';
import { MAX_SIGNAL_BYTES } from '../../src-shared/protocol';
import { CallInProgressError, type CallRecord, type Store } from '../store/types';
import { durationSec, isLive, transition, type CallAction, type CallRole } from './call-lifecycle';
import { toWireCall, toWireUser } from './call-wire';

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
  /** Where failures of timer-driven work go (they have no caller to answer). */
  onError?: (error: unknown) => void;
}

const fail = (code: WireError['code'], message: string, callId?: string): { ok: false; error: WireError } => ({
  ok: false,
  error: callId === undefined ? { code, message } : { code, message, callId },
});

const roleOf = (call: CallRecord, userId: string): CallRole | null =>
  call.callerId === userId ? 'caller' : call.calleeId === userId ? 'callee' : null;

const boundDevice = (call: CallRecord, role: CallRole): string | null =>
  role === 'caller' ? call.callerDevice : role === 'callee' ? call.calleeDevice : null;

export class CallService {
  private readonly store: Store;
  private readonly notifier: Notifier;
  private readonly presence: PresenceSource;
  private readonly now: () => number;
  private readonly ringTimers = new Map<string, NodeJS.Timeout>();
  /** Keyed `${callId}:${userId}`: a party whose device vanished mid-call. */
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
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
    };

    if (!(await this.presence.isUserOnline(partner.id))) {
      // Logged as missed so the partner finds it in their history when they come back.
      const missed = await this.store.createCall({ ...base, status: 'missed', endedAt: now, endReason: 'partner_offline' });
      return fail('PARTNER_OFFLINE', `${partner.displayName} is offline; they will see your missed call`, missed.id);
    }

    let call: CallRecord;
    try {
      call = await this.store.createCall(base);
    } catch (error) {
      if (error instanceof CallInProgressError) return fail('CALL_IN_PROGRESS', 'you two already have a call going', error.existingCallId);
      throw error;
    }

    const expiresAt = new Date(now + this.options.ringTimeoutMs).toISOString();
    this.notifier.toUser(partner.id, 'call:incoming', { call: toWireCall(call), from: toWireUser(caller), expiresAt });
    this.ringTimers.set(
      call.id,
      setTimeout(() => this.inBackground(this.endBySystem(call.id, 'timeout')), this.options.ringTimeoutMs),
    );
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

    const answered = await this.store.updateCallIf(call.id, 'ringing', {
      status: 'connected',
      answeredAt: this.now(),
      calleeDevice: actor.deviceId,
    });
    if (!answered) return fail('INVALID_STATE', 'the call was answered or ended meanwhile', call.id);

    this.clearRingTimer(call.id);
    this.notifier.toUser(call.callerId, 'call:accepted', { callId: call.id });
    this.notifier.toUser(call.calleeId, 'call:ended', { callId: call.id, status: 'connected', reason: 'answered_elsewhere' }, actor.deviceId);
    // The caller's device may have gone while it rang: watch it from now on.
    await this.watchDevice(answered, 'caller');
    return { ok: true, value: {} };
  }

  async decline(actor: Actor, callId: string): Promise<Result<object>> {
    return this.endByParty(actor, callId, 'decline');
  }

  async hangup(actor: Actor, callId: string): Promise<Result<object>> {
    return this.endByParty(actor, callId, 'hangup');
  }

  async signal(actor: Actor, callId: string, data: Record<string, unknown>): Promise<Result<object>> {
    if (Buffer.byteLength(JSON.stringify(data)) > MAX_SIGNAL_BYTES) {
      return fail('PAYLOAD_TOO_LARGE', `signal data is limited to ${MAX_SIGNAL_BYTES} bytes`, callId);
    }
    const found = await this.findOwnCall(actor, callId);
    if (!found.ok) return found;
    const { call, role } = found.value;
    if (call.status !== 'connected') return fail('INVALID_STATE', 'signals flow only in an answered call', call.id);
    if (boundDevice(call, role) !== actor.deviceId) return fail('NOT_ALLOWED', 'this call is on another of your devices', call.id);

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

  /** A device (re)connected: cancel its grace timer. */
  deviceBack(userId: string, deviceId: string): void {
    for (const [key, timer] of this.graceTimers) {
      if (key.endsWith(`:${userId}:${deviceId}`)) {
        clearTimeout(timer);
        this.graceTimers.delete(key);
      }
    }
  }

  /** Calls still ringing for this user, for a device that connects while they ring. */
  async ringingFor(userId: string): Promise<CallRecord | undefined> {
    const call = await this.store.findActiveCall(userId);
    return call && call.status === 'ringing' && call.calleeId === userId ? call : undefined;
  }

  ringExpiresAt(call: CallRecord): string {
    return new Date(call.createdAt + this.options.ringTimeoutMs).toISOString();
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
   * After a restart: rings a previous process left open are closed (their ring timer died
   * with it). Answered calls keep going (their media is peer to peer): their devices get
   * the grace period to reconnect, as after any dropped connection.
   */
  async recoverAfterRestart(): Promise<number> {
    let closed = 0;
    for (const call of await this.store.listActiveCalls()) {
      if (call.status === 'ringing') {
        await this.endBySystem(call.id, 'server_restart');
        closed++;
      } else {
        for (const role of ['caller', 'callee'] as const) await this.watchDevice(call, role);
      }
    }
    return closed;
  }

  /**
   * With several nodes, another node's live calls are not stale; only rings past
   * their expiry are (their timer died with the node that placed them).
   */
  async closeExpiredRings(): Promise<number> {
    const deadline = this.now() - this.options.ringTimeoutMs;
    const expired = (await this.store.listActiveCalls()).filter((call) => call.status === 'ringing' && call.createdAt <= deadline);
    for (const call of expired) await this.endBySystem(call.id, 'timeout');
    return expired.length;
  }

  /**
   * Stops taking calls and ends the rings, telling both sides. Answered calls are left to
   * the next start (recoverAfterRestart): a restart must not cut a conversation.
   */
  async shutdown(): Promise<void> {
    this.accepting = false;
    for (const call of await this.store.listActiveCalls()) if (call.status === 'ringing') await this.endBySystem(call.id, 'shutdown');
    for (const timer of [...this.ringTimers.values(), ...this.graceTimers.values()]) clearTimeout(timer);
    this.ringTimers.clear();
    this.graceTimers.clear();
  }

  // ------------------------------------------------------------ internals

  private async findOwnCall(actor: Actor, callId: string): Promise<Result<{ call: CallRecord; role: CallRole }>> {
    const call = await this.store.getCall(callId);
    const role = call && roleOf(call, actor.userId);
    // A stranger learns nothing, not even that the call exists.
    if (!call || !role) return fail('CALL_NOT_FOUND', 'no such call');
    return { ok: true, value: { call, role } };
  }

  private async endByParty(actor: Actor, callId: string, action: 'decline' | 'hangup'): Promise<Result<object>> {
    const found = await this.findOwnCall(actor, callId);
    if (!found.ok) return found;
    const { call, role } = found.value;
    if (call.status === 'connected' && boundDevice(call, role) !== actor.deviceId) {
      return fail('NOT_ALLOWED', 'this call is on another of your devices', call.id);
    }
    const ended = await this.finish(call, action, role);
    return ended ? { ok: true, value: {} } : fail('INVALID_STATE', 'the call has already ended', call.id);
  }

  private async endBySystem(callId: string, action: Exclude<CallAction, 'accept' | 'decline' | 'hangup'>): Promise<void> {
    const call = await this.store.getCall(callId);
    if (call && isLive(call.status)) await this.finish(call, action, 'system');
  }

  /** Applies a transition and tells both sides; false when the call had moved on already. */
  private async finish(call: CallRecord, action: CallAction, role: CallRole): Promise<boolean> {
    const step = transition(call.status, action, role);
    if (!step.ok || step.status === 'connected') return false;
    const endedAt = this.now();
    const reason: EndReason = step.reason ?? 'hangup';
    const ended = await this.store.updateCallIf(call.id, call.status, {
      status: step.status,
      endedAt,
      durationSec: durationSec(call.answeredAt, endedAt),
      endReason: reason,
    });
    if (!ended) return false;
    this.clearTimers(call.id);
    const event = { callId: call.id, status: ended.status, reason };
    this.notifier.toUser(call.callerId, 'call:ended', event);
    this.notifier.toUser(call.calleeId, 'call:ended', event);
    // One partner, one live call: neither is in a call any more.
    this.tellPartner(call.callerId, call.calleeId, { online: await this.presence.isUserOnline(call.callerId), inCall: false });
    this.tellPartner(call.calleeId, call.callerId, { online: await this.presence.isUserOnline(call.calleeId), inCall: false });
    return true;
  }

  private async watchDevice(call: CallRecord, role: CallRole): Promise<void> {
    const deviceId = boundDevice(call, role);
    const userId = role === 'caller' ? call.callerId : call.calleeId;
    if (!deviceId || (await this.presence.isDeviceOnline(userId, deviceId))) return;
    const key = `${call.id}:${userId}:${deviceId}`;
    if (this.graceTimers.has(key)) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(key);
      this.inBackground(
        this.presence.isDeviceOnline(userId, deviceId).then((online) => (online ? undefined : this.endBySystem(call.id, 'connection_lost'))),
      );
    }, this.options.callGraceMs);
    this.graceTimers.set(key, timer);
  }

  private inBackground(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.options.onError?.(error));
  }

  private clearRingTimer(callId: string): void {
    clearTimeout(this.ringTimers.get(callId));
    this.ringTimers.delete(callId);
  }

  private clearTimers(callId: string): void {
    this.clearRingTimer(callId);
    for (const [key, timer] of this.graceTimers) {
      if (key.startsWith(`${callId}:`)) {
        clearTimeout(timer);
        this.graceTimers.delete(key);
      }
    }
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
