// Applies the two-key consent rules to live calls: checks which device may act,
// keeps the consent log, tells both bound devices, lapses unanswered requests,
// pauses while a bound device is gone, and stops with the call. Media never
// reaches the server; each device records what it plays.
import type { WireError } from '../../src-shared/protocol';
import {
  RECORDING_REQUEST_TTL_MS,
  applyRecordingEvent,
  decideRecording,
  recordingStatusOf,
  toRecordingStateEvent,
  type RecordingCommand,
  type RecordingFailure,
  type RecordingStatus,
} from '../../src-shared/recording';
import { boundDevice, roleOf, type Actor, type Notifier, type PresenceSource, type Result } from '../calls/call-service';
import type { CallRole } from '../calls/call-lifecycle';
import type { CallRecord, Store } from '../store/types';
import type { RecordingLog } from './recording-log';

export interface RecordingServiceOptions {
  store: Store;
  log: RecordingLog;
  notifier: Notifier;
  presence: PresenceSource;
  requestTtlMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

const fail = (code: WireError['code'], message: string, callId: string): { ok: false; error: WireError } => ({
  ok: false,
  error: { code, message, callId },
});
const done = { ok: true, value: {} } as const;

const otherRole = (role: CallRole): CallRole => (role === 'caller' ? 'callee' : 'caller');
const userOf = (call: CallRecord, role: CallRole): string => (role === 'caller' ? call.callerId : call.calleeId);

export class RecordingService {
  private readonly now: () => number;
  private readonly ttlMs: number;
  /** One change at a time per call, so two racing requests cannot both start. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Lapses an unanswered request on time; the stored deadline makes a late answer fail even without it. */
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: RecordingServiceOptions) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.requestTtlMs ?? RECORDING_REQUEST_TTL_MS;
  }

  async request(actor: Actor, callId: string): Promise<Result<object>> {
    return this.asBoundDevice(actor, callId, async (call, role) => {
      const applied = await this.apply(call, { type: 'request', userId: actor.userId, ttlMs: this.ttlMs });
      if (!applied.ok) return applied;
      const other = otherRole(role);
      const otherDevice = boundDevice(call, other);
      const expiresAt = new Date(applied.value.expiresAt ?? this.now()).toISOString();
      if (otherDevice) this.options.notifier.toDevice(userOf(call, other), otherDevice, 'recording:requested', { callId, by: actor.userId, expiresAt });
      this.armExpiry(callId);
      return done;
    });
  }

  async answer(actor: Actor, callId: string, accept: boolean): Promise<Result<object>> {
    return this.asBoundDevice(actor, callId, async (call) => {
      const applied = await this.apply(call, { type: 'answer', userId: actor.userId, accept });
      if (!applied.ok) return applied;
      this.disarmExpiry(callId);
      // Accepted while the asker's device is away: start paused.
      if (accept) await this.apply(call, { type: 'connectivity', bothOnline: await this.bothOnline(call) });
      return done;
    });
  }

  async stop(actor: Actor, callId: string, failed?: RecordingFailure): Promise<Result<object>> {
    return this.asBoundDevice(actor, callId, async (call) => {
      const applied = await this.apply(call, failed === undefined ? { type: 'stop', userId: actor.userId } : { type: 'stop', userId: actor.userId, failed });
      if (applied.ok) this.disarmExpiry(callId);
      return applied.ok ? done : applied;
    });
  }

  /** A device came or went: pause or resume its call's recording, and bring a returning device up to date. */
  async deviceChanged(actor: Actor): Promise<void> {
    const call = await this.options.store.findActiveCall(actor.userId);
    if (!call || call.status !== 'connected') return;
    await this.serially(call.id, async () => {
      const applied = await this.apply(call, { type: 'connectivity', bothOnline: await this.bothOnline(call) });
      const role = roleOf(call, actor.userId);
      const isBound = role !== null && boundDevice(call, role) === actor.deviceId;
      if (applied.ok && !applied.value.changed && isBound && applied.value.status.state !== 'off') {
        this.options.notifier.toDevice(actor.userId, actor.deviceId, 'recording:state', toRecordingStateEvent(call.id, applied.value.status));
      }
    });
  }

  /** The call is over: so is its recording (or its pending request). */
  async callEnded(call: CallRecord): Promise<void> {
    this.disarmExpiry(call.id);
    await this.serially(call.id, () => this.apply(call, { type: 'call_ended' }));
  }

  /** Which of these calls were recorded, for the history. */
  recordedAmong(callIds: readonly string[]): Promise<Set<string>> {
    return this.options.log.recordedAmong(callIds);
  }

  shutdown(): void {
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
  }

  // ------------------------------------------------------------ internals

  /** Runs `work` for a device bound to a connected call of its user, one change per call at a time. */
  private async asBoundDevice(actor: Actor, callId: string, work: (call: CallRecord, role: CallRole) => Promise<Result<object>>): Promise<Result<object>> {
    return this.serially(callId, async () => {
      const call = await this.options.store.getCall(callId);
      const role = call && roleOf(call, actor.userId);
      if (!call || !role) return { ok: false, error: { code: 'CALL_NOT_FOUND', message: 'no such call' } } as const;
      if (call.status !== 'connected') return fail('INVALID_STATE', 'only a call in progress can be recorded', callId);
      if (boundDevice(call, role) !== actor.deviceId) return fail('NOT_ALLOWED', 'this call is on another of your devices', callId);
      return work(call, role);
    });
  }

  /** Decides, logs and tells both bound devices; returns the new status. */
  private async apply(call: CallRecord, command: RecordingCommand): Promise<Result<{ status: RecordingStatus; changed: boolean; expiresAt: number | null }>> {
    const status = recordingStatusOf(await this.options.log.list(call.id));
    const decision = decideRecording(status, command, this.now());
    if (!decision.ok) return fail(decision.error.code, decision.error.message, call.id);
    if (!decision.entry) return { ok: true, value: { status, changed: false, expiresAt: null } };
    await this.options.log.append(call.id, decision.entry);
    const next = applyRecordingEvent(status, decision.entry);
    const event = toRecordingStateEvent(call.id, next);
    for (const role of ['caller', 'callee'] as const) {
      const device = boundDevice(call, role);
      if (device) this.options.notifier.toDevice(userOf(call, role), device, 'recording:state', event);
    }
    return { ok: true, value: { status: next, changed: true, expiresAt: decision.entry.expiresAt ?? null } };
  }

  private async bothOnline(call: CallRecord): Promise<boolean> {
    for (const role of ['caller', 'callee'] as const) {
      const device = boundDevice(call, role);
      if (!device || !(await this.options.presence.isDeviceOnline(userOf(call, role), device))) return false;
    }
    return true;
  }

  private armExpiry(callId: string): void {
    this.disarmExpiry(callId);
    const timer = setTimeout(() => {
      this.expiryTimers.delete(callId);
      this.inBackground(
        this.serially(callId, async () => {
          const call = await this.options.store.getCall(callId);
          if (call) await this.apply(call, { type: 'expire' });
        }),
      );
    }, this.ttlMs);
    this.expiryTimers.set(callId, timer);
  }

  private disarmExpiry(callId: string): void {
    clearTimeout(this.expiryTimers.get(callId));
    this.expiryTimers.delete(callId);
  }

  private serially<T>(callId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(callId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(callId, settled);
    void settled.then(() => {
      if (this.queues.get(callId) === settled) this.queues.delete(callId);
    });
    return next;
  }

  private inBackground(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.options.onError?.(error));
  }
}
