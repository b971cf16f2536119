// The peer connection of one call across its generations: each replacement
// connection (after a failure) gets a higher generation number, signals carry it,
// signals from older generations are dropped, and signals that arrive before their
// connection exists wait in a queue. The offering side rebuilds a closed
// connection; the other side follows the new generation's offer. When only the
// answering side's connection closed (ICE gave up there, not on the offering side),
// the offering side's restart offers would find nothing to answer them: the answering
// side then asks for a rebuild (a `rebuild` signal of that generation), once per offer
// it cannot answer, so the offering side's own re-sent offers carry the request again
// if the first one is lost.
import type { IceServer } from '../../src-shared/protocol';
import { PeerSession, type PeerMessage, type PeerSessionEvents, type PeerSessionOptions } from '../webrtc/peer-session';
import type { StatsSource } from './quality-monitor';
import { NamedTimers } from './named-timers';

/** What the call engine uses of a connection (webrtc/peer-session.ts; fakes in tests). */
export interface PeerConnectionLike extends StatsSource {
  readonly pc: RTCPeerConnection;
  signal(data: Record<string, unknown>): void;
  send(message: PeerMessage): void;
  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
  sentTrack(kind: 'audio' | 'video'): MediaStreamTrack | null;
  setVideoDirection(direction: 'inactive' | 'sendrecv'): void;
  destroy(): void;
}

export type PeerFactory = (options: PeerSessionOptions, events: PeerSessionEvents) => PeerConnectionLike;

/** What a new connection needs; null when the call cannot have one now. */
export interface PeerContext {
  callId: string;
  stream: MediaStream;
  iceServers: IceServer[];
  relayOnly: boolean;
}

export interface PeerLinkEvents {
  /** A new connection was made: its (still empty) remote stream. */
  remoteStream(stream: MediaStream): void;
  connected(peer: PeerConnectionLike): void;
  track(track: MediaStreamTrack): void;
  message(message: PeerMessage): void;
  iceState(state: RTCIceConnectionState): void;
  /** The connection closed without being asked to. */
  lost(): void;
  /** Sends one of our signals to the partner's device. */
  sendSignal(callId: string, gen: number, signal: Record<string, unknown>): void;
}

export interface PeerLinkDeps {
  context(): PeerContext | null;
  events: PeerLinkEvents;
  createPeer?: PeerFactory;
  createStream?: () => MediaStream;
  timers?: NamedTimers<'repeer'>;
}

export const REPEER_DELAY_MS = 1_000;
/** The signal asking the offering side to replace a connection whose other end closed. */
const REBUILD = 'rebuild';

export class PeerLink {
  private peer: PeerConnectionLike | null = null;
  private gen = 0;
  /** This side made the offer of the current generation. */
  private offering = false;
  /** The generation whose connection closed by itself (not replaced, not reset). */
  private closedGen = 0;
  private pending: Array<{ gen: number; signal: Record<string, unknown> }> = [];
  private readonly createPeer: PeerFactory;
  private readonly createStream: () => MediaStream;
  private readonly timers: NamedTimers<'repeer'>;

  constructor(private readonly deps: PeerLinkDeps) {
    this.createPeer = deps.createPeer ?? ((options, events) => new PeerSession(options, events));
    this.createStream = deps.createStream ?? (() => new MediaStream());
    this.timers = deps.timers ?? new NamedTimers();
  }

  get current(): PeerConnectionLike | null {
    return this.peer;
  }

  get generation(): number {
    return this.gen;
  }

  /** Makes the connection of generation `gen` unless that one (or a newer one) exists. */
  ensure(initiator: boolean, gen: number): void {
    if (this.peer && this.gen >= gen) return;
    this.open(initiator, gen);
  }

  /**
   * A signal from the partner. `mayFollow`: this side answers offers, so a newer
   * generation from the partner means it rebuilt its connection and we follow.
   */
  receive(gen: number, signal: Record<string, unknown>, mayFollow: boolean): void {
    if (gen < this.gen) return; // from a connection we already replaced
    if (signal.type === REBUILD) {
      // The partner's side of our connection is gone: replace ours (once; later requests name an older generation).
      if (gen === this.gen && this.offering && this.peer) this.open(true, gen + 1);
      return;
    }
    if (gen === this.gen && !this.peer && this.closedGen === gen && !this.offering && signal.type === 'offer') {
      const callId = this.deps.context()?.callId;
      console.debug(`heartline: offer for closed connection ${gen}: asking for a new one`);
      if (callId) this.deps.events.sendSignal(callId, gen, { type: REBUILD });
      return;
    }
    if (gen > this.gen && mayFollow && this.deps.context()) this.open(false, gen);
    if (!this.peer || gen !== this.gen) {
      console.debug(`heartline: signal ${String(signal.type ?? 'candidate')} of connection ${gen} queued (ours: ${this.gen}, ${this.peer ? 'open' : 'closed'})`);
      this.pending.push({ gen, signal });
      return;
    }
    this.peer.signal(signal);
  }

  private open(initiator: boolean, gen: number): void {
    const context = this.deps.context();
    if (!context) return;
    const { events } = this.deps;
    this.peer?.destroy();
    console.debug(`heartline: connection ${gen} opened (${initiator ? 'offering' : 'answering'})`);
    this.gen = gen;
    this.offering = initiator;
    const remote = this.createStream();
    events.remoteStream(remote);
    const mine = (): boolean => this.peer === peer;
    const peer: PeerConnectionLike = this.createPeer(
      { initiator, stream: context.stream, iceServers: context.iceServers, relayOnly: context.relayOnly },
      {
        signal: (data) => {
          if (mine()) events.sendSignal(context.callId, gen, data);
        },
        connect: () => {
          if (mine()) events.connected(peer);
        },
        track: (track) => {
          if (!mine()) return;
          remote.addTrack(track);
          events.track(track);
        },
        message: (message) => {
          if (mine()) events.message(message);
        },
        iceState: (state) => {
          if (mine()) events.iceState(state);
        },
        close: (error) => {
          if (!mine()) return;
          console.warn('heartline: peer connection closed', error?.message ?? '');
          this.peer = null;
          this.closedGen = gen;
          events.lost();
          if (initiator) this.timers.after('repeer', REPEER_DELAY_MS, () => this.open(true, this.gen + 1));
        },
      },
    );
    this.peer = peer;
    const queued = this.pending.filter((s) => s.gen === gen);
    this.pending = this.pending.filter((s) => s.gen > gen);
    for (const item of queued) peer.signal(item.signal);
  }

  /** Ends the connection and forgets the call's generations and queued signals. */
  reset(): void {
    this.timers.clear('repeer');
    this.peer?.destroy();
    this.peer = null;
    this.gen = 0;
    this.offering = false;
    this.closedGen = 0;
    this.pending = [];
  }
}
