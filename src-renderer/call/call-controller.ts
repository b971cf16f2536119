// Runs calls: feeds the pure call machine (src-shared/call-machine.ts) with what the
// user, the server and the peer connection do, and carries out the effects of each
// transition (media, peer, tones, notifications, the desktop bridge). React reads
// it through useSyncExternalStore (hooks/useCall.ts).
import {
  callIdOf,
  callReducer,
  initialCallState,
  isBusy,
  type CallEvent,
  type CallState,
} from '../../src-shared/call-machine';
import type { CallPresence, Settings } from '../../src-shared/ipc';
import type { CallEndedEvent, CallIncomingEvent, CallSignalEvent, CallType, IceServer, PresenceEvent, User } from '../../src-shared/protocol';
import type { Session } from '../api/session';
import type { Translator } from '../i18n';
import { bridge, notify } from '../platform/bridge';
import { TonePlayer } from '../platform/tones';
import { SignalingClient, type ConnectionStatus } from '../signaling/signaling-client';
import { describeMediaError, openMedia, openScreen, openTrack, stopStream } from '../webrtc/media';
import { PeerSession, type PeerMessage } from '../webrtc/peer-session';
import { sampleBetween, shouldSuggestAudioOnly, videoBitrateCap, type QualitySample, type StatsTotals } from '../webrtc/quality';

export interface PartnerPresence {
  online: boolean;
  inCall: boolean;
}

export interface RemoteMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
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
  remoteMedia: RemoteMedia | null;
  quality: QualitySample | null;
  suggestAudioOnly: boolean;
  reconnecting: boolean;
  problem: string | null;
  presence: PartnerPresence | null;
  connection: ConnectionStatus;
}

export interface CallControllerDeps {
  session: Session;
  serverUrl: string;
  settings: () => Settings;
  translator: () => Translator;
  /** The call log may have changed (a call ended, the socket came back, pairing changed). */
  onHistoryChanged: () => void;
}

const ACTIVE_CALL_KEY = 'heartline.activeCall';
const COLLISION_WAIT_MS = 3_000;
// NOTE: a call whose connection stays down this long ends (Matrix's 30 s).
const RECONNECT_DEADLINE_MS = 30_000;
const STATS_INTERVAL_MS = 2_000;
const RING_EXPIRY_GRACE_MS = 2_000;

export class CallController {
  private view: CallView;
  private readonly listeners = new Set<() => void>();
  readonly signaling: SignalingClient;
  private readonly tones = new TonePlayer();

  private peer: PeerSession | null = null;
  private generation = 0;
  private pendingSignals: Array<{ gen: number; signal: Record<string, unknown> }> = [];
  private iceServers: Promise<IceServer[]> | null = null;
  private iceServersValue: IceServer[] | null = null;
  private screenTrack: MediaStreamTrack | null = null;
  private samples: QualitySample[] = [];
  private lastTotals: StatsTotals | null = null;
  private appliedCap: number | null = null;
  private timers = new Map<'ring' | 'reset' | 'collision' | 'deadline' | 'stats' | 'repeer' | 'ice', number>();
  private readonly unsubscribers: Array<() => void> = [];

  constructor(private readonly deps: CallControllerDeps) {
    this.view = {
      call: initialCallState,
      localStream: null,
      remoteStream: null,
      mediaVersion: 0,
      micOn: true,
      cameraOn: false,
      screenSharing: false,
      remoteMedia: null,
      quality: null,
      suggestAudioOnly: false,
      reconnecting: false,
      problem: null,
      presence: null,
      connection: 'connecting',
    };
    this.signaling = new SignalingClient(
      deps.serverUrl,
      () => deps.session.token(),
      {
        'call:incoming': (event) => this.onIncoming(event),
        'call:accepted': (event) => this.onAccepted(event.callId),
        'call:signal': (event) => this.onSignal(event),
        'call:ended': (event) => this.onEnded(event),
        presence: (event) => this.onPresence(event),
        'pairing:changed': (event) => {
          deps.session.setPartner(event.partner);
          if (!event.partner) this.patch({ presence: null });
          deps.onHistoryChanged();
        },
      },
      () => this.onSocketConnected(),
    );
    this.unsubscribers.push(this.signaling.subscribeStatus(() => this.patch({ connection: this.signaling.getStatus() })));

    const onPageHide = (): void => this.leaveOnUnload();
    window.addEventListener('pagehide', onPageHide);
    this.unsubscribers.push(() => window.removeEventListener('pagehide', onPageHide));

    const api = bridge();
    if (api) {
      this.unsubscribers.push(
        api.onAction((action) => {
          switch (action.kind) {
            case 'start-call':
              void this.start(action.callType);
              break;
            case 'answer':
              if (callIdOf(this.view.call) === action.callId) void this.answer(action.callType);
              break;
            case 'decline':
              if (callIdOf(this.view.call) === action.callId) this.hangup();
              break;
            case 'ring-expired':
              // Main owns ring expiry in the desktop app.
              this.dispatch({ type: 'ring-expired', callId: action.callId, at: this.now() });
              break;
            case 'open-settings':
              window.dispatchEvent(new CustomEvent('heartline:open-settings'));
              break;
            case 'open-invite':
              // Handled by platform/pending-invite.ts, which listens before sign-in too.
              break;
            default: {
              const unknownAction: never = action;
              console.warn('heartline: unknown action', unknownAction);
            }
          }
        }),
      );
    }
  }

  // ------------------------------------------------------------ store for React

  getView = (): CallView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private patch(change: Partial<CallView>): void {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }

  private now(): number {
    return Date.now();
  }

  private partner(): User | null {
    return this.deps.session.partner;
  }

  // ------------------------------------------------------------ the machine

  private dispatch(event: CallEvent): void {
    const previous = this.view.call;
    const next = callReducer(previous, event);
    if (next === previous) {
      if (event.type !== 'reset') console.debug(`heartline: ignored ${event.type} in ${previous.kind}`);
      return;
    }
    console.debug(`heartline: call ${previous.kind} -> ${next.kind} (${event.type})`);
    this.patch({ call: next });
    this.afterTransition(previous, next);
  }

  private afterTransition(previous: CallState, next: CallState): void {
    // Tones: the page rings only where main does not (a plain browser).
    if (next.kind === 'incoming' && !next.autoAnswer) {
      if (!bridge()) this.tones.play('ringtone');
    } else if (next.kind === 'outgoing') this.tones.play('ringback');
    else this.tones.stop();

    void bridge()?.calls.setPresence(this.presenceFor(next)).catch(() => undefined);

    if (next.kind === 'incoming' && previous.kind !== 'incoming') {
      const t = this.deps.translator();
      if (!next.autoAnswer) notify(t.t('appName'), t.t('notifIncoming', { name: next.from.displayName }), `call-${next.callId}`);
      const callId = next.callId;
      // The server's own timeout normally arrives first; this only covers a server that went
      // quiet. In the desktop app main owns ring expiry and sends 'ring-expired'.
      if (!bridge()) this.setTimer('ring', Math.max(0, Date.parse(next.expiresAt) - this.now()) + RING_EXPIRY_GRACE_MS, () =>
        this.dispatch({ type: 'ring-expired', callId, at: this.now() }),
      );
      if (next.autoAnswer) {
        const media: CallType = next.autoAnswerWith === 'video' && next.callType === 'video' ? 'video' : 'voice';
        queueMicrotask(() => void this.answer(media));
      }
    }
    if (next.kind !== 'incoming') this.clearTimer('ring');
    if (next.kind !== 'outgoing') this.clearTimer('collision');

    if (next.kind === 'connecting' || next.kind === 'active') this.remember(next.callId);

    if (next.kind === 'ended') {
      this.teardown();
      this.remember(null);
      if (next.reason === 'expired' || (next.reason === 'timeout' && previous.kind === 'incoming')) {
        const t = this.deps.translator();
        const from = previous.kind === 'incoming' ? previous.from.displayName : (this.partner()?.displayName ?? '');
        notify(t.t('appName'), t.t('notifMissed', { name: from }), `missed-${next.callId ?? ''}`);
      }
      const quick = next.reason === 'answered_elsewhere';
      this.setTimer('reset', quick ? 1_500 : 4_000, () => this.dismiss());
      this.deps.onHistoryChanged();
    } else {
      this.clearTimer('reset');
    }
  }

  private presenceFor(state: CallState): CallPresence {
    const partnerName = this.partner()?.displayName ?? '';
    switch (state.kind) {
      case 'idle':
      case 'ended':
        return { kind: 'idle' };
      case 'incoming':
        // Both pressed call at once: this is answered at once, so main must not ring.
        if (state.autoAnswer) return { kind: 'in-call', callId: state.callId, callType: state.callType, partnerName: state.from.displayName };
        return { kind: 'incoming', callId: state.callId, callType: state.callType, partnerName: state.from.displayName, expiresAt: state.expiresAt };
      case 'outgoing':
        return { kind: 'outgoing', callId: state.callId, callType: state.callType, partnerName };
      case 'connecting':
      case 'active':
        return { kind: 'in-call', callId: state.callId, callType: state.callType, partnerName };
      default: {
        const unreachable: never = state;
        throw new Error(`unhandled state ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Leave the ended screen now. */
  dismiss(): void {
    this.clearTimer('reset');
    this.dispatch({ type: 'reset' });
    if (this.view.call.kind === 'idle') this.patch({ problem: null });
  }

  // ------------------------------------------------------------ user actions

  async start(callType: CallType): Promise<void> {
    if (isBusy(this.view.call)) return;
    this.patch({ problem: null });
    this.dispatch({ type: 'dial', callType, at: this.now() });
    if (!this.partner()) {
      // Nothing to ask the server: say so at once.
      this.dispatch({ type: 'dial-failed', code: 'NOT_PAIRED', at: this.now() });
      return;
    }
    this.prefetchIceServers();
    let stream: MediaStream;
    try {
      stream = await openMedia(callType, this.deviceChoice());
    } catch (error) {
      this.patch({ problem: this.deps.translator().t('mediaError', { detail: describeMediaError(error) }) });
      this.dispatch({ type: 'hangup', at: this.now() });
      return;
    }
    if (this.view.call.kind !== 'outgoing') {
      stopStream(stream);
      return;
    }
    this.useLocalStream(stream);

    const ack = await this.signaling.request('call:start', { type: callType });
    if (ack.ok) {
      this.dispatch({ type: 'dial-acked', callId: ack.callId });
      if (callIdOf(this.view.call) !== ack.callId) this.signaling.emitNow('call:hangup', { callId: ack.callId }); // canceled meanwhile
      return;
    }
    const at = this.now();
    this.dispatch(ack.error.callId ? { type: 'dial-failed', code: ack.error.code, callId: ack.error.callId, at } : { type: 'dial-failed', code: ack.error.code, at });
    const state = this.view.call;
    if (state.kind === 'outgoing' && state.collidedCallId) {
      // The partner's call:incoming is on its way; if it never comes, say why.
      this.setTimer('collision', COLLISION_WAIT_MS, () => {
        if (this.view.call.kind === 'outgoing') this.dispatch({ type: 'dial-failed', code: 'CALL_IN_PROGRESS', at: this.now() });
      });
    }
  }

  async answer(media: CallType): Promise<void> {
    const state = this.view.call;
    if (state.kind !== 'incoming') return;
    const callId = state.callId;
    this.patch({ problem: null });
    this.dispatch({ type: 'answer', callId, media, at: this.now() });
    this.prefetchIceServers();

    let stream = this.view.localStream;
    const fits = stream && stream.getAudioTracks().length > 0 && (media === 'voice' || stream.getVideoTracks().length > 0);
    if (stream && fits && media === 'voice') {
      for (const track of stream.getVideoTracks()) {
        track.stop();
        stream.removeTrack(track);
      }
    }
    if (!stream || !fits) {
      stopStream(stream);
      try {
        stream = await openMedia(media, this.deviceChoice());
      } catch (error) {
        this.patch({ problem: this.deps.translator().t('mediaError', { detail: describeMediaError(error) }) });
        this.signaling.emitNow('call:decline', { callId });
        this.dispatch({ type: 'hangup', at: this.now() });
        return;
      }
      if (callIdOf(this.view.call) !== callId || this.view.call.kind !== 'connecting') {
        stopStream(stream);
        return;
      }
      this.useLocalStream(stream);
    }

    const ack = await this.signaling.request('call:accept', { callId });
    if (!ack.ok) {
      this.dispatch({ type: 'accept-failed', callId, code: ack.error.code, at: this.now() });
      return;
    }
    // The server relays signals from now on: the answering side makes the offer.
    await this.startPeer(true, this.generation + 1);
  }

  /** Cancel, decline or hang up, whichever fits. */
  hangup(): void {
    const state = this.view.call;
    const callId = callIdOf(state);
    if (callId) {
      if (state.kind === 'incoming') this.signaling.emitNow('call:decline', { callId });
      else if (isBusy(state)) this.signaling.emitNow('call:hangup', { callId });
    }
    this.dispatch({ type: 'hangup', at: this.now() });
  }

  async toggleMic(): Promise<void> {
    const track = this.view.localStream?.getAudioTracks()[0] ?? null;
    const micOn = !this.view.micOn;
    if (track) track.enabled = micOn;
    this.patch({ micOn });
    // Send nothing at all while muted: the partner's inbound bytes stop.
    await this.peer?.replaceTrack('audio', micOn ? track : null);
    this.sendMediaState();
  }

  async toggleCamera(): Promise<void> {
    if (this.view.cameraOn) {
      await this.cameraOff();
      return;
    }
    const stream = this.view.localStream;
    if (!stream) return;
    try {
      const track = await openTrack('video', this.deps.settings().cameraId);
      this.watchTrack(track);
      stream.addTrack(track);
      if (this.screenTrack) await this.stopScreenShare(false);
      await this.peer?.replaceTrack('video', track);
      this.patch({ cameraOn: true, suggestAudioOnly: false, mediaVersion: this.view.mediaVersion + 1 });
      this.sendMediaState();
    } catch (error) {
      this.patch({ problem: this.deps.translator().t('mediaError', { detail: describeMediaError(error) }) });
    }
  }

  /** Camera off, screen share off: only audio goes out. */
  async audioOnly(): Promise<void> {
    if (this.screenTrack) await this.stopScreenShare(false);
    await this.cameraOff();
    this.patch({ suggestAudioOnly: false });
  }

  private async cameraOff(): Promise<void> {
    const stream = this.view.localStream;
    for (const track of stream?.getVideoTracks() ?? []) {
      track.stop();
      stream?.removeTrack(track);
    }
    if (!this.screenTrack) await this.peer?.replaceTrack('video', null);
    this.patch({ cameraOn: false, mediaVersion: this.view.mediaVersion + 1 });
    this.sendMediaState();
  }

  async toggleScreenShare(): Promise<void> {
    if (this.screenTrack) {
      await this.stopScreenShare(true);
      return;
    }
    try {
      const track = await openScreen();
      this.screenTrack = track;
      track.addEventListener('ended', () => void this.stopScreenShare(true));
      await this.peer?.replaceTrack('video', track);
      this.patch({ screenSharing: true });
      this.sendMediaState();
    } catch (error) {
      if ((error as Error).name !== 'NotAllowedError') {
        this.patch({ problem: this.deps.translator().t('mediaError', { detail: describeMediaError(error) }) });
      }
    }
  }

  private async stopScreenShare(restoreCamera: boolean): Promise<void> {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    track.stop();
    if (restoreCamera) await this.peer?.replaceTrack('video', this.view.localStream?.getVideoTracks()[0] ?? null);
    this.patch({ screenSharing: false });
    this.sendMediaState();
  }

  /** A device chosen in the call: the track is swapped in place, no renegotiation. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string | null): Promise<void> {
    const stream = this.view.localStream;
    if (!stream || !isBusy(this.view.call)) return;
    const old = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
    if (kind === 'video' && !old) return; // camera off: the choice applies when it turns on
    try {
      const track = await openTrack(kind, deviceId);
      this.watchTrack(track);
      if (kind === 'audio') track.enabled = this.view.micOn;
      if (old) {
        stream.removeTrack(old);
        old.stop();
      }
      stream.addTrack(track);
      const send = kind === 'audio' ? (this.view.micOn ? track : null) : this.screenTrack ? this.screenTrack : track;
      await this.peer?.replaceTrack(kind, send);
      this.patch({ mediaVersion: this.view.mediaVersion + 1 });
    } catch (error) {
      this.patch({ problem: this.deps.translator().t('mediaError', { detail: describeMediaError(error) }) });
    }
  }

  // ------------------------------------------------------------ server events

  private onSocketConnected(): void {
    // A page that reloaded mid-call ends that call cleanly instead of leaving the partner waiting.
    const stale = this.recalled();
    if (stale && stale !== callIdOf(this.view.call)) {
      this.signaling.emitNow('call:hangup', { callId: stale });
      this.remember(null);
    }
    this.deps.onHistoryChanged();
  }

  private onIncoming(event: CallIncomingEvent): void {
    if (Date.parse(event.expiresAt) <= this.now()) return; // a device that woke late must not ring
    // Browser: logged, not rung. Desktop: main decides do not disturb (no ring window, sound or notice).
    if (!bridge() && this.deps.settings().doNotDisturb && this.view.call.kind !== 'outgoing') return;
    this.dispatch({ type: 'incoming', callId: event.call.id, callType: event.call.type, from: event.from, expiresAt: event.expiresAt, at: this.now() });
  }

  private onAccepted(callId: string): void {
    this.dispatch({ type: 'accepted', callId, at: this.now() });
    const state = this.view.call;
    if (state.kind === 'connecting' && state.role === 'caller' && state.callId === callId) void this.startPeer(false, 1);
  }

  private onEnded(event: CallEndedEvent): void {
    const before = this.view.call;
    this.dispatch({ type: 'remote-ended', callId: event.callId, status: event.status, reason: event.reason, at: this.now() });
    // The log changed even when this window had already moved on (a ring that expired here first).
    if (this.view.call === before) this.deps.onHistoryChanged();
  }

  private onPresence(event: PresenceEvent): void {
    if (event.userId !== this.partner()?.id) return;
    this.patch({ presence: { online: event.online, inCall: event.inCall } });
  }

  private onSignal(event: CallSignalEvent): void {
    const state = this.view.call;
    if ((state.kind !== 'connecting' && state.kind !== 'active') || state.callId !== event.callId) return;
    const gen = typeof event.data.gen === 'number' ? event.data.gen : 1;
    const signal = event.data.signal;
    if (typeof signal !== 'object' || signal === null) return;
    const data = signal as Record<string, unknown>;
    if (gen < this.generation) return; // from a connection we already replaced
    if (gen > this.generation && state.role === 'caller' && this.iceServersValue) {
      // The answering side started a fresh connection (its old one failed): follow it.
      this.createPeer(false, gen);
    }
    if (!this.peer || gen !== this.generation) {
      this.pendingSignals.push({ gen, signal: data });
      return;
    }
    this.peer.signal(data);
  }

  // ------------------------------------------------------------ peer connection

  private prefetchIceServers(): Promise<IceServer[]> {
    return (this.iceServers ??= this.deps.session
      .iceServers()
      .then((reply) => {
        this.refreshIceServersBefore(reply.expiresAt);
        return reply.iceServers;
      })
      .catch((error: unknown) => {
        console.warn('heartline: no ICE servers, trying host candidates only', error);
        return [];
      })
      .then((servers) => {
        this.iceServersValue = servers;
        return servers;
      }));
  }

  /** TURN credentials last an hour at most: a minute before they expire, fetch fresh ones for the live connection and any restart. */
  private refreshIceServersBefore(expiresAt: string | undefined): void {
    const delay = Date.parse(expiresAt ?? '') - Date.now() - 60_000;
    if (!Number.isFinite(delay)) return;
    this.setTimer('ice', Math.max(5_000, delay), () => {
      this.iceServers = null;
      void this.prefetchIceServers().then((iceServers) => {
        const pc = this.peer?.pc;
        if (pc && iceServers.length) pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
      });
    });
  }

  private async startPeer(initiator: boolean, gen: number): Promise<void> {
    this.prefetchIceServers();
    await this.iceServers;
    const state = this.view.call;
    if (state.kind !== 'connecting' && state.kind !== 'active') return;
    if (this.peer && this.generation >= gen) return;
    this.createPeer(initiator, gen);
  }

  private createPeer(initiator: boolean, gen: number): void {
    const state = this.view.call;
    const stream = this.view.localStream;
    if ((state.kind !== 'connecting' && state.kind !== 'active') || !stream || !this.iceServersValue) return;
    const callId = state.callId;
    this.peer?.destroy();
    this.generation = gen;
    const remote = new MediaStream();
    this.patch({ remoteStream: remote, mediaVersion: this.view.mediaVersion + 1 });
    const peer: PeerSession = new PeerSession(
      { initiator, stream, iceServers: this.iceServersValue, relayOnly: this.deps.settings().relayOnly },
      {
        signal: (data) => {
          if (this.peer !== peer) return;
          void this.signaling.request('call:signal', { callId, data: { gen, signal: data } }).then((ack) => {
            if (!ack.ok) console.warn('heartline: signal refused', ack.error.code);
          });
        },
        connect: () => {
          if (this.peer !== peer) return;
          this.clearTimer('deadline');
          this.patch({ reconnecting: false });
          this.dispatch({ type: 'peer-connected', callId, at: this.now() });
          // What this side sends now (mute or camera state from before a reconnect).
          void this.applySendState(peer).then(() => this.sendMediaState());
          this.startStats();
        },
        track: (track) => {
          if (this.peer !== peer) return;
          remote.addTrack(track);
          this.patch({ mediaVersion: this.view.mediaVersion + 1 });
        },
        message: (message: PeerMessage) => {
          if (this.peer === peer) this.patch({ remoteMedia: { audio: message.audio, video: message.video, screen: message.screen } });
        },
        iceState: (ice) => {
          if (this.peer !== peer) return;
          if (ice === 'disconnected' || ice === 'failed') this.connectionTrouble();
          if (ice === 'connected' || ice === 'completed') {
            this.clearTimer('deadline');
            this.patch({ reconnecting: false });
          }
        },
        close: (error) => {
          if (this.peer !== peer) return;
          console.warn('heartline: peer connection closed', error?.message ?? '');
          this.peer = null;
          this.connectionTrouble();
          // The offering side builds a new connection; the other side follows its offer.
          if (initiator) this.setTimer('repeer', 1_000, () => this.createPeer(true, this.generation + 1));
        },
      },
    );
    this.peer = peer;
    const queued = this.pendingSignals.filter((s) => s.gen === gen);
    this.pendingSignals = this.pendingSignals.filter((s) => s.gen > gen);
    for (const item of queued) peer.signal(item.signal);
  }

  /** Re-applies mute and camera state to a fresh connection's senders. */
  private async applySendState(peer: PeerSession): Promise<void> {
    const stream = this.view.localStream;
    if (!this.view.micOn) await peer.replaceTrack('audio', null);
    const video = this.screenTrack ?? stream?.getVideoTracks()[0] ?? null;
    if (peer.sentTrack('video') !== video) await peer.replaceTrack('video', video);
  }

  private connectionTrouble(): void {
    const state = this.view.call;
    if (state.kind !== 'connecting' && state.kind !== 'active') return;
    this.patch({ reconnecting: true });
    if (this.timers.has('deadline')) return;
    const callId = state.callId;
    this.setTimer('deadline', RECONNECT_DEADLINE_MS, () => {
      if (callIdOf(this.view.call) !== callId) return;
      this.signaling.emitNow('call:hangup', { callId });
      this.dispatch({ type: 'connection-failed', callId, at: this.now() });
    });
  }

  private sendMediaState(): void {
    this.peer?.send({ t: 'media', audio: this.view.micOn, video: this.view.cameraOn || this.view.screenSharing, screen: this.view.screenSharing });
  }

  private startStats(): void {
    this.clearTimer('stats');
    const tick = async (): Promise<void> => {
      const peer = this.peer;
      if (!peer) return;
      try {
        const totals = await peer.totals();
        if (this.lastTotals) {
          const sample = sampleBetween(this.lastTotals, totals);
          this.samples = [...this.samples.slice(-9), sample];
          const cap = videoBitrateCap(this.samples);
          if (cap !== this.appliedCap) {
            this.appliedCap = cap;
            await peer.setVideoBitrateCap(cap);
          }
          this.patch({ quality: sample, suggestAudioOnly: this.view.cameraOn && shouldSuggestAudioOnly(this.samples) });
        }
        this.lastTotals = totals;
      } catch {
        // the connection is going away
      }
    };
    const id = window.setInterval(() => void tick(), STATS_INTERVAL_MS);
    this.timers.set('stats', id);
  }

  // ------------------------------------------------------------ local media

  private deviceChoice(): { microphoneId: string | null; cameraId: string | null } {
    const settings = this.deps.settings();
    return { microphoneId: settings.microphoneId, cameraId: settings.cameraId };
  }

  private useLocalStream(stream: MediaStream): void {
    stream.getTracks().forEach((track) => this.watchTrack(track));
    this.patch({
      localStream: stream,
      micOn: true,
      cameraOn: stream.getVideoTracks().length > 0,
      mediaVersion: this.view.mediaVersion + 1,
    });
  }

  /** A device unplugged mid-call ends its track: switch to the best remaining one without dropping the call. */
  private watchTrack(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      const stream = this.view.localStream;
      if (!stream || !stream.getTracks().includes(track) || !isBusy(this.view.call)) return;
      void this.switchDevice(track.kind === 'audio' ? 'audio' : 'video', null);
    });
  }

  private teardown(): void {
    for (const key of ['deadline', 'stats', 'repeer', 'collision', 'ice'] as const) this.clearTimer(key);
    this.peer?.destroy();
    this.peer = null;
    this.generation = 0;
    this.pendingSignals = [];
    this.iceServers = null;
    this.iceServersValue = null;
    if (this.screenTrack) this.screenTrack.stop();
    this.screenTrack = null;
    stopStream(this.view.localStream);
    this.samples = [];
    this.lastTotals = null;
    this.appliedCap = null;
    this.patch({
      localStream: null,
      remoteStream: null,
      remoteMedia: null,
      quality: null,
      suggestAudioOnly: false,
      reconnecting: false,
      screenSharing: false,
      cameraOn: false,
      micOn: true,
    });
  }

  // ------------------------------------------------------------ page lifecycle

  private remember(callId: string | null): void {
    try {
      if (callId) window.sessionStorage.setItem(ACTIVE_CALL_KEY, callId);
      else window.sessionStorage.removeItem(ACTIVE_CALL_KEY);
    } catch {
      // storage disabled
    }
  }

  private recalled(): string | null {
    try {
      return window.sessionStorage.getItem(ACTIVE_CALL_KEY);
    } catch {
      return null;
    }
  }

  private leaveOnUnload(): void {
    const state = this.view.call;
    const callId = callIdOf(state);
    if (!callId || !isBusy(state)) return;
    // Best effort now; if it does not get out, the reloaded page sends it (onSocketConnected).
    this.signaling.emitNow(state.kind === 'incoming' ? 'call:decline' : 'call:hangup', { callId });
    if (state.kind === 'outgoing' || state.kind === 'incoming') return;
    this.remember(callId);
  }

  private setTimer(key: Parameters<CallController['clearTimer']>[0], ms: number, run: () => void): void {
    this.clearTimer(key);
    this.timers.set(
      key,
      window.setTimeout(() => {
        this.timers.delete(key);
        run();
      }, ms),
    );
  }

  private clearTimer(key: 'ring' | 'reset' | 'collision' | 'deadline' | 'stats' | 'repeer' | 'ice'): void {
    const id = this.timers.get(key);
    if (id === undefined) return;
    window.clearTimeout(id);
    window.clearInterval(id);
    this.timers.delete(key);
  }

  close(): void {
    this.hangup();
    this.teardown();
    this.tones.stop();
    for (const key of [...this.timers.keys()]) this.clearTimer(key);
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.signaling.close();
  }
}
