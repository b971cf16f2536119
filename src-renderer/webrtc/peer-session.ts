// One simple-peer connection for one call, over the browser's own RTCPeerConnection:
// trickle ICE always, ICE servers from the server, relay-only when the user asks for
// it. It adds what simple-peer leaves out: track replacement by kind (mute, camera,
// device switch and screen share without renegotiation), ICE restart, getStats.
import SimplePeer from 'simple-peer';
import type { IceServer } from '../../src-shared/protocol';
import { canUseRed, preferredAudioCodecs, withOpusFec } from './codec-preferences';
import { MediaStallDetector, STALL_POLL_MS, STALL_RETRY_MS, transportBytesReceived } from './media-stall';
import { offerRetry, repeatedSignal } from './offer-retry';
import { totalsOf, type StatsEntry, type StatsTotals } from './quality';
import type { Rung } from './video-ladder';

/** What the partners tell each other over the data channel. */
export interface PeerMessage {
  t: 'media';
  audio: boolean;
  video: boolean;
  screen: boolean;
  /** Video is off in both directions (older peers leave it out). */
  audioOnly?: boolean;
  /** Our video is paused because the link cannot carry it (not the user's choice). */
  network?: boolean;
}

export interface PeerSessionOptions {
  initiator: boolean;
  stream: MediaStream;
  iceServers: IceServer[];
  relayOnly: boolean;
}

export interface PeerSessionEvents {
  signal(data: Record<string, unknown>): void;
  connect(): void;
  track(track: MediaStreamTrack): void;
  message(message: PeerMessage): void;
  iceState(state: RTCIceConnectionState): void;
  /** The connection is gone (error or remote close), and we did not ask for it. */
  close(error: Error | null): void;
}

// NOTE: the ICE "disconnected" state often heals by itself; restart only after 2 s
// (Matrix's timer, https://github.com/matrix-org/matrix-js-sdk/blob/develop/src/webrtc/call.ts).
const ICE_DISCONNECTED_RESTART_MS = 2_000;
/** Sent on the data channel every STALL_POLL_MS: traffic the partner's stall detector can count on. */
const HEARTBEAT = JSON.stringify({ t: 'alive' });

const isPeerMessage = (value: unknown): value is PeerMessage =>
  typeof value === 'object' && value !== null && (value as { t?: unknown }).t === 'media';

export class PeerSession {
  private readonly peer: SimplePeer.Instance;
  readonly pc: RTCPeerConnection;
  private readonly stream: MediaStream;
  private closedOnPurpose = false;
  private connected = false;
  private restartTimer: number | null = null;
  private restartedAt = Number.NEGATIVE_INFINITY;
  private readonly stall = new MediaStallDetector();
  private stallTimer: number | null = null;
  /** Until the first connect: re-sends a lost offer (offer-retry.ts). */
  private offerTimer: number | null = null;
  private lastOfferAt: number | null = null;
  readonly initiator: boolean;

  constructor(options: PeerSessionOptions, private readonly events: PeerSessionEvents) {
    this.initiator = options.initiator;
    this.stream = options.stream;
    this.peer = new SimplePeer({
      initiator: options.initiator,
      trickle: true,
      stream: options.stream,
      config: {
        iceServers: options.iceServers,
        iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
        bundlePolicy: 'max-bundle',
      },
      sdpTransform: withOpusFec,
    });
    // NOTE: simple-peer keeps its RTCPeerConnection in `_pc` and exposes no getter
    // (https://github.com/feross/simple-peer/blob/master/index.js); stats, ICE restart
    // and per-kind track replacement need it.
    this.pc = (this.peer as unknown as { _pc: RTCPeerConnection })._pc;

    // The side that makes the offer also offers the kinds it does not send yet, so
    // either partner can turn a camera on later by replacing a track (no renegotiation).
    if (options.initiator) {
      for (const kind of ['audio', 'video'] as const) {
        const has = kind === 'audio' ? options.stream.getAudioTracks().length : options.stream.getVideoTracks().length;
        if (!has) this.peer.addTransceiver(kind, { direction: 'sendrecv', streams: [options.stream] });
      }
    }

    if (options.initiator) this.preferRedAudio();

    this.peer.on('signal', (data: unknown) => {
      if ((data as { type?: unknown }).type === 'offer') this.lastOfferAt = performance.now();
      this.events.signal(data as Record<string, unknown>);
    });
    if (options.initiator) this.offerTimer = window.setInterval(() => this.retryOffer(), STALL_POLL_MS * 2);
    this.peer.on('connect', () => {
      this.connected = true;
      this.stopOfferRetry();
      this.events.connect();
      this.stallTimer = window.setInterval(() => void this.watchTraffic(), STALL_POLL_MS);
    });
    this.peer.on('data', (chunk: Uint8Array | string) => {
      try {
        const text = typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
        const message: unknown = JSON.parse(text);
        if (isPeerMessage(message)) this.events.message(message);
      } catch {
        // not ours: ignore
      }
    });
    this.peer.on('error', (error: Error) => this.finish(error));
    this.peer.on('close', () => this.finish(null));
    // simple-peer only reports tracks that arrive with a stream; a transceiver that had
    // no track when offered has none, so listen on the connection itself.
    this.pc.addEventListener('track', (event) => this.events.track(event.track));
    this.pc.addEventListener('iceconnectionstatechange', () => this.onIceState());
  }

  /**
   * RED first on the audio transceivers of our offer (the answer follows its order).
   * Runs before simple-peer's first negotiation, which it schedules for a later tick.
   */
  private preferRedAudio(): void {
    const codecs = typeof RTCRtpReceiver.getCapabilities === 'function' ? (RTCRtpReceiver.getCapabilities('audio')?.codecs ?? []) : [];
    if (!canUseRed(codecs)) return;
    for (const transceiver of this.pc.getTransceivers()) {
      if (transceiver.receiver.track.kind !== 'audio' || typeof transceiver.setCodecPreferences !== 'function') continue;
      try {
        transceiver.setCodecPreferences(preferredAudioCodecs(codecs));
      } catch (error) {
        console.warn('heartline: audio codec preferences refused', error);
      }
    }
  }

  get isConnected(): boolean {
    return this.connected;
  }

  signal(data: Record<string, unknown>): void {
    if (this.closedOnPurpose) return;
    const local = this.pc.localDescription;
    const seen = repeatedSignal(data, {
      signalingState: this.pc.signalingState,
      remoteSdp: this.pc.remoteDescription?.sdp ?? null,
      hasLocalAnswer: local?.type === 'answer',
    });
    if (seen === 'ignore') return;
    if (seen === 'answer-again' && local) {
      // The partner did not get our answer (it re-sent its offer): the same answer again, with our candidates.
      this.events.signal({ type: local.type, sdp: local.sdp });
      return;
    }
    try {
      this.peer.signal(data as unknown as SimplePeer.SignalData);
    } catch (error) {
      console.warn('heartline: bad signal', error);
    }
  }

  send(message: PeerMessage): void {
    if (!this.connected || this.closedOnPurpose) return;
    try {
      this.peer.send(JSON.stringify(message));
    } catch {
      // channel closing: the next state message will tell the partner
    }
  }

  private transceiverFor(kind: 'audio' | 'video'): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped');
  }

  /** Swaps what we send for one kind; null sends nothing (the partner's bytes stop). */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.transceiverFor(kind);
    if (!transceiver) {
      if (track) this.peer.addTrack(track, this.stream); // simple-peer renegotiates
      return;
    }
    await transceiver.sender.replaceTrack(track);
    if (track && (transceiver.direction === 'recvonly' || transceiver.direction === 'inactive')) {
      // This side answered without sending this kind: ask for one renegotiation.
      transceiver.direction = 'sendrecv';
      this.negotiate();
    }
  }

  /**
   * "Audio only": 'inactive' stops video both ways (nothing sent, nothing received,
   * the bandwidth is free); 'sendrecv' opens it again. Takes one renegotiation.
   */
  setVideoDirection(direction: 'inactive' | 'sendrecv'): void {
    const transceiver = this.transceiverFor('video');
    if (!transceiver || transceiver.direction === direction) return;
    transceiver.direction = direction;
    this.negotiate();
  }

  /** simple-peer's negotiate() exists at runtime but is missing from @types/simple-peer. */
  private negotiate(): void {
    (this.peer as unknown as { negotiate(): void }).negotiate();
  }

  sentTrack(kind: 'audio' | 'video'): MediaStreamTrack | null {
    return this.transceiverFor(kind)?.sender.track ?? null;
  }

  /**
   * The video we send on a thin link: a rung's bitrate and resolution, or (null) none at
   * all. Pausing deactivates the encoding, so the camera track and the user's choice stay.
   */
  async setVideoRung(rung: Rung | null): Promise<void> {
    const sender = this.transceiverFor('video')?.sender;
    if (!sender) return;
    const params = sender.getParameters();
    const encoding = params.encodings?.[0];
    if (!encoding) return;
    encoding.active = rung !== null;
    if (rung) {
      encoding.maxBitrate = rung.maxBitrate;
      encoding.scaleResolutionDownBy = rung.scaleResolutionDownBy;
    }
    await sender.setParameters(params).catch(() => undefined);
  }

  async totals(): Promise<StatsTotals> {
    const report = await this.pc.getStats();
    const entries: StatsEntry[] = [];
    report.forEach((entry: StatsEntry) => entries.push(entry));
    return totalsOf(entries, performance.now());
  }

  /** ICE restart: the offering side restarts and renegotiates; the other side asks it to. */
  restartIce(): void {
    if (this.closedOnPurpose) return;
    try {
      if (this.initiator) this.pc.restartIce();
      this.negotiate();
    } catch (error) {
      console.warn('heartline: ICE restart failed', error);
    }
  }

  /**
   * The offering side's one way to start an ICE restart after trouble (a media stall
   * or ICE `disconnected`): at most once per STALL_RETRY_MS, since a restart takes a
   * signaling round trip and a second one would only start the checks over.
   */
  private restartAfterTrouble(): void {
    if (!this.initiator || performance.now() - this.restartedAt < STALL_RETRY_MS) return;
    this.restartedAt = performance.now();
    const unanswered = this.pc.signalingState === 'have-local-offer' ? this.pc.localDescription : null;
    if (unanswered) {
      // The last restart's offer got no answer: it went out while the partner's socket was
      // still reconnecting (its address had just changed). simple-peer will not offer again
      // while one is open, so send that offer (with the candidates gathered since) once more.
      this.resendOffer(unanswered);
      return;
    }
    this.restartIce();
  }

  private resendOffer(offer: RTCSessionDescription): void {
    this.lastOfferAt = performance.now();
    this.events.signal({ type: offer.type, sdp: offer.sdp });
  }

  /** A connection not up yet: its offer may have been lost (offer-retry.ts says what to do). */
  private retryOffer(): void {
    if (this.closedOnPurpose || this.connected) return;
    const decision = offerRetry({
      now: performance.now(),
      lastOfferAt: this.lastOfferAt,
      signalingState: this.pc.signalingState,
      iceState: this.pc.iceConnectionState,
    });
    const offer = this.pc.localDescription;
    if (decision === 'resend' && offer?.type === 'offer') this.resendOffer(offer);
    else if (decision === 'restart') {
      this.lastOfferAt = performance.now();
      this.restartIce();
    }
  }

  private stopOfferRetry(): void {
    if (this.offerTimer !== null) window.clearInterval(this.offerTimer);
    this.offerTimer = null;
  }

  /** Heartbeat out, received bytes in: a connection that went quiet is restarted without waiting for ICE to notice. */
  private async watchTraffic(): Promise<void> {
    if (this.closedOnPurpose) return;
    try {
      this.peer.send(HEARTBEAT);
    } catch {
      // channel not open (yet, or any more): the counter tells
    }
    const ice = this.pc.iceConnectionState;
    // 'checking' too: a restart's checks that never succeed are a stall to retry.
    if (ice !== 'connected' && ice !== 'completed' && ice !== 'disconnected' && ice !== 'checking') {
      this.stall.reset();
      return;
    }
    try {
      const report = await this.pc.getStats();
      const entries: Array<{ type: string; bytesReceived?: number }> = [];
      report.forEach((entry: { type: string; bytesReceived?: number }) => entries.push(entry));
      if (this.stall.reading(performance.now(), transportBytesReceived(entries))) this.restartAfterTrouble();
    } catch {
      // the connection is closing
    }
  }

  private onIceState(): void {
    const state = this.pc.iceConnectionState;
    this.events.iceState(state);
    if (state === 'disconnected') {
      if (this.restartTimer === null) {
        this.restartTimer = window.setTimeout(() => {
          this.restartTimer = null;
          if (this.pc.iceConnectionState === 'disconnected') this.restartAfterTrouble();
        }, ICE_DISCONNECTED_RESTART_MS);
      }
    } else if (this.restartTimer !== null) {
      window.clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
  }

  private stopTimers(): void {
    if (this.restartTimer !== null) window.clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.stallTimer !== null) window.clearInterval(this.stallTimer);
    this.stallTimer = null;
    this.stopOfferRetry();
  }

  private finish(error: Error | null): void {
    this.stopTimers();
    if (this.closedOnPurpose) return;
    this.closedOnPurpose = true;
    this.events.close(error);
  }

  destroy(): void {
    this.closedOnPurpose = true;
    this.stopTimers();
    this.peer.destroy();
  }
}
