import { describe, expect, it } from 'vitest';
import { MediaStallDetector, STALL_MS, STALL_POLL_MS, STALL_RETRY_MS, transportBytesReceived } from '../../src-renderer/webrtc/media-stall';

/** Feeds readings every STALL_POLL_MS from `from` to `to` (ms) with bytes from `bytesAt`; the times it asked for a restart. */
function run(detector: MediaStallDetector, from: number, to: number, bytesAt: (t: number) => number): number[] {
  const restarts: number[] = [];
  for (let t = from; t <= to; t += STALL_POLL_MS) if (detector.reading(t, bytesAt(t))) restarts.push(t);
  return restarts;
}

describe('media stall detector', () => {
  it('never asks for a restart while anything arrives, even a heartbeat every poll on a muted call', () => {
    const detector = new MediaStallDetector();
    expect(run(detector, 0, 120_000, (t) => 1_000 + Math.floor(t / STALL_POLL_MS) * 20)).toEqual([]);
  });

  it('tolerates a gap shorter than the stall bound (Opus silence, a heartbeat lost on a lossy link)', () => {
    const detector = new MediaStallDetector();
    const bytes = (t: number): number => (t >= 10_000 && t < 10_000 + STALL_MS - STALL_POLL_MS ? 50_000 : 50_000 + t);
    expect(run(detector, 0, 20_000, bytes)).toEqual([]);
  });

  it('asks once when traffic stops, and again only if the restart has not brought it back', () => {
    const detector = new MediaStallDetector();
    const stopAt = 10_000;
    const restarts = run(detector, 0, stopAt + STALL_RETRY_MS + STALL_MS, (t) => Math.min(t, stopAt));
    expect(restarts[0]).toBeGreaterThanOrEqual(stopAt + STALL_MS);
    expect(restarts[0]).toBeLessThanOrEqual(stopAt + STALL_MS + STALL_POLL_MS);
    expect(restarts).toHaveLength(2);
    expect((restarts[1] ?? 0) - (restarts[0] ?? 0)).toBe(STALL_RETRY_MS);
  });

  it('a stall that ends re-arms it at once; the first reading after a reset never counts as a stall', () => {
    const detector = new MediaStallDetector();
    expect(run(detector, 0, 3_000, () => 100)).toHaveLength(1);
    expect(detector.reading(3_500, 200)).toBe(false);
    expect(run(detector, 4_000, 6_000, () => 200)).toHaveLength(1);
    detector.reset();
    expect(detector.reading(60_000, 200)).toBe(false);
  });

  it('counts the transports, or the candidate pairs when the report has no transport', () => {
    expect(transportBytesReceived([{ type: 'transport', bytesReceived: 10 }, { type: 'candidate-pair', bytesReceived: 7 }, { type: 'inbound-rtp', bytesReceived: 3 }])).toBe(10);
    expect(transportBytesReceived([{ type: 'candidate-pair', bytesReceived: 7 }, { type: 'candidate-pair', bytesReceived: 5 }])).toBe(12);
  });
});
