// Limits on socket events, checked before an event does anything: token buckets
// per socket and per user for every event, a stricter one for `call:start`, and
// a cap on calls logged per couple per minute (from the store, so it holds
// across nodes). Each check answers 0 (go ahead) or the milliseconds to wait.
import { coupleKey } from '../store/rows';
import type { Store } from '../store/types';
import type { LimitsConfig } from './limits-config';
import { TokenBuckets } from './token-bucket';

const MINUTE_MS = 60_000;

export class SocketLimits {
  private readonly perSocket: TokenBuckets;
  private readonly perUser: TokenBuckets;
  private readonly callStarts: TokenBuckets;

  constructor(
    private readonly limits: LimitsConfig,
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {
    this.perSocket = new TokenBuckets(limits.socketEvents, now);
    this.perUser = new TokenBuckets(limits.userEvents, now);
    this.callStarts = new TokenBuckets(limits.callStart, now);
  }

  /** Any event from this socket. */
  event(socketId: string, userId: string): number {
    return this.perSocket.take(socketId) || this.perUser.take(userId);
  }

  /** A `call:start` (after `event`): the user's own pace, then the couple's log. */
  async callStart(userId: string): Promise<number> {
    const wait = this.callStarts.take(userId);
    if (wait) return wait;
    const user = await this.store.findUserById(userId);
    if (!user?.partnerId) return 0;
    const cap = this.limits.callsPerCouplePerMinute;
    const recent = await this.store.recentCallTimes(coupleKey(userId, user.partnerId), this.now() - MINUTE_MS, cap);
    const oldest = recent[cap - 1];
    return oldest === undefined ? 0 : Math.max(1, oldest + MINUTE_MS - this.now());
  }

  socketGone(socketId: string): void {
    this.perSocket.forget(socketId);
  }
}
