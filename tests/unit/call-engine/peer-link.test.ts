import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeerLink, REPEER_DELAY_MS, type PeerContext } from '../../../src-renderer/call/peer-link';
import type { PeerSessionEvents, PeerSessionOptions } from '../../../src-renderer/webrtc/peer-session';
import { asStream, FakePeer, FakeStream, FakeTrack } from './fakes';

function setup(initialContext: PeerContext | null = { callId: 'c1', stream: asStream(new FakeStream()), iceServers: [], relayOnly: false }) {
  let context = initialContext;
  const made: Array<{ peer: FakePeer; options: PeerSessionOptions; events: PeerSessionEvents }> = [];
  const sentSignals: Array<{ callId: string; gen: number }> = [];
  const signalsOut: Array<{ gen: number; signal: Record<string, unknown> }> = [];
  const log: string[] = [];
  const link = new PeerLink({
    context: () => context,
    createPeer: (options, events) => {
      const peer = new FakePeer();
      made.push({ peer, options, events });
      return peer;
    },
    createStream: () => asStream(new FakeStream()),
    events: {
      remoteStream: () => log.push('remote-stream'),
      connected: () => log.push('connected'),
      track: () => log.push('track'),
      message: () => log.push('message'),
      iceState: (state) => log.push(`ice:${state}`),
      lost: () => log.push('lost'),
      sendSignal: (callId, gen, signal) => {
        sentSignals.push({ callId, gen });
        signalsOut.push({ gen, signal });
      },
    },
  });
  return { link, made, sentSignals, signalsOut, log, setContext: (next: PeerContext | null) => (context = next) };
}

describe('peer link', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('makes one connection per generation and tags our signals with it', () => {
    const { link, made, sentSignals } = setup();
    link.ensure(true, 1);
    link.ensure(true, 1);
    expect(made).toHaveLength(1);
    expect(made[0]?.options.initiator).toBe(true);
    made[0]?.events.signal({ type: 'offer' });
    expect(sentSignals).toEqual([{ callId: 'c1', gen: 1 }]);
  });

  it('queues signals that arrive before their connection and applies them once it exists', () => {
    const { link, made } = setup();
    link.receive(1, { type: 'offer' }, false);
    expect(made).toHaveLength(0);
    link.ensure(false, 1);
    expect(made[0]?.peer.signals).toEqual([{ type: 'offer' }]);
  });

  it('when only the answering side\'s connection closed, its next offer brings a rebuild: the offering side replaces its connection once and the other follows', () => {
    const offering = setup();
    const answering = setup();
    offering.link.ensure(true, 1);
    answering.link.receive(1, { type: 'offer' }, true);
    expect(answering.made).toHaveLength(1);
    // ICE gave up on the answering side only.
    answering.made[0]?.events.close(new Error('Ice connection failed.'));
    expect(answering.link.current).toBeNull();
    // The offering side's restart offer finds no connection to answer it: a rebuild request goes back, nothing is queued.
    answering.link.receive(1, { type: 'offer', sdp: 'restart' }, true);
    expect(answering.signalsOut).toEqual([{ gen: 1, signal: { type: 'rebuild' } }]);
    offering.link.receive(1, { type: 'rebuild' }, false);
    expect(offering.made).toHaveLength(2);
    expect(offering.made[0]?.peer.destroyed).toBe(true);
    expect(offering.made[1]?.options.initiator).toBe(true);
    expect(offering.link.generation).toBe(2);
    // A second request (another re-sent offer of the old connection) changes nothing more.
    offering.link.receive(1, { type: 'rebuild' }, false);
    expect(offering.made).toHaveLength(2);
    // The answering side follows the new generation's offer.
    answering.link.receive(2, { type: 'offer', sdp: 'new' }, true);
    expect(answering.made).toHaveLength(2);
    expect(answering.made[1]?.peer.signals).toEqual([{ type: 'offer', sdp: 'new' }]);
  });

  it('an offer for a connection not made yet is queued, not answered with a rebuild', () => {
    const { link, signalsOut } = setup();
    link.receive(1, { type: 'offer' }, false);
    expect(signalsOut).toEqual([]);
  });

  it('drops signals from a generation it already replaced', () => {
    const { link, made } = setup();
    link.ensure(true, 2);
    link.receive(1, { candidate: 'old' }, false);
    link.receive(2, { candidate: 'new' }, false);
    expect(made[0]?.peer.signals).toEqual([{ candidate: 'new' }]);
  });

  it('the answering side follows a newer generation from the partner', () => {
    const { link, made } = setup();
    link.ensure(false, 1);
    link.receive(2, { type: 'offer' }, true);
    expect(made).toHaveLength(2);
    expect(made[0]?.peer.destroyed).toBe(true);
    expect(made[1]?.options.initiator).toBe(false);
    expect(made[1]?.peer.signals).toEqual([{ type: 'offer' }]);
    expect(link.generation).toBe(2);
  });

  it('events from a replaced connection are ignored', () => {
    const { link, made, log, sentSignals } = setup();
    link.ensure(false, 1);
    link.receive(2, { type: 'offer' }, true);
    const old = made[0]!;
    old.events.connect();
    old.events.signal({ candidate: 'x' });
    old.events.close(null);
    expect(log.filter((e) => e !== 'remote-stream')).toEqual([]);
    expect(sentSignals).toEqual([]);
  });

  it('remote tracks go into the remote stream of their connection', () => {
    const streams: FakeStream[] = [];
    const made: FakePeer[] = [];
    const options: PeerSessionOptions[] = [];
    let events: PeerSessionEvents | null = null;
    const created = new PeerLink({
      context: () => ({ callId: 'c1', stream: asStream(new FakeStream()), iceServers: [], relayOnly: true }),
      createPeer: (given, givenEvents) => {
        options.push(given);
        events = givenEvents;
        const peer = new FakePeer();
        made.push(peer);
        return peer;
      },
      createStream: () => {
        const stream = new FakeStream();
        streams.push(stream);
        return asStream(stream);
      },
      events: { remoteStream: () => undefined, connected: () => undefined, track: () => undefined, message: () => undefined, iceState: () => undefined, lost: () => undefined, sendSignal: () => undefined },
    });
    created.ensure(true, 1);
    (events as PeerSessionEvents | null)?.track(new FakeTrack('video') as unknown as MediaStreamTrack);
    expect(streams[0]?.getVideoTracks()).toHaveLength(1);
    expect(options[0]?.relayOnly).toBe(true);
  });

  it('the offering side rebuilds a closed connection as the next generation after a pause', () => {
    const { link, made, log } = setup();
    link.ensure(true, 1);
    made[0]?.events.close(new Error('ice failed'));
    expect(log).toContain('lost');
    expect(link.current).toBeNull();
    vi.advanceTimersByTime(REPEER_DELAY_MS);
    expect(made).toHaveLength(2);
    expect(link.generation).toBe(2);
    expect(made[1]?.options.initiator).toBe(true);
  });

  it('the answering side waits for the partner instead of rebuilding', () => {
    const { link, made } = setup();
    link.ensure(false, 1);
    made[0]?.events.close(null);
    vi.advanceTimersByTime(REPEER_DELAY_MS * 5);
    expect(made).toHaveLength(1);
  });

  it('makes nothing while the call cannot have a connection, and reset forgets everything', () => {
    const { link, made, setContext } = setup(null);
    link.ensure(true, 1);
    expect(made).toHaveLength(0);
    setContext({ callId: 'c1', stream: asStream(new FakeStream()), iceServers: [], relayOnly: false });
    link.receive(3, { type: 'offer' }, false);
    link.ensure(true, 1);
    made[0]?.events.close(null);
    link.reset();
    vi.advanceTimersByTime(REPEER_DELAY_MS);
    expect(made).toHaveLength(1);
    expect(link.generation).toBe(0);
    link.ensure(false, 3);
    expect(made[1]?.peer.signals).toEqual([]); // the queued offer went with the reset
  });
});
