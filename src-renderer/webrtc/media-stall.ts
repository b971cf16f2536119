// Notices within about a second and a half that nothing arrives on a connection that
// ICE still calls connected. ICE itself only says `disconnected` when its consent
// checks go unanswered (several seconds), which is what made a network switch slow to
// recover. The transport's received-bytes counter covers everything the partner sends:
// voice (Opus sends at least every 400 ms, even in silence), video, RTCP and a small
// heartbeat on the data channel, which keeps the counter moving when the partner is
// muted with the camera off. Pure: readings in, verdict out; peer-session.ts polls it.

/** No byte received for this long, on a connection that was receiving, counts as a stall. */
export const STALL_MS = 1_500;
/** How often the session reads the counter (and sends its heartbeat). */
export const STALL_POLL_MS = 500;
/** A restart that has not brought traffic back by then may be tried again. */
export const STALL_RETRY_MS = 5_000;

export class MediaStallDetector {
  private lastBytes: number | null = null;
  private lastGrowthAt: number | null = null;
  private restartedAt: number | null = null;

  /**
   * One reading of the received-bytes counter at `at` (ms). True when this reading
   * asks for an ICE restart: traffic stopped for STALL_MS, and no restart was asked
   * for in this stall yet (or the last one is STALL_RETRY_MS old).
   */
  reading(at: number, bytesReceived: number): boolean {
    const grew = this.lastBytes !== null && bytesReceived > this.lastBytes;
    const counterReset = this.lastBytes !== null && bytesReceived < this.lastBytes;
    this.lastBytes = bytesReceived;
    if (grew || counterReset || this.lastGrowthAt === null) {
      // The first reading only starts the clock; a counter that went back belongs to a new transport.
      if (grew || counterReset) this.restartedAt = null;
      this.lastGrowthAt = at;
      return false;
    }
    if (at - this.lastGrowthAt < STALL_MS) return false;
    if (this.restartedAt !== null && at - this.restartedAt < STALL_RETRY_MS) return false;
    this.restartedAt = at;
    return true;
  }

  /** ICE left `connected`: the next connected period starts afresh. */
  reset(): void {
    this.lastBytes = null;
    this.lastGrowthAt = null;
    this.restartedAt = null;
  }
}

/** Bytes received on the connection's transport(s), from a getStats() report's entries. */
export function transportBytesReceived(entries: Iterable<{ type: string; bytesReceived?: number }>): number {
  let transport = 0;
  let pairs = 0;
  let sawTransport = false;
  for (const entry of entries) {
    if (entry.type === 'transport') {
      sawTransport = true;
      transport += entry.bytesReceived ?? 0;
    } else if (entry.type === 'candidate-pair') {
      pairs += entry.bytesReceived ?? 0;
    }
  }
  return sawTransport ? transport : pairs;
}
