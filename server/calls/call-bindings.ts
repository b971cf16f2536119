// Which two devices an answered call binds, kept in this node's memory: a call
// relays an offer, an answer and a dozen or more ICE candidates, and each would
// otherwise read the call's row. Once answered, a call's devices never change, so
// the entry only has to go when the call ends: at once when it ends on this node,
// and after `ttlMs` at the latest when it ends on another (a signal relayed in
// that window reaches a device that has left the call, which ignores it).
import type { CallRecord } from '../store/types';

export class CallBindings {
  private readonly entries = new Map<string, { call: CallRecord; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The answered call, from memory or from `load` (kept only while connected). */
  async get(callId: string, load: () => Promise<CallRecord | undefined>): Promise<CallRecord | undefined> {
    const entry = this.entries.get(callId);
    if (entry && entry.until > this.now()) return entry.call;
    const call = await load();
    if (call?.status === 'connected') this.entries.set(callId, { call, until: this.now() + this.ttlMs });
    else this.entries.delete(callId);
    return call;
  }

  forget(callId: string): void {
    this.entries.delete(callId);
  }
}
