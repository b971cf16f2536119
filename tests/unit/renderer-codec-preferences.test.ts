import { describe, expect, it } from 'vitest';
import { canUseRed, preferredAudioCodecs, withOpusFec } from '../../src-renderer/webrtc/codec-preferences';

// What Chromium lists for audio (trimmed): Opus first, RED after it.
const chromiumAudio = [
  { mimeType: 'audio/opus', clockRate: 48000, channels: 2, sdpFmtpLine: 'minptime=10;useinbandfec=1' },
  { mimeType: 'audio/red', clockRate: 48000, channels: 2, sdpFmtpLine: '111/111' },
  { mimeType: 'audio/G722', clockRate: 8000 },
  { mimeType: 'audio/PCMU', clockRate: 8000 },
  { mimeType: 'audio/telephone-event', clockRate: 48000 },
];

describe('audio codec preferences', () => {
  it('puts RED first and Opus second, keeping the browser order for the rest', () => {
    expect(preferredAudioCodecs(chromiumAudio).map((c) => c.mimeType)).toEqual(['audio/red', 'audio/opus', 'audio/G722', 'audio/PCMU', 'audio/telephone-event']);
  });

  it('uses RED only where Opus is there to carry it', () => {
    expect(canUseRed(chromiumAudio)).toBe(true);
    expect(canUseRed(chromiumAudio.filter((c) => c.mimeType !== 'audio/red'))).toBe(false);
    expect(canUseRed(chromiumAudio.filter((c) => c.mimeType !== 'audio/opus'))).toBe(false);
  });
});

describe('Opus in-band FEC in the SDP', () => {
  const sdp = (fmtp: string): string =>
    ['v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 63 111 9', 'a=rtpmap:63 red/48000/2', 'a=fmtp:63 111/111', 'a=rtpmap:111 opus/48000/2', fmtp, 'a=rtpmap:9 G722/8000', ''].join('\r\n');

  it('turns FEC on where the offer had it off, keeping the other parameters', () => {
    const out = withOpusFec(sdp('a=fmtp:111 minptime=10;useinbandfec=0;stereo=0'));
    expect(out).toContain('a=fmtp:111 minptime=10;stereo=0;useinbandfec=1');
    expect(out).toContain('a=fmtp:63 111/111');
    expect(out).not.toContain('useinbandfec=0');
  });

  it('adds an fmtp line for an Opus payload that has none', () => {
    const out = withOpusFec(sdp('a=rtcp-fb:111 transport-cc'));
    expect(out.split('\r\n')).toContain('a=fmtp:111 useinbandfec=1');
    expect(out.indexOf('a=fmtp:111')).toBeGreaterThan(out.indexOf('a=rtpmap:111'));
  });

  it('leaves an SDP without Opus untouched', () => {
    const plain = 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
    expect(withOpusFec(plain)).toBe(plain);
  });
});
