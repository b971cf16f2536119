import { describe, expect, it } from 'vitest';
import { OFFER_RETRY_MS, offerKey, offerRetry, repeatedSignal, RESTART_UNCONNECTED_MS } from '../../src-renderer/webrtc/offer-retry';

const sdp = (version: number, candidates = ''): string => `v=0\r\no=- 4611731400430051336 ${version} IN IP4 127.0.0.1\r\ns=-\r\na=ice-ufrag:abcd\r\n${candidates}`;

describe('a rebuilt connection whose offer was lost (the partner was offline)', () => {
  const waiting = { signalingState: 'have-local-offer', iceState: 'new' } as const;

  it('re-sends the unanswered offer every few seconds, not sooner', () => {
    expect(offerRetry({ ...waiting, now: 1_000 + OFFER_RETRY_MS - 1, lastOfferAt: 1_000 })).toBe('wait');
    expect(offerRetry({ ...waiting, now: 1_000 + OFFER_RETRY_MS, lastOfferAt: 1_000 })).toBe('resend');
  });

  it('restarts ICE (fresh candidates) when the offer was answered but the checks got nowhere', () => {
    const answered = { signalingState: 'stable', iceState: 'checking' } as const;
    expect(offerRetry({ ...answered, now: RESTART_UNCONNECTED_MS - 1, lastOfferAt: 0 })).toBe('wait');
    expect(offerRetry({ ...answered, now: RESTART_UNCONNECTED_MS, lastOfferAt: 0 })).toBe('restart');
    expect(offerRetry({ ...answered, iceState: 'failed', now: RESTART_UNCONNECTED_MS, lastOfferAt: 0 })).toBe('restart');
  });

  it('leaves a connection alone once it is up, closed, or before it made its first offer', () => {
    for (const iceState of ['connected', 'completed'] as const) {
      expect(offerRetry({ signalingState: 'have-local-offer', iceState, now: 60_000, lastOfferAt: 0 })).toBe('wait');
    }
    expect(offerRetry({ signalingState: 'closed', iceState: 'closed', now: 60_000, lastOfferAt: 0 })).toBe('wait');
    expect(offerRetry({ ...waiting, now: 60_000, lastOfferAt: null })).toBe('wait');
  });
});

describe('the partner receiving an offer twice', () => {
  it('knows an offer by its origin line, also when the repeat carries candidates gathered since', () => {
    expect(offerKey(sdp(2))).toBe(offerKey(sdp(2, 'a=candidate:1 1 udp 2122260223 198.51.100.2 50000 typ host\r\n')));
    expect(offerKey(sdp(2))).not.toBe(offerKey(sdp(3)));
    expect(offerKey('garbage')).toBeNull();
  });

  it('answers an offer it already answered again (its answer may be what was lost), without applying it twice', () => {
    const answered = { signalingState: 'stable', remoteSdp: sdp(2), hasLocalAnswer: true } as const;
    expect(repeatedSignal({ type: 'offer', sdp: sdp(2, 'a=candidate:x\r\n') }, answered)).toBe('answer-again');
    // A renegotiation or an ICE restart is a new offer: applied.
    expect(repeatedSignal({ type: 'offer', sdp: sdp(3) }, answered)).toBe('apply');
    expect(repeatedSignal({ type: 'offer', sdp: sdp(2) }, { signalingState: 'stable', remoteSdp: null, hasLocalAnswer: false })).toBe('apply');
  });

  it('drops a second answer to one offer (applying it would break the connection)', () => {
    expect(repeatedSignal({ type: 'answer', sdp: sdp(5) }, { signalingState: 'stable', remoteSdp: sdp(5), hasLocalAnswer: false })).toBe('ignore');
    expect(repeatedSignal({ type: 'answer', sdp: sdp(5) }, { signalingState: 'have-local-offer', remoteSdp: null, hasLocalAnswer: false })).toBe('apply');
  });

  it('passes candidates and other signals through', () => {
    expect(repeatedSignal({ type: 'candidate' }, { signalingState: 'stable', remoteSdp: sdp(1), hasLocalAnswer: true })).toBe('apply');
    expect(repeatedSignal({ renegotiate: true } as { type?: unknown }, { signalingState: 'stable', remoteSdp: sdp(1), hasLocalAnswer: true })).toBe('apply');
  });
});
