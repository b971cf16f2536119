// Connection quality from two getStats() samples: round-trip time, packet loss and
// bitrate, the numbers the call screen shows and the adaptive logic acts on.
// Pure: it reads plain report objects, so it is unit-tested without a browser.
import { transportBytesReceived } from './media-stall';

export interface StatsEntry {
  id?: string;
  type: string;
  kind?: string;
  timestamp: number;
  bytesReceived?: number;
  bytesSent?: number;
  packetsReceived?: number;
  packetsLost?: number;
  framesDecoded?: number;
  currentRoundTripTime?: number;
  availableOutgoingBitrate?: number;
  state?: string;
  nominated?: boolean;
  selected?: boolean;
  localCandidateId?: string;
  candidateType?: string;
  selectedCandidatePairId?: string;
  /** remote-inbound-rtp: the share (0–1) of what we sent that the partner lost in its last report. */
  fractionLost?: number;
}

export interface StatsTotals {
  at: number;
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsLost: number;
  framesDecoded: number;
  rttMs: number | null;
  availableOutKbps: number | null;
  route: Route | null;
  /** Everything the transport received (media, RTCP, the partner's heartbeat); absent in hand-made totals. */
  transportBytes?: number;
  /** Loss the partner reports on what we send (worst stream, percent); absent before its first report. */
  sentLossPct?: number;
}

/** How the media travels: through a TURN relay, or directly (host or NAT-mapped address). */
export type Route = 'relay' | 'direct';

export type QualityLevel = 'good' | 'fair' | 'poor';

export interface QualitySample {
  rttMs: number | null;
  /** Percentage of inbound packets lost since the previous sample. */
  lossPct: number;
  /** Percentage of what we send that the partner reports lost (null before its first report): what the link does to our video. */
  sentLossPct: number | null;
  inKbps: number;
  outKbps: number;
  availableOutKbps: number | null;
  level: QualityLevel;
  route: Route | null;
}

export function totalsOf(entries: Iterable<StatsEntry>, at: number): StatsTotals {
  const all = [...entries];
  const totals: StatsTotals = {
    at,
    bytesReceived: 0,
    bytesSent: 0,
    packetsReceived: 0,
    packetsLost: 0,
    framesDecoded: 0,
    rttMs: null,
    availableOutKbps: null,
    route: null,
  };
  if (all.some((entry) => (entry.type === 'transport' || entry.type === 'candidate-pair') && entry.bytesReceived !== undefined)) {
    totals.transportBytes = transportBytesReceived(all);
  }
  // The transport names the selected pair; older reports only flag it on the pair.
  const selectedId = all.find((entry) => entry.type === 'transport' && entry.selectedCandidatePairId)?.selectedCandidatePairId;
  for (const entry of all) {
    if (entry.type === 'inbound-rtp') {
      totals.bytesReceived += entry.bytesReceived ?? 0;
      totals.packetsReceived += entry.packetsReceived ?? 0;
      totals.packetsLost += Math.max(0, entry.packetsLost ?? 0);
      totals.framesDecoded += entry.framesDecoded ?? 0;
    } else if (entry.type === 'outbound-rtp') {
      totals.bytesSent += entry.bytesSent ?? 0;
    } else if (entry.type === 'remote-inbound-rtp' && entry.fractionLost !== undefined) {
      totals.sentLossPct = Math.max(totals.sentLossPct ?? 0, Math.round(entry.fractionLost * 1000) / 10);
    } else if (
      entry.type === 'candidate-pair' &&
      (selectedId !== undefined ? entry.id === selectedId : entry.selected || (entry.nominated && entry.state === 'succeeded'))
    ) {
      if (entry.currentRoundTripTime !== undefined) totals.rttMs = Math.round(entry.currentRoundTripTime * 1000);
      if (entry.availableOutgoingBitrate !== undefined) totals.availableOutKbps = Math.round(entry.availableOutgoingBitrate / 1000);
      const local = all.find((candidate) => candidate.type === 'local-candidate' && candidate.id === entry.localCandidateId);
      if (local?.candidateType) totals.route = local.candidateType === 'relay' ? 'relay' : 'direct';
    }
  }
  return totals;
}

export function levelOf(rttMs: number | null, lossPct: number): QualityLevel {
  if (lossPct >= 10 || (rttMs ?? 0) >= 500) return 'poor';
  if (lossPct >= 3 || (rttMs ?? 0) >= 250) return 'fair';
  return 'good';
}

export function sampleBetween(previous: StatsTotals, current: StatsTotals): QualitySample {
  const seconds = Math.max(0.001, (current.at - previous.at) / 1000);
  const received = Math.max(0, current.packetsReceived - previous.packetsReceived);
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  const lossPct = received + lost > 0 ? Math.round((lost / (received + lost)) * 1000) / 10 : 0;
  // Nothing at all arrived (not even the partner's heartbeat): the link is down, whatever the last round-trip time said.
  const silent = previous.transportBytes !== undefined && current.transportBytes !== undefined && current.transportBytes <= previous.transportBytes;
  return {
    rttMs: current.rttMs,
    lossPct,
    sentLossPct: current.sentLossPct ?? null,
    inKbps: Math.round((Math.max(0, current.bytesReceived - previous.bytesReceived) * 8) / 1000 / seconds),
    outKbps: Math.round((Math.max(0, current.bytesSent - previous.bytesSent) * 8) / 1000 / seconds),
    availableOutKbps: current.availableOutKbps,
    level: silent ? 'poor' : levelOf(current.rttMs, lossPct),
    route: current.route,
  };
}

/** Signal bars out of 4, as a phone shows them: 4 only when it is really clean. */
export function barsOf(sample: Pick<QualitySample, 'level' | 'rttMs' | 'lossPct'>): 1 | 2 | 3 | 4 {
  if (sample.level === 'poor') return 1;
  if (sample.level === 'fair') return 2;
  return (sample.rttMs ?? 0) < 150 && sample.lossPct < 1 ? 4 : 3;
}

/** Suggest audio only after a sustained run of poor samples. */
export function shouldSuggestAudioOnly(recent: readonly QualitySample[]): boolean {
  const last = recent.slice(-5);
  return last.length === 5 && last.filter((s) => s.level === 'poor').length >= 4;
}
