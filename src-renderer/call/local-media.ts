// This side's microphone, camera and screen share during a call: which tracks
// exist, which of them the connection sends, and the device switches in between.
// Nothing here renegotiates: tracks are swapped in place on the connection.
import type { CallType } from '../../src-shared/protocol';
import { openMedia, openScreen, openTrack, stopStream, type DeviceChoice } from '../webrtc/media';
import type { PeerMessage } from '../webrtc/peer-session';
import type { PeerConnectionLike } from './peer-link';

export interface MediaOpeners {
  openMedia(media: CallType, choice: DeviceChoice): Promise<MediaStream>;
  openTrack(kind: 'audio' | 'video', deviceId: string | null): Promise<MediaStreamTrack>;
  openScreen(): Promise<MediaStreamTrack>;
}

export interface LocalMediaSnapshot {
  localStream: MediaStream | null;
  micOn: boolean;
  cameraOn: boolean;
  screenSharing: boolean;
}

export interface LocalMediaDeps {
  /** The connection that sends our tracks, when there is one. */
  peer(): PeerConnectionLike | null;
  deviceChoice(): DeviceChoice;
  /** Whether a call is under way (a lost device is replaced only then). */
  inCall(): boolean;
  /** The snapshot changed; `tracks`: tracks were added or removed. */
  changed(tracks: boolean): void;
  /** What we send changed: tell the partner. */
  announce(): void;
  problem(error: unknown): void;
  openers?: MediaOpeners;
}

const browserOpeners: MediaOpeners = { openMedia, openTrack, openScreen };

export class LocalMedia {
  private stream: MediaStream | null = null;
  private screenTrack: MediaStreamTrack | null = null;
  private micOn = true;
  private cameraOn = false;
  private readonly openers: MediaOpeners;

  constructor(private readonly deps: LocalMediaDeps) {
    this.openers = deps.openers ?? browserOpeners;
  }

  snapshot(): LocalMediaSnapshot {
    return { localStream: this.stream, micOn: this.micOn, cameraOn: this.cameraOn, screenSharing: this.screenTrack !== null };
  }

  get current(): MediaStream | null {
    return this.stream;
  }

  /** Opens what a call of this type sends (the caller checks the call still wants it). */
  open(media: CallType): Promise<MediaStream> {
    return this.openers.openMedia(media, this.deps.deviceChoice());
  }

  adopt(stream: MediaStream): void {
    stream.getTracks().forEach((track) => this.watch(track));
    this.stream = stream;
    this.micOn = true;
    this.cameraOn = stream.getVideoTracks().length > 0;
    this.deps.changed(true);
  }

  /** Keeps the open stream for an answer with `media` when it has what that needs (a voice answer drops video). */
  reuseFor(media: CallType): boolean {
    const stream = this.stream;
    const fits = !!stream && stream.getAudioTracks().length > 0 && (media === 'voice' || stream.getVideoTracks().length > 0);
    if (!stream || !fits) {
      this.release();
      return false;
    }
    if (media === 'voice') {
      for (const track of stream.getVideoTracks()) {
        track.stop();
        stream.removeTrack(track);
      }
    }
    return true;
  }

  /** What we tell the partner about our media. */
  state(): PeerMessage {
    const screen = this.screenTrack !== null;
    return { t: 'media', audio: this.micOn, video: this.cameraOn || screen, screen };
  }

  async toggleMic(): Promise<void> {
    const track = this.stream?.getAudioTracks()[0] ?? null;
    this.micOn = !this.micOn;
    if (track) track.enabled = this.micOn;
    this.deps.changed(false);
    // Send nothing at all while muted: the partner's inbound bytes stop.
    await this.deps.peer()?.replaceTrack('audio', this.micOn ? track : null);
    this.deps.announce();
  }

  async toggleCamera(): Promise<void> {
    if (this.cameraOn) {
      await this.cameraOff();
      return;
    }
    const stream = this.stream;
    if (!stream) return;
    try {
      const track = await this.openers.openTrack('video', this.deps.deviceChoice().cameraId);
      this.watch(track);
      stream.addTrack(track);
      if (this.screenTrack) await this.stopScreenShare(false);
      await this.deps.peer()?.replaceTrack('video', track);
      this.cameraOn = true;
      this.deps.changed(true);
      this.deps.announce();
    } catch (error) {
      this.deps.problem(error);
    }
  }

  /** Camera off, screen share off: only audio goes out. */
  async audioOnly(): Promise<void> {
    if (this.screenTrack) await this.stopScreenShare(false);
    await this.cameraOff();
  }

  private async cameraOff(): Promise<void> {
    const stream = this.stream;
    for (const track of stream?.getVideoTracks() ?? []) {
      track.stop();
      stream?.removeTrack(track);
    }
    if (!this.screenTrack) await this.deps.peer()?.replaceTrack('video', null);
    this.cameraOn = false;
    this.deps.changed(true);
    this.deps.announce();
  }

  async toggleScreenShare(): Promise<void> {
    if (this.screenTrack) {
      await this.stopScreenShare(true);
      return;
    }
    try {
      const track = await this.openers.openScreen();
      this.screenTrack = track;
      track.addEventListener('ended', () => void this.stopScreenShare(true));
      await this.deps.peer()?.replaceTrack('video', track);
      this.deps.changed(false);
      this.deps.announce();
    } catch (error) {
      if ((error as Error).name !== 'NotAllowedError') this.deps.problem(error);
    }
  }

  private async stopScreenShare(restoreCamera: boolean): Promise<void> {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    track.stop();
    if (restoreCamera) await this.deps.peer()?.replaceTrack('video', this.stream?.getVideoTracks()[0] ?? null);
    this.deps.changed(false);
    this.deps.announce();
  }

  /** A device chosen in the call: the track is swapped in place, no renegotiation. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string | null): Promise<void> {
    const stream = this.stream;
    if (!stream || !this.deps.inCall()) return;
    const old = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (kind === 'video' && !old) return; // camera off: the choice applies when it turns on
    try {
      const track = await this.openers.openTrack(kind, deviceId);
      this.watch(track);
      if (kind === 'audio') track.enabled = this.micOn;
      if (old) {
        stream.removeTrack(old);
        old.stop();
      }
      stream.addTrack(track);
      const send = kind === 'audio' ? (this.micOn ? track : null) : (this.screenTrack ?? track);
      await this.deps.peer()?.replaceTrack(kind, send);
      this.deps.changed(true);
    } catch (error) {
      this.deps.problem(error);
    }
  }

  /** Re-applies mute and camera state to a fresh connection's senders. */
  async applyTo(peer: PeerConnectionLike): Promise<void> {
    if (!this.micOn) await peer.replaceTrack('audio', null);
    const video = this.screenTrack ?? this.stream?.getVideoTracks()[0] ?? null;
    if (peer.sentTrack('video') !== video) await peer.replaceTrack('video', video);
  }

  /** A device unplugged mid-call ends its track: switch to the best remaining one without dropping the call. */
  private watch(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      const stream = this.stream;
      if (!stream || !stream.getTracks().includes(track) || !this.deps.inCall()) return;
      void this.switchDevice(track.kind === 'audio' ? 'audio' : 'video', null);
    });
  }

  /** Stops every track (the call is over). */
  release(): void {
    this.screenTrack?.stop();
    this.screenTrack = null;
    stopStream(this.stream);
    this.stream = null;
    this.micOn = true;
    this.cameraOn = false;
  }
}
