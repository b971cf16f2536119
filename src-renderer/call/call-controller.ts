// Runs calls: feeds the pure call machine (src-shared/call-machine.ts) with what the
// user, the server and the peer connection do, and carries out the effects of each
// transition through units with one job each (local media, the peer link, ICE
// servers, quality, the connection watchdog, alerts, the page lifecycle, desktop
// actions). React reads it through useSyncExternalStore (hooks/useCall.ts).
//
// Seams for features that live in their own files: `peer` (the live connection),
// `localStream` / `remoteStream` in the view, and `onTransition` (every state change).
import { callIdOf, callReducer, isBusy, type CallEvent, type CallState } from '../../src-shared/call-machine';
import type { Settings } from '../../src-shared/ipc';
import type { Call, CallEndedEvent, CallIncomingEvent, CallSignalEvent, CallType, PlanCallRef, PresenceEvent, User } from '../../src-shared/protocol';
import type { Session } from '../api/session';
import type { Translator } from '../i18n';
import { bridge, notify } from '../platform/bridge';
import { TonePlayer } from '../platform/tones';
import { SignalingClient, unanswered } from '../signaling/signaling-client';
import { describeMediaError, stopStream } from '../webrtc/media';
import { shouldSuggestAudioOnly } from '../webrtc/quality';
import { CallAlerts } from './call-alerts';
import { initialCallView, ViewStore, type CallView } from './call-view';
import { ConnectionWatchdog, CONNECT_TIMEOUT_MS, RECONNECT_DEADLINE_MS, type GiveUpReason } from './connection-watchdog';
import { routeDesktopAction } from './desktop-actions';
import { presenceFor } from './desktop-presence';
import { hasTurn, IceServerCache } from './ice-servers';
import { LocalMedia } from './local-media';
import { NamedTimers } from './named-timers';
import { ActiveCallMemory, leaveMessage, onPageHide, type RememberedCall } from './page-lifecycle';
import { PeerLink, type PeerConnectionLike } from './peer-link';
import { QualityMonitor } from './quality-monitor';

export type { CallView, PartnerPresence, RemoteMedia } from './call-view';

export interface CallControllerDeps {
  session: Session;
  serverUrl: string;
  settings: () => Settings;
  translator: () => Translator;
  /** The call log may have changed in ways no single record tells (the socket came back, pairing changed). */
  onHistoryChanged: () => void;
  /** How long ICE may try before the attempt ends as "Couldn't connect" (default 20 s). */
  connectTimeoutMs?: number;
}

const COLLISION_WAIT_MS = 3_000;
/** A call's signal unanswered this long means the socket is stale: it is renewed (offers are re-sent). */
const SIGNAL_ACK_TIMEOUT_MS = 4_000;
const RING_EXPIRY_GRACE_MS = 2_000;

type TransitionListener = (previous: CallState, next: CallState) => void;
type CallRecordListener = (call: Call) => void;

export class CallController {
  private readonly store = new ViewStore<CallView>(initialCallView);
  readonly signaling: SignalingClient;
  private readonly timers = new NamedTimers<'ring' | 'reset' | 'collision'>();
  private readonly transitionListeners = new Set<TransitionListener>();
  private readonly recordListeners = new Set<CallRecordListener>();
  /** The call whose media we already reported flowing (call:media goes once per call). */
  private mediaReportedFor: string | null = null;
  private readonly unsubscribers: Array<() => void> = [];

  private readonly iceServers: IceServerCache;
  private readonly media: LocalMedia;
  private readonly link: PeerLink;
  private readonly quality: QualityMonitor;
  private readonly watchdog: ConnectionWatchdog;
  private readonly alerts: CallAlerts;
  private readonly memory = new ActiveCallMemory();

  constructor(private readonly deps: CallControllerDeps) {
    this.signaling = new SignalingClient(
      deps.serverUrl,
      () => deps.session.token(),
      {
        'call:incoming': (event) => this.onIncoming(event),
        'call:accepted': (event) => this.onAccepted(event.callId),
        'call:ringing': (event) => {
          if (this.view.call.kind === 'outgoing' && this.view.call.callId === event.callId) this.patch({ partnerRinging: true });
        },
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

    this.iceServers = new IceServerCache(
      () => deps.session.iceServers(),
      (iceServers) => {
        const pc = this.link.current?.pc;
        if (pc) pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
      },
    );
    this.media = new LocalMedia({
      peer: () => this.link.current,
      deviceChoice: () => {
        const settings = deps.settings();
        return { microphoneId: settings.microphoneId, cameraId: settings.cameraId };
      },
      inCall: () => isBusy(this.view.call),
      changed: (tracks) => this.patch({ ...this.media.snapshot(), ...(tracks ? { mediaVersion: this.view.mediaVersion + 1 } : {}) }),
      announce: () => this.announceMedia(),
      problem: (error) => this.showMediaProblem(error),
    });
    this.link = new PeerLink({
      context: () => {
        const state = this.view.call;
        const stream = this.media.current;
        const iceServers = this.iceServers.current;
        if ((state.kind !== 'connecting' && state.kind !== 'active') || !stream || !iceServers) return null;
        return { callId: state.callId, stream, iceServers, relayOnly: deps.settings().relayOnly };
      },
      events: {
        remoteStream: (stream) => this.patch({ remoteStream: stream, mediaVersion: this.view.mediaVersion + 1 }),
        connected: (peer) => this.onPeerConnected(peer),
        track: () => this.patch({ mediaVersion: this.view.mediaVersion + 1 }),
        message: (message) =>
          this.patch({
            remoteMedia: { audio: message.audio, video: message.video, screen: message.screen, audioOnly: message.audioOnly ?? false, network: message.network === true },
          }),
        iceState: (ice) => {
          console.debug(`heartline: ICE ${ice} (connection ${this.link.generation})`);
          if (ice === 'disconnected' || ice === 'failed') this.connectionTrouble();
          if (ice === 'connected' || ice === 'completed') this.connectionHealthy();
        },
        lost: () => this.connectionTrouble(),
        sendSignal: (callId, gen, signal) => {
          console.debug(`heartline: signal out ${String(signal.type ?? 'candidate')} (connection ${gen})`);
          void this.signaling.request('call:signal', { callId, data: { gen, signal } }, SIGNAL_ACK_TIMEOUT_MS).then((ack) => {
            if (ack.ok) return;
            console.warn('heartline: signal refused', ack.error.code);
            // No answer at all: the socket is stale (a cut link), and the offer it carried is lost with it.
            if (unanswered(ack) && isBusy(this.view.call)) this.signaling.renew();
          });
        },
      },
    });
    this.quality = new QualityMonitor(
      () => this.link.current,
      (sample, recent, videoPaused) => {
        const sendsVideo = this.view.cameraOn || this.view.screenSharing;
        const paused = sendsVideo && videoPaused;
        this.patch({ quality: sample, suggestAudioOnly: this.view.cameraOn && !paused && shouldSuggestAudioOnly(recent) });
        if (paused !== this.view.videoPausedByNetwork) {
          this.patch({ videoPausedByNetwork: paused });
          this.announceMedia();
        }
      },
    );
    this.watchdog = new ConnectionWatchdog(
      (callId, why) => this.giveUp(callId, why),
      undefined,
      RECONNECT_DEADLINE_MS,
      deps.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    );
    this.alerts = new CallAlerts({
      tones: new TonePlayer(),
      notify,
      inDesktopApp: () => bridge() !== null,
      translator: deps.translator,
      partnerName: () => this.partner()?.displayName ?? '',
    });

    this.unsubscribers.push(onPageHide(window, () => this.leaveOnUnload()));
    const api = bridge();
    if (api) {
      this.unsubscribers.push(
        api.onAction((action) =>
          routeDesktopAction(action, {
            currentCallId: () => callIdOf(this.view.call),
            start: (callType, plan) => void this.start(callType, plan),
            answer: (callType) => void this.answer(callType),
            decline: () => this.hangup(),
            ringExpired: (callId) => this.dispatch({ type: 'ring-expired', callId, at: this.now() }),
            openSettings: () => window.dispatchEvent(new CustomEvent('heartline:open-settings')),
          }),
        ),
      );
    }
  }

  // ------------------------------------------------------------ store and seams

  getView = (): CallView => this.store.get();

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  /** Every call state change, after the controller has acted on it. */
  onTransition(listener: TransitionListener): () => void {
    this.transitionListeners.add(listener);
    return () => this.transitionListeners.delete(listener);
  }

  /** Every final call record the server sends (call:ended), for the history. */
  onCallRecord = (listener: CallRecordListener): (() => void) => {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
  };

  /** The live peer connection (null between connections and outside calls). */
  get peer(): PeerConnectionLike | null {
    return this.link.current;
  }

  private get view(): CallView {
    return this.store.get();
  }

  private patch(change: Partial<CallView>): void {
    this.store.patch(change);
  }

  private now(): number {
    return Date.now();
  }

  private partner(): User | null {
    return this.deps.session.partner;
  }

  private showMediaProblem(error: unknown): void {
    this.patch({ problem: this.deps.translator().t('mediaError', { detail: describeMediaError(error) }) });
  }

  // ------------------------------------------------------------ the machine

  private dispatch(event: CallEvent): void {
    const previous = this.view.call;
    const next = callReducer(previous, event);
    if (next === previous) {
      if (event.type !== 'reset') console.debug(`heartline: ignored ${event.type} in ${previous.kind}`);
      return;
    }
    console.debug(`heartline: call ${previous.kind} -> ${next.kind} (${event.type}${next.kind === 'ended' ? `: ${next.reason}` : ''})`);
    this.patch({ call: next });
    this.afterTransition(previous, next);
    for (const listener of this.transitionListeners) listener(previous, next);
  }

  private afterTransition(previous: CallState, next: CallState): void {
    this.alerts.onTransition(previous, next);
    void bridge()?.calls.setPresence(presenceFor(next, this.partner()?.displayName ?? '')).catch(() => undefined);

    if (next.kind === 'incoming' && previous.kind !== 'incoming') {
      const callId = next.callId;
      // The server's own timeout normally arrives first; this only covers a server that went
      // quiet. In the desktop app main owns ring expiry and sends 'ring-expired'.
      if (!bridge()) this.timers.after('ring', Math.max(0, Date.parse(next.expiresAt) - this.now()) + RING_EXPIRY_GRACE_MS, () =>
        this.dispatch({ type: 'ring-expired', callId, at: this.now() }),
      );
      if (next.autoAnswer) {
        const media: CallType = next.autoAnswerWith === 'video' && next.callType === 'video' ? 'video' : 'voice';
        queueMicrotask(() => void this.answer(media));
      }
    }
    if (next.kind !== 'incoming') this.timers.clear('ring');
    if (next.kind !== 'outgoing') this.timers.clear('collision');
    if (next.kind !== 'outgoing' && this.view.partnerRinging) this.patch({ partnerRinging: false });

    if (next.kind === 'connecting' || next.kind === 'active') this.memory.remember(next);

    if (next.kind === 'ended') {
      // Whichever side gave up first, both say what to try (before teardown forgets the ICE servers).
      if (next.reason === 'failed' && next.errorCode === null) {
        const relayWithoutTurn = this.deps.settings().relayOnly && !hasTurn(this.iceServers.current ?? []);
        this.patch({ problem: this.deps.translator().t(relayWithoutTurn ? 'connectFailedRelayHint' : 'connectFailedHint') });
      }
      this.teardown();
      this.memory.remember(null);
      const quick = next.reason === 'answered_elsewhere';
      this.timers.after('reset', quick ? 1_500 : 4_000, () => this.dismiss());
      // Calls the server ends arrive with their record (call:ended); a call refused at
      // the start because the partner was offline is logged without one.
      if (next.errorCode === 'PARTNER_OFFLINE') this.deps.onHistoryChanged();
    } else {
      this.timers.clear('reset');
    }
  }

  /** Leave the ended screen now. */
  dismiss(): void {
    this.timers.clear('reset');
    this.dispatch({ type: 'reset' });
    if (this.view.call.kind === 'idle') this.patch({ problem: null });
  }

  // ------------------------------------------------------------ user actions

  /** `plan`: the planned occurrence this call is made for ("Call now" from a reminder). */
  async start(callType: CallType, plan?: PlanCallRef): Promise<void> {
    if (isBusy(this.view.call)) return;
    this.patch({ problem: null });
    this.dispatch({ type: 'dial', callType, at: this.now() });
    if (!this.partner()) {
      // Nothing to ask the server: say so at once.
      this.dispatch({ type: 'dial-failed', code: 'NOT_PAIRED', at: this.now() });
      return;
    }
    void this.iceServers.prefetch();
    let stream: MediaStream;
    try {
      stream = await this.media.open(callType);
    } catch (error) {
      this.showMediaProblem(error);
      this.dispatch({ type: 'hangup', at: this.now() });
      return;
    }
    if (this.view.call.kind !== 'outgoing') {
      stopStream(stream);
      return;
    }
    this.media.adopt(stream);

    const ack = await this.signaling.request('call:start', plan ? { type: callType, plan } : { type: callType });
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
      this.timers.after('collision', COLLISION_WAIT_MS, () => {
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
    void this.iceServers.prefetch();

    if (!this.media.reuseFor(media)) {
      let stream: MediaStream;
      try {
        stream = await this.media.open(media);
      } catch (error) {
        this.showMediaProblem(error);
        this.signaling.emitNow('call:decline', { callId });
        this.dispatch({ type: 'hangup', at: this.now() });
        return;
      }
      if (callIdOf(this.view.call) !== callId || this.view.call.kind !== 'connecting') {
        stopStream(stream);
        return;
      }
      this.media.adopt(stream);
    }

    const ack = await this.signaling.request('call:accept', { callId });
    if (!ack.ok) {
      this.dispatch({ type: 'accept-failed', callId, code: ack.error.code, at: this.now() });
      return;
    }
    // The server relays signals from now on: the answering side makes the offer.
    await this.startPeer(true, this.link.generation + 1);
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

  toggleMic(): Promise<void> {
    return this.media.toggleMic();
  }

  async toggleCamera(): Promise<void> {
    await this.media.toggleCamera();
    if (this.view.cameraOn) this.patch({ suggestAudioOnly: false });
  }

  /** Camera off, screen share off: only audio goes out. */
  async audioOnly(): Promise<void> {
    await this.media.audioOnly();
    this.patch({ suggestAudioOnly: false });
  }

  toggleScreenShare(): Promise<void> {
    return this.media.toggleScreenShare();
  }

  /** A device chosen in the call: the track is swapped in place, no renegotiation. */
  switchDevice(kind: 'audio' | 'video', deviceId: string | null): Promise<void> {
    return this.media.switchDevice(kind, deviceId);
  }

  // ------------------------------------------------------------ server events

  private onSocketConnected(): void {
    // A page that reloaded mid-call takes its call up again.
    const remembered = this.memory.recall();
    if (remembered && this.view.call.kind === 'idle') void this.rejoin(remembered);
    this.deps.onHistoryChanged();
  }

  /** Re-joins a call this tab had before it reloaded, if the server still holds it. */
  private async rejoin(remembered: RememberedCall): Promise<void> {
    const page = await this.deps.session.calls(5).catch(() => null);
    const live = page?.calls.find((call) => call.id === remembered.callId && call.status === 'connected');
    if (!live) {
      this.memory.remember(null); // it ended meanwhile (or the server cannot say): nothing to re-join
      return;
    }
    if (this.view.call.kind !== 'idle') return;
    this.dispatch({ type: 'rejoin', ...remembered, at: this.now() });
    void this.iceServers.prefetch();
    let stream: MediaStream;
    try {
      stream = await this.media.open(remembered.media);
    } catch (error) {
      this.showMediaProblem(error);
      this.hangup();
      return;
    }
    const now = this.getView().call; // (the awaits above may have changed it)
    if (callIdOf(now) !== remembered.callId || now.kind !== 'connecting') {
      stopStream(stream);
      return;
    }
    this.media.adopt(stream);
    // This side offers a new connection, numbered above any generation the partner has seen.
    await this.startPeer(true, this.now());
  }

  private onIncoming(event: CallIncomingEvent): void {
    if (Date.parse(event.expiresAt) <= this.now()) return; // a device that woke late must not ring
    // Browser: logged, not rung. Desktop: main decides do not disturb (no ring window, sound or notice).
    if (!bridge() && this.deps.settings().doNotDisturb && this.view.call.kind !== 'outgoing') return;
    this.dispatch({ type: 'incoming', callId: event.call.id, callType: event.call.type, from: event.from, expiresAt: event.expiresAt, at: this.now() });
    const state = this.view.call;
    // The caller's screen changes from "Calling…" to "Ringing…".
    if (state.kind === 'incoming' && state.callId === event.call.id && !state.autoAnswer) {
      this.signaling.emitNow('call:ringing', { callId: state.callId });
    }
  }

  private onAccepted(callId: string): void {
    this.dispatch({ type: 'accepted', callId, at: this.now() });
    const state = this.view.call;
    if (state.kind === 'connecting' && state.role === 'caller' && state.callId === callId) void this.startPeer(false, 1);
  }

  private onEnded(event: CallEndedEvent): void {
    this.dispatch({ type: 'remote-ended', callId: event.callId, status: event.status, reason: event.reason, at: this.now() });
    // The log changed even when this window had already moved on (a ring that expired here first).
    for (const listener of this.recordListeners) listener(event.call);
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
    // A newer generation means the partner rebuilt its connection: the caller follows the
    // callee's rebuilds, and either side follows a re-joining partner's fresh offer.
    this.link.receive(gen, data, state.role === 'caller' || data.type === 'offer');
  }

  // ------------------------------------------------------------ peer connection

  private async startPeer(initiator: boolean, gen: number): Promise<void> {
    await this.iceServers.prefetch();
    const state = this.view.call;
    if (state.kind !== 'connecting' && state.kind !== 'active') return;
    this.link.ensure(initiator, gen);
    // The first connection has a bounded time to come up (later ones: the reconnect deadline).
    if (state.kind === 'connecting') this.watchdog.connecting(state.callId);
  }

  private onPeerConnected(peer: PeerConnectionLike): void {
    const callId = callIdOf(this.view.call);
    this.connectionHealthy();
    if (callId) this.dispatch({ type: 'peer-connected', callId, at: this.now() });
    if (callId && this.mediaReportedFor !== callId) {
      // The server logs a call whose media never flowed as "couldn't connect".
      this.mediaReportedFor = callId;
      this.signaling.emitNow('call:media', { callId });
    }
    // What this side sends now (mute or camera state from before a reconnect).
    void this.media.applyTo(peer).then(() => this.announceMedia());
    this.quality.start();
  }

  /** No connection within the bound: end the attempt and say what to try. */
  private giveUp(callId: string, why: GiveUpReason): void {
    if (callIdOf(this.view.call) !== callId) return;
    // Past the reconnect deadline the server logs the end as connection_lost, as this side shows it.
    this.signaling.emitNow('call:hangup', why === 'reconnect' ? { callId, reason: 'connection_lost' } : { callId });
    this.dispatch({ type: 'connection-failed', callId, at: this.now() });
  }

  /** Tells the partner what we send, and whether the link paused our video. */
  private announceMedia(): void {
    this.link.current?.send({ ...this.media.state(), network: this.view.videoPausedByNetwork });
  }

  private connectionTrouble(): void {
    const state = this.view.call;
    if (state.kind !== 'connecting' && state.kind !== 'active') return;
    this.patch({ reconnecting: true });
    this.watchdog.trouble(state.callId, this.iceServers.reconnectDeadlineMs ?? undefined);
  }

  private connectionHealthy(): void {
    this.watchdog.healthy();
    this.patch({ reconnecting: false });
  }

  private teardown(): void {
    this.watchdog.stop();
    this.quality.stop();
    this.link.reset();
    this.iceServers.reset();
    this.media.release();
    this.patch({
      ...this.media.snapshot(),
      remoteStream: null,
      remoteMedia: null,
      quality: null,
      suggestAudioOnly: false,
      videoPausedByNetwork: false,
      reconnecting: false,
    });
  }

  // ------------------------------------------------------------ page lifecycle

  private leaveOnUnload(): void {
    const message = leaveMessage(this.view.call);
    if (message) this.signaling.emitNow(message.event, { callId: message.callId });
  }

  /**
   * Ends this window's part. A ringing call is declined, unless `handingOver`: another
   * tab of this browser took the lead to answer it there, so the ring stays with it.
   */
  close(options: { handingOver?: boolean } = {}): void {
    if (!(options.handingOver && this.view.call.kind === 'incoming')) this.hangup();
    this.teardown();
    this.alerts.stop();
    this.timers.clearAll();
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.signaling.close();
  }
}
