// Samples the live connection every few seconds: turns two getStats() readings into
// a quality sample (webrtc/quality.ts), caps the video bitrate when the link is
// struggling, and reports each sample with the recent ones.
import { sampleBetween, videoBitrateCap, type QualitySample, type StatsTotals } from '../webrtc/quality';
import { NamedTimers } from './named-timers';

/** What the monitor needs from a connection. */
export interface StatsSource {
  totals(): Promise<StatsTotals>;
  setVideoBitrateCap(bitsPerSecond: number | null): Promise<void>;
}

export const STATS_INTERVAL_MS = 2_000;
const KEPT_SAMPLES = 10;

export class QualityMonitor {
  private samples: QualitySample[] = [];
  private lastTotals: StatsTotals | null = null;
  private appliedCap: number | null = null;

  constructor(
    private readonly source: () => StatsSource | null,
    private readonly onSample: (sample: QualitySample, recent: readonly QualitySample[]) => void,
    private readonly timers: NamedTimers<'stats'> = new NamedTimers(),
    private readonly intervalMs = STATS_INTERVAL_MS,
  ) {}

  start(): void {
    this.timers.every('stats', this.intervalMs, () => void this.tick());
  }

  /** One reading; public so tests (and a future "measure now") need no timer. */
  async tick(): Promise<void> {
    const source = this.source();
    if (!source) return;
    try {
      const totals = await source.totals();
      if (this.lastTotals) {
        const sample = sampleBetween(this.lastTotals, totals);
        this.samples = [...this.samples.slice(-(KEPT_SAMPLES - 1)), sample];
        const cap = videoBitrateCap(this.samples);
        if (cap !== this.appliedCap) {
          this.appliedCap = cap;
          await source.setVideoBitrateCap(cap);
        }
        this.onSample(sample, this.samples);
      }
      this.lastTotals = totals;
    } catch {
      // the connection is going away
    }
  }

  stop(): void {
    this.timers.clear('stats');
    this.samples = [];
    this.lastTotals = null;
    this.appliedCap = null;
  }
}
