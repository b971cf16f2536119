// What the call window shows, as one immutable snapshot, and the tiny store that
// hands it to React (useSyncExternalStore) and to anything else that listens.
import { initialCallState, type CallState } from '../../src-shared/call-machine';
import type { ConnectionStatus } from '../signaling/signaling-client';
import type { QualitySample } from '../webrtc/quality';

export interface PartnerPresence {
  online: boolean;
  inCall: boolean;
}

export interface RemoteMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
  /** The partner chose "Audio only": video is paused both ways. */
  audioOnly: boolean;
  /** The partner's video is paused because their link cannot carry it. */
  network: boolean;
}

export interface CallView {
  call: CallState;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  /** Bumped whenever tracks are added to or removed from either stream. */
  mediaVersion: number;
  micOn: boolean;
  cameraOn: boolean;
  screenSharing: boolean;
  /** What we share, for our own preview. */
  screenStream: MediaStream | null;
  /** Video stopped in both directions ("Audio only"), not just our camera. */
  audioOnly: boolean;
  /** Our outgoing call has reached a partner device that rings ("Ringing…" rather than "Calling…"). */
  partnerRinging: boolean;
  remoteMedia: RemoteMedia | null;
  quality: QualitySample | null;
  suggestAudioOnly: boolean;
  /** Our video is paused because the link cannot carry it; it comes back by itself. */
  videoPausedByNetwork: boolean;
  reconnecting: boolean;
  problem: string | null;
  presence: PartnerPresence | null;
  connection: ConnectionStatus;
}

export const initialCallView: CallView = {
  call: initialCallState,
  localStream: null,
  remoteStream: null,
  mediaVersion: 0,
  micOn: true,
  cameraOn: false,
  screenSharing: false,
  screenStream: null,
  audioOnly: false,
  partnerRinging: false,
  remoteMedia: null,
  quality: null,
  suggestAudioOnly: false,
  videoPausedByNetwork: false,
  reconnecting: false,
  problem: null,
  presence: null,
  connection: 'connecting',
};

export class ViewStore<V extends object> {
  private listeners = new Set<() => void>();

  constructor(private value: V) {}

  get = (): V => this.value;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A new snapshot (never mutated in place, so React sees the change). */
  patch(change: Partial<V>): void {
    this.value = { ...this.value, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
