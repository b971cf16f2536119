// The limiter's pieces on a fake clock: token buckets, the scrypt gate, the password and display-name rules.
import { describe, expect, it } from 'vitest';
import { DisplayName } from '../../src-shared/protocol';
import { HashGate } from '../../server/auth/hash-gate';
import { weakPasswordReason } from '../../server/auth/password-policy';
import { TokenBuckets } from '../../server/limits/token-bucket';

describe('token buckets', () => {
  it('allow a burst, then one token per refill interval, per key, and say how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 3, perSecond: 0.5 }, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(2000);
    expect(buckets.take('b')).toBe(0);
    now = 1500;
    expect(buckets.take('a')).toBe(500);
    now = 2000;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(2000);
  });

  it('refill no higher than the burst however long a key was idle', () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 2, perSecond: 10 }, () => now);
    buckets.take('a');
    now = 3_600_000;
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a') > 0]).toEqual([0, 0, true]);
  });
});

describe('the password hashing gate', () => {
  it('runs at most `concurrency` at once, queues a few, and refuses the rest with RATE_LIMITED', async () => {
    const gate = new HashGate(2, 1);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      gate.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      });
    const started = [work(), work(), work()];
    await expect(work()).rejects.toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    let finished = false;
    const all = Promise.all(started).then(() => (finished = true));
    // Let each held piece of work go, one turn at a time, until all three are through.
    while (!finished) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.splice(0).forEach((release) => release());
    }
    await all;
    expect(peak).toBe(2);
  });
});

describe('weak passwords', () => {
  it('refuses the most common ones and the username, accepts a passphrase', () => {
    for (const password of ['password', '12345678', 'Password1', 'iloveyou', 'qwertyuiop']) expect(weakPasswordReason(password, 'ayse'), password).toMatch(/common/);
    expect(weakPasswordReason('ayse.kaya', 'ayse.kaya')).toMatch(/username/);
    expect(weakPasswordReason('ayse.kaya1', 'ayse.kaya')).toMatch(/username/);
    expect(weakPasswordReason('correct horse battery', 'ayse')).toBeNull();
  });
});

describe('display names', () => {
  const parse = (name: string) => DisplayName.safeParse(name);

  it('are NFC-normalised and trimmed', () => {
    expect(parse('  Ay\u0073\u0327e  ')).toEqual({ success: true, data: 'Ay\u015fe' });
    expect(parse('👩‍❤️‍👨 Deniz').success).toBe(true);
    expect(parse('กุ้ง').success).toBe(true);
  });

  it('refuse control and bidi-override characters, invisible-only names, stacked marks and overlong names', () => {
    for (const bad of ['evil\u202Egnp.exe', 'a\u2066b', 'tab\there', 'bell\u0007', '\u200B\u200B', ' \u3164 ', 'e' + '\u0301'.repeat(64), 'x'.repeat(41), '😀'.repeat(41)]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(parse('😀'.repeat(40)).success).toBe(true);
  });
});
