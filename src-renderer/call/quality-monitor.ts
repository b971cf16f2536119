// Samples the live connection every few seconds: turns two getStats() readings into
// a quality sample (webrtc/quality.ts), moves the video up or down the ladder
// (webrtc/video-ladder.ts; audio only below it) and reports each sample with the
// recent ones and whether video is paused for the link's sake.
import { sampleBetween, type QualitySample, type StatsTotals } from '../webrtc/quality';
import { appliedRung, initialLadder, nextLadder, sameRung, type LadderState, type Rung } from '../webrtc/video-ladder';
import { NamedTimers } from './named-timers';

/** What the monitor needs from a connection. */
export interface StatsSource {
  totals(): Promise<StatsTotals>;
  /** A rung of the ladder, or null: no video (the link cannot carry it). */
  setVideoRung(rung: Rung | null): Promise<void>;
}

export const STATS_INTERVAL_MS = 2_000;
const KEPT_SAMPLES = 10;

export class QualityMonitor {
  private samples: QualitySample[] = [];
  private lastTotals: StatsTotals | null = null;
  private ladder: LadderState = initialLadder;
  private appliedRung: Rung | null | undefined = undefined;
  /** The connection the last reading came from. */
  private sampled: StatsSource | null = null;

  constructor(
    private readonly source: () => StatsSource | null,
    private readonly onSample: (sample: QualitySample, recent: readonly QualitySample[], videoPausedByNetwork: boolean) => void,
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
    if (source !== this.sampled) {
      // A rebuilt connection starts like a new call: no sample spans two connections, the
      // ladder starts from the top again (the old estimate says nothing of the new path),
      // and its first setting is applied to the new sender.
      this.sampled = source;
      this.lastTotals = null;
      this.ladder = initialLadder;
      this.appliedRung = undefined;
    }
    try {
      const totals = await source.totals();
      if (this.lastTotals) {
        const sample = sampleBetween(this.lastTotals, totals);
        this.samples = [...this.samples.slice(-(KEPT_SAMPLES - 1)), sample];
        this.ladder = nextLadder(this.ladder, {
          availableOutBps: sample.availableOutKbps === null ? null : sample.availableOutKbps * 1000,
          // What the partner lost of ours; before its first report, what we lose is the best guess for the link.
          remoteLossPct: sample.sentLossPct ?? sample.lossPct,
          rttMs: sample.rttMs,
        });
        const rung = appliedRung(this.ladder);
        if (!sameRung(rung, this.appliedRung)) {
          this.appliedRung = rung;
          await source.setVideoRung(rung);
        }
        this.onSample(sample, this.samples, this.ladder.audioOnly);
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
    this.ladder = initialLadder;
    this.appliedRung = undefined;
    this.sampled = null;
  }
}
