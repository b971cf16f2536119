// The call-setup bench's own page (bundled by esbuild in bench/call-setup.ts; it
// does not use the app's renderer). One instance per browser context: it signals
// through the real Heartline server and reports when the first remote video frame
// was decoded. Driven from Node through `window.bench`.
//
// tsconfig.node.json checks bench/ without the DOM library, so the few browser
// APIs used here are typed locally.
import Peer from 'simple-peer';
import { io, type Socket } from 'socket.io-client';

interface VideoElement {
  muted: boolean;
  autoplay: boolean;
  playsInline: boolean;
  srcObject: unknown;
  play(): Promise<void>;
  remove(): void;
  requestVideoFrameCallback?(callback: (now: number) => void): number;
}
interface StatsReport {
  forEach(callback: (stat: { type: string; kind?: string; framesDecoded?: number }) => void): void;
}
interface PeerConnection {
  getStats(): Promise<StatsReport>;
}
interface Browser {
  document: { createElement(tag: 'video'): VideoElement; body: { appendChild(node: unknown): void } };
  navigator: { mediaDevices: { getUserMedia(constraints: object): Promise<unknown> } };
  bench?: unknown;
}
const browser = globalThis as unknown as Browser;

/** Wall-clock milliseconds with sub-millisecond precision, comparable across pages of one machine. */
const wallNow = (): number => performance.timeOrigin + performance.now();

export interface PeerSetup {
  trickle: boolean;
  iceServers: { urls: string }[];
}

type Ack = { ok: true; callId?: string } | { ok: false; error: { code: string; message: string } };

let socket: Socket | undefined;
let localStream: unknown;
let peer: Peer.Instance | undefined;
let callId: string | undefined;
let setup: PeerSetup = { trickle: true, iceServers: [] };
let incoming: Promise<string> | undefined;
let ended: Promise<void> | undefined;
let frame: Promise<{ at: number; via: string }> | undefined;
let video: VideoElement | undefined;
let pollTimer: ReturnType<typeof setInterval> | undefined;
const errors: string[] = [];

function emit(event: string, payload: object): Promise<Ack> {
  return new Promise((resolve) => socket?.emit(event, payload, (ack: Ack) => resolve(ack)));
}

function createPeer(initiator: boolean): void {
  const current = new Peer({
    initiator,
    trickle: setup.trickle,
    stream: localStream as never,
    config: { iceServers: setup.iceServers },
  });
  peer = current;
  const id = callId;
  current.on('signal', (data: unknown) => {
    void emit('call:signal', { callId: id, data }).then((ack) => {
      if (!ack.ok) errors.push(`signal: ${ack.error.code}`);
    });
  });
  current.on('error', (error: Error) => errors.push(`peer: ${error.message}`));
  frame = new Promise((resolve) => {
    let done = false;
    const found = (via: string, at: number): void => {
      if (done) return;
      done = true;
      clearInterval(pollTimer);
      resolve({ at, via });
    };
    current.on('stream', (stream: unknown) => {
      const element = browser.document.createElement('video');
      element.muted = true;
      element.autoplay = true;
      element.playsInline = true;
      element.srcObject = stream;
      browser.document.body.appendChild(element);
      video = element;
      element.requestVideoFrameCallback?.(() => found('requestVideoFrameCallback', wallNow()));
      void element.play().catch(() => undefined);
    });
    // The decoder's own count, polled: catches the frame even if the element never paints.
    const pc = (current as unknown as { _pc: PeerConnection })._pc;
    pollTimer = setInterval(() => {
      void pc.getStats().then((report) => {
        let decoded = 0;
        report.forEach((stat) => {
          if (stat.type === 'inbound-rtp' && stat.kind === 'video') decoded += stat.framesDecoded ?? 0;
        });
        if (decoded > 0) found('getStats framesDecoded', wallNow());
      });
    }, 5);
  });
}

function listen(): void {
  if (!socket) return;
  socket.on('call:signal', (event: { callId: string; data: Peer.SignalData }) => {
    if (peer && event.callId === callId) peer.signal(event.data);
  });
  socket.on('call:accepted', (event: { callId: string }) => {
    if (event.callId === callId) createPeer(true);
  });
}

const api = {
  async connect(serverUrl: string, token: string, deviceId: string): Promise<void> {
    localStream = await browser.navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: true });
    const s = io(serverUrl, { transports: ['websocket'], auth: { token, deviceId }, reconnection: false });
    socket = s;
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', (error: Error) => reject(error));
    });
    listen();
  },
  /** Callee: be ready for the next ring. */
  expectCall(): void {
    const s = socket;
    incoming = new Promise((resolve) => s?.once('call:incoming', (event: { call: { id: string } }) => resolve(event.call.id)));
    ended = new Promise((resolve) => s?.once('call:ended', () => resolve()));
  },
  /** Caller: ring the partner; the peer starts when the call is accepted. */
  async startCall(next: PeerSetup): Promise<string> {
    setup = next;
    ended = new Promise((resolve) => socket?.once('call:ended', () => resolve()));
    const ack = await emit('call:start', { type: 'video' });
    if (!ack.ok) throw new Error(`call:start: ${ack.error.code}`);
    callId = ack.callId;
    return callId ?? '';
  },
  /** Callee: answer the ringing call. Returns the moment of "answer" (wall-clock ms). */
  async answer(next: PeerSetup): Promise<number> {
    setup = next;
    callId = await incoming;
    const answeredAt = wallNow();
    createPeer(false);
    const ack = await emit('call:accept', { callId });
    if (!ack.ok) throw new Error(`call:accept: ${ack.error.code}`);
    return answeredAt;
  },
  /** When this side decoded its first remote video frame (wall-clock ms), or null after `timeoutMs`. */
  async firstFrame(timeoutMs: number): Promise<{ at: number; via: string } | null> {
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
    return Promise.race([frame ?? timeout, timeout]);
  },
  async hangup(): Promise<void> {
    const ack = await emit('call:hangup', { callId });
    if (!ack.ok) errors.push(`hangup: ${ack.error.code}`);
  },
  async waitEnded(timeoutMs: number): Promise<boolean> {
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs));
    return Promise.race([(ended ?? Promise.resolve()).then(() => true), timeout]);
  },
  cleanup(): void {
    clearInterval(pollTimer);
    peer?.destroy();
    peer = undefined;
    video?.remove();
    video = undefined;
    frame = undefined;
    callId = undefined;
  },
  takeErrors(): string[] {
    return errors.splice(0);
  },
};

export type BenchPage = typeof api;
browser.bench = api;
