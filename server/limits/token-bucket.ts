// Token buckets keyed by a string (a socket, a user): each key holds up to
// `burst` tokens and regains `perSecond` of them per second. In memory, per node.
import type { BucketRule } from './limits-config';

interface Bucket {
  tokens: number;
  at: number;
}

/** Beyond this many keys, buckets that have refilled completely are forgotten. */
const PRUNE_ABOVE = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private prunedAt = 0;

  constructor(
    private readonly rule: BucketRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token: 0 when allowed, else the milliseconds until one is available (nothing taken). */
  take(key: string): number {
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(key, bucket);
      if (this.buckets.size > PRUNE_ABOVE && now - this.prunedAt > 1000) this.prune(now);
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.rule.perSecond) * 1000);
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }

  private refilled(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: this.rule.burst, at: now };
    bucket.tokens = Math.min(this.rule.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rule.perSecond);
    bucket.at = now;
    return bucket;
  }

  private prune(now: number): void {
    this.prunedAt = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.rule.perSecond >= this.rule.burst) this.buckets.delete(key);
    }
  }
}
