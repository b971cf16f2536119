// The call window's side of recording: asks, answers and stops over the consent
// protocol, and runs the recorder only while the server says both partners agreed
// (state `on`). Nothing is captured before that; the recorder pauses with the
// server's `paused` and finishes its file on `off`, whoever caused it. Each partner
// chooses whether this device keeps a copy (the asker when asking, the answerer when
// accepting): a local decision, so a device without a copy never starts its recorder
// but still shows the recording.
import { callIdOf } from '../../src-shared/call-machine';
import type { ErrorCode } from '../../src-shared/protocol';
import { RecordingRequestedEventSchema, RecordingStateEventSchema, type RecordingFailure, type RecordingReason, type RecordingState } from '../../src-shared/recording';
import type { CallController } from '../call/call-controller';
import { ViewStore } from '../call/call-view';
import { CallRecorder } from './call-recorder';
import { RecordingWriteError } from './desktop-sink';
import { mixCall, type CallMix } from './call-mix';
import type { RecordingSink, RecordingSinkContext } from './recording-sink';

export type RecordingNotice =
  | { kind: 'declined' | 'expired' | 'stopped' | 'stoppedNoCopy' | 'nothingCaptured' }
  /** The recording broke on one of the two devices; each side words the code itself. */
  | { kind: 'failed'; failure: RecordingFailure }
  /** The server refused a request, answer or stop; each language words the code. */
  | { kind: 'refused'; code: ErrorCode };

export interface RecordingView {
  state: RecordingState;
  /** This side asked and waits for the partner. */
  asking: boolean;
  /** The partner asked; this side is to accept or decline until `expiresAt`. */
  request: { expiresAt: number } | null;
  /** Recorded time before the current stretch, and when the current stretch began (null while paused or off). */
  recordedMs: number;
  runningSince: number | null;
  notice: RecordingNotice | null;
  /** Whether this device keeps a copy of the next (or the running) recording; on unless its user says otherwise. */
  keepCopy: boolean;
}

const initialView: RecordingView = { state: 'off', asking: false, request: null, recordedMs: 0, runningSince: null, notice: null, keepCopy: true };

export interface RecordingControllerDeps {
  calls: CallController;
  /** Where a new recording's bytes go (a download in the browser, encrypted storage in the desktop app). */
  openSink: (context: RecordingSinkContext) => RecordingSink;
}

export class RecordingController {
  private readonly store = new ViewStore<RecordingView>(initialView);
  private recorder: CallRecorder | null = null;
  private mix: CallMix | null = null;
  /** Whether the latest recording had a copy here (a stop's notice says so). */
  private copyKept = true;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: RecordingControllerDeps) {
    const socket = deps.calls.signaling.socket as unknown as { on(e: string, l: (p: unknown) => void): void; off(e: string, l: (p: unknown) => void): void };
    const onRequested = (payload: unknown): void => {
      const event = RecordingRequestedEventSchema.safeParse(payload);
      if (event.success && event.data.callId === this.callId()) this.patch({ request: { expiresAt: Date.parse(event.data.expiresAt) }, notice: null });
    };
    const onState = (payload: unknown): void => {
      const event = RecordingStateEventSchema.safeParse(payload);
      if (event.success && event.data.callId === this.callId()) this.onState(event.data.state, event.data.reason, event.data.detail);
    };
    socket.on('recording:requested', onRequested);
    socket.on('recording:state', onState);
    // A call that ends (or a window that leaves it) ends the recording on this side, whatever the server says later.
    const offTransition = deps.calls.onTransition((_, next) => {
      if (next.kind !== 'active' && next.kind !== 'connecting') {
        void this.finishRecorder(null);
        this.patch({ notice: null, recordedMs: 0 });
      }
    });
    this.unsubscribe = () => {
      socket.off('recording:requested', onRequested);
      socket.off('recording:state', onState);
      offTransition();
    };
  }

  getView = (): RecordingView => this.store.get();
  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  /** This device's choice about its own copy; fixed once it has asked or answered. */
  setKeepCopy(keepCopy: boolean): void {
    const beforeAsking = this.view.state === 'off' && !this.view.asking;
    const beforeAnswering = this.view.request !== null;
    if (beforeAsking || beforeAnswering) this.patch({ keepCopy });
  }

  async request(): Promise<void> {
    const callId = this.callId();
    if (!callId) return;
    this.patch({ notice: null });
    const ack = await this.deps.calls.signaling.request('recording:request', { callId });
    if (ack.ok) this.patch({ asking: this.view.state === 'pending' || this.view.state === 'off' });
    else this.patch({ notice: { kind: 'refused', code: ack.error.code } });
  }

  async answer(accept: boolean): Promise<void> {
    const callId = this.callId();
    if (!callId) return;
    this.patch({ request: null });
    const ack = await this.deps.calls.signaling.request('recording:answer', { callId, accept });
    if (!ack.ok) this.patch({ notice: { kind: 'refused', code: ack.error.code } });
  }

  async stop(): Promise<void> {
    const callId = this.callId();
    if (!callId) return;
    // This side stops at once; the partner's side stops when the server tells it.
    void this.finishRecorder({ kind: 'stopped' });
    const ack = await this.deps.calls.signaling.request('recording:stop', { callId });
    if (!ack.ok) this.patch({ notice: { kind: 'refused', code: ack.error.code } });
  }

  dismissNotice(): void {
    this.patch({ notice: null });
  }

  close(): void {
    this.unsubscribe();
    void this.finishRecorder(null);
  }

  // ------------------------------------------------------------ internals

  private get view(): RecordingView {
    return this.store.get();
  }

  private patch(change: Partial<RecordingView>): void {
    this.store.patch(change);
  }

  private callId(): string | null {
    const call = this.deps.calls.getView().call;
    return call.kind === 'active' ? callIdOf(call) : null;
  }

  private onState(state: RecordingState, reason: RecordingReason | undefined, detail: RecordingFailure | undefined): void {
    const wasAsking = this.view.asking;
    this.patch({ state, ...(state === 'pending' ? {} : { asking: false, request: null }) });
    if (state === 'pending') return;
    if (state === 'on') {
      if (this.recorder) this.recorder.resume();
      else if (this.view.keepCopy) this.startRecorder();
      this.copyKept = this.recorder !== null;
      this.patch({ runningSince: this.view.state === 'on' ? Date.now() : null });
      return;
    }
    if (state === 'paused') {
      this.recorder?.pause();
      this.bank();
      return;
    }
    void this.finishRecorder(noticeFor(reason, detail, wasAsking));
  }

  private startRecorder(): void {
    const view = this.deps.calls.getView();
    const call = view.call;
    if (call.kind !== 'active' || !view.localStream || !view.remoteStream) {
      this.failed('no_media');
      return;
    }
    try {
      const withVideo = call.callType === 'video';
      this.mix = mixCall(view.localStream, view.remoteStream, withVideo);
      this.recorder = new CallRecorder(this.mix.stream, this.deps.openSink({ callId: callIdOf(call) ?? '' }), withVideo, (failure) => this.failed(failure));
      this.patch({ recordedMs: 0 });
    } catch {
      // No Web Audio, canvas or MediaRecorder for this stream: the browser cannot record it.
      this.mix?.close();
      this.mix = null;
      this.failed('recorder_error');
    }
  }

  /** This side's recorder broke: stop for both, with the reason. */
  private failed(failure: RecordingFailure): void {
    const callId = this.callId();
    if (callId) void this.deps.calls.signaling.request('recording:stop', { callId, failed: failure });
    void this.finishRecorder({ kind: 'failed', failure });
  }

  private bank(): void {
    const since = this.view.runningSince;
    if (since !== null) this.patch({ recordedMs: this.view.recordedMs + (Date.now() - since), runningSince: null });
  }

  private async finishRecorder(notice: RecordingNotice | null): Promise<void> {
    this.bank();
    const recorder = this.recorder;
    const mix = this.mix;
    this.recorder = null;
    this.mix = null;
    const shown = notice?.kind === 'stopped' && !this.copyKept ? { kind: 'stoppedNoCopy' as const } : notice;
    // The next request starts from the default again: a copy on this device.
    this.patch({ state: 'off', asking: false, request: null, keepCopy: true, ...(shown ? { notice: shown } : {}) });
    if (!recorder) return;
    try {
      // A stop that came before the first captured second leaves no file: say so rather than nothing.
      if ((await recorder.stop()) === 'nothing_captured' && this.copyKept) this.patch({ notice: { kind: 'nothingCaptured' } });
    } catch (error) {
      this.patch({ notice: { kind: 'failed', failure: error instanceof RecordingWriteError ? error.failure : 'write_failed' } });
    } finally {
      mix?.close();
    }
  }
}

/** What this side is told when recording goes off: the asker learns of a decline or silence; both learn of a stop or a failure. */
function noticeFor(reason: RecordingReason | undefined, detail: RecordingFailure | undefined, wasAsking: boolean): RecordingNotice | null {
  switch (reason) {
    case 'declined':
    case 'expired':
      return wasAsking ? { kind: reason } : null;
    case 'failed':
      return { kind: 'failed', failure: detail ?? 'recorder_error' };
    case 'call_ended':
    case 'disconnected':
      return null;
    default:
      return { kind: 'stopped' };
  }
}

const controllers = new WeakMap<CallController, RecordingController>();

/** The one recording controller of a call controller, made on first use. */
export function recordingFor(calls: CallController, openSink: (context: RecordingSinkContext) => RecordingSink): RecordingController {
  let found = controllers.get(calls);
  if (!found) {
    found = new RecordingController({ calls, openSink });
    controllers.set(calls, found);
  }
  return found;
}
