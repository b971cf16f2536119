import { describe, expect, it } from 'vitest';
import { barsOf, levelOf, sampleBetween, shouldSuggestAudioOnly, totalsOf, type QualitySample } from '../../src-renderer/webrtc/quality';

describe('call quality from getStats', () => {
  it('sums inbound/outbound and reads the selected candidate pair', () => {
    const totals = totalsOf(
      [
        { type: 'inbound-rtp', kind: 'video', timestamp: 0, bytesReceived: 1000, packetsReceived: 90, packetsLost: 10, framesDecoded: 30 },
        { type: 'inbound-rtp', kind: 'audio', timestamp: 0, bytesReceived: 500, packetsReceived: 10, packetsLost: 0 },
        { type: 'outbound-rtp', kind: 'audio', timestamp: 0, bytesSent: 700 },
        { type: 'candidate-pair', timestamp: 0, nominated: true, state: 'succeeded', currentRoundTripTime: 0.042, availableOutgoingBitrate: 1_500_000 },
        { type: 'candidate-pair', timestamp: 0, nominated: false, state: 'failed', currentRoundTripTime: 9 },
      ],
      1000,
    );
    expect(totals).toMatchObject({ bytesReceived: 1500, bytesSent: 700, packetsLost: 10, framesDecoded: 30, rttMs: 42, availableOutKbps: 1500 });
  });

  it('reads the loss the partner reports on what we send (worst stream), absent before its first report', () => {
    const reports = [
      { type: 'remote-inbound-rtp', kind: 'audio', timestamp: 0, fractionLost: 0.02 },
      { type: 'remote-inbound-rtp', kind: 'video', timestamp: 0, fractionLost: 0.125 },
    ];
    expect(totalsOf(reports, 0).sentLossPct).toBe(12.5);
    expect(totalsOf([{ type: 'outbound-rtp', timestamp: 0, bytesSent: 1 }], 0).sentLossPct).toBeUndefined();
    expect(sampleBetween(totalsOf([], 0), totalsOf(reports, 2000)).sentLossPct).toBe(12.5);
  });

  it('tells a relayed route from a direct one by the selected pair\'s local candidate', () => {
    const pair = (local: string) => ({ type: 'candidate-pair', timestamp: 0, nominated: true, state: 'succeeded', localCandidateId: local });
    const candidates = [
      { type: 'local-candidate', timestamp: 0, id: 'L1', candidateType: 'relay' },
      { type: 'local-candidate', timestamp: 0, id: 'L2', candidateType: 'srflx' },
    ];
    expect(totalsOf([...candidates, pair('L1')], 0).route).toBe('relay');
    expect(totalsOf([...candidates, pair('L2')], 0).route).toBe('direct');
    expect(totalsOf(candidates, 0).route).toBeNull();
  });

  it('tells a relayed route from a direct one by the selected pair the transport names', () => {
    const pairs = [
      { type: 'candidate-pair', id: 'CP1', timestamp: 0, localCandidateId: 'L1', nominated: true, state: 'succeeded', currentRoundTripTime: 0.01 },
      { type: 'candidate-pair', id: 'CP2', timestamp: 0, localCandidateId: 'L2', nominated: true, state: 'succeeded', currentRoundTripTime: 0.09 },
      { type: 'local-candidate', id: 'L1', timestamp: 0, candidateType: 'host' },
      { type: 'local-candidate', id: 'L2', timestamp: 0, candidateType: 'relay' },
    ];
    expect(totalsOf([...pairs, { type: 'transport', timestamp: 0, selectedCandidatePairId: 'CP2' }], 0)).toMatchObject({ route: 'relay', rttMs: 90 });
    expect(totalsOf([...pairs, { type: 'transport', timestamp: 0, selectedCandidatePairId: 'CP1' }], 0)).toMatchObject({ route: 'direct', rttMs: 10 });
    expect(totalsOf([{ type: 'inbound-rtp', timestamp: 0, bytesReceived: 1 }], 0).route).toBeNull();
  });

  it('turns two samples into kbps and loss percent', () => {
    const a = totalsOf([{ type: 'inbound-rtp', timestamp: 0, bytesReceived: 0, packetsReceived: 0, packetsLost: 0 }], 0);
    const b = totalsOf(
      [
        { type: 'inbound-rtp', timestamp: 0, bytesReceived: 125_000, packetsReceived: 95, packetsLost: 5 },
        { type: 'candidate-pair', timestamp: 0, selected: true, currentRoundTripTime: 0.3 },
      ],
      1000,
    );
    expect(sampleBetween(a, b)).toMatchObject({ inKbps: 1000, lossPct: 5, rttMs: 300, level: 'fair' });
    expect(levelOf(20, 0)).toBe('good');
    expect(levelOf(20, 12)).toBe('poor');
  });

  it('a sample in which nothing at all arrived is poor, whatever the last round-trip time said (a cut link)', () => {
    const at = (t: number, bytes: number) =>
      totalsOf(
        [
          { type: 'transport', timestamp: t, bytesReceived: bytes, selectedCandidatePairId: 'CP' },
          { id: 'CP', type: 'candidate-pair', timestamp: t, currentRoundTripTime: 0.02, bytesReceived: bytes },
        ],
        t,
      );
    expect(sampleBetween(at(0, 1_000), at(2_000, 1_000)).level).toBe('poor');
    // A muted partner with the camera off still sends its heartbeat: good.
    expect(sampleBetween(at(0, 1_000), at(2_000, 1_080)).level).toBe('good');
  });

  it('suggests audio only when the quality stays poor', () => {
    const good: QualitySample = { rttMs: 20, lossPct: 0, sentLossPct: null, inKbps: 900, outKbps: 900, availableOutKbps: 2000, level: 'good', route: 'direct' };
    const lossy: QualitySample = { ...good, lossPct: 12, level: 'poor' };
    expect(shouldSuggestAudioOnly([lossy, lossy, lossy, lossy])).toBe(false);
    expect(shouldSuggestAudioOnly([good, lossy, lossy, lossy, lossy])).toBe(true);
  });

  it('shows 4 bars only for a clean link, fewer as it degrades', () => {
    expect(barsOf({ level: 'good', rttMs: 40, lossPct: 0 })).toBe(4);
    expect(barsOf({ level: 'good', rttMs: 200, lossPct: 0 })).toBe(3);
    expect(barsOf({ level: 'fair', rttMs: 300, lossPct: 0 })).toBe(2);
    expect(barsOf({ level: 'poor', rttMs: 40, lossPct: 15 })).toBe(1);
  });
});
