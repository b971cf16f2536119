// Stand-ins for the browser's media objects, enough for the call engine's units
// to run under Node: tracks that end, streams that hold them, a connection that
// records what it was asked to send.
import type { PeerConnectionLike } from '../../../src-renderer/call/peer-link';
import type { PeerMessage } from '../../../src-renderer/webrtc/peer-session';
import type { StatsTotals } from '../../../src-renderer/webrtc/quality';
import type { Rung } from '../../../src-renderer/webrtc/video-ladder';

export class FakeTrack {
  enabled = true;
  stopped = false;
  private readonly endedListeners: Array<() => void> = [];

  constructor(
    readonly kind: 'audio' | 'video',
    readonly label: string = kind,
  ) {}

  stop(): void {
    this.stopped = true;
  }

  addEventListener(type: string, listener: () => void): void {
    if (type === 'ended') this.endedListeners.push(listener);
  }

  /** The device went away (unplugged, or the browser's "stop sharing"). */
  end(): void {
    this.stopped = true;
    for (const listener of this.endedListeners) listener();
  }
}

export class FakeStream {
  private tracks: FakeTrack[];

  constructor(tracks: FakeTrack[] = []) {
    this.tracks = [...tracks];
  }

  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }

  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }

  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }

  addTrack(track: FakeTrack): void {
    this.tracks.push(track);
  }

  removeTrack(track: FakeTrack): void {
    this.tracks = this.tracks.filter((t) => t !== track);
  }
}

export const asStream = (stream: FakeStream): MediaStream => stream as unknown as MediaStream;
export const asTrack = (track: FakeTrack): MediaStreamTrack => track as unknown as MediaStreamTrack;

export class FakePeer implements PeerConnectionLike {
  readonly pc = {} as RTCPeerConnection;
  readonly signals: Array<Record<string, unknown>> = [];
  readonly messages: PeerMessage[] = [];
  readonly sent: Record<'audio' | 'video', MediaStreamTrack | null> = { audio: null, video: null };
  /** Each rung applied to the video sender (null: video paused). */
  readonly rungs: Array<Rung | null> = [];
  destroyed = false;
  videoDirection: 'inactive' | 'sendrecv' = 'sendrecv';
  totalsQueue: StatsTotals[] = [];

  signal(data: Record<string, unknown>): void {
    this.signals.push(data);
  }

  send(message: PeerMessage): void {
    this.messages.push(message);
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    this.sent[kind] = track;
    if (kind === 'video' && track) this.videoDirection = 'sendrecv'; // as PeerSession: sending again reopens video
  }

  sentTrack(kind: 'audio' | 'video'): MediaStreamTrack | null {
    return this.sent[kind];
  }

  setVideoDirection(direction: 'inactive' | 'sendrecv'): void {
    this.videoDirection = direction;
  }

  async setVideoRung(rung: Rung | null): Promise<void> {
    this.rungs.push(rung);
  }

  async totals(): Promise<StatsTotals> {
    const next = this.totalsQueue.shift();
    if (!next) throw new Error('connection closed');
    return next;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export function totals(at: number, bytes: number, received: number, lost: number, rttMs: number | null = 20, availableOutKbps: number | null = null): StatsTotals {
  return { at, bytesReceived: bytes, bytesSent: bytes, packetsReceived: received, packetsLost: lost, framesDecoded: 0, rttMs, availableOutKbps, route: 'direct' };
}
