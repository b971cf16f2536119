// The load generator, in its own process (forked by bench/signaling.ts): connects
// every couple's two sockets (websocket transport only), then has a share of the
// couples place, answer and hang up calls at a set rate. Loopback only; every
// wait is bounded, and the process ends itself when the orchestrator goes away.
import { io as connect, type Socket } from 'socket.io-client';
import type { CoupleIdentity, FromLoad, LoadResult, Mode, ToLoad } from './messages';

const CALL_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 20_000;

const send = (message: FromLoad): void => {
  process.send?.(message);
};
const now = (): number => performance.now();

interface Pending {
  t0: number;
  tAccept: number;
  callId: string | undefined;
  timer: NodeJS.Timeout;
  /** When the first signal went out, and how many have been relayed. */
  tSignal: number;
  relayed: number;
}

// Realistic sizes: an offer/answer SDP of a few KB, trickled host/srflx/relay candidates.
const SDP = `v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n${'a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n'.repeat(40)}`;
const candidate = (i: number): Record<string, unknown> => ({
  candidate: `candidate:84216304${i} 1 udp 1677729535 203.0.113.${i + 1} ${50000 + i} typ srflx raddr 192.168.1.5 rport ${50000 + i} generation 0 ufrag Xy7q network-cost 999`,
  sdpMid: '0',
  sdpMLineIndex: 0,
});

interface CoupleState {
  index: number;
  a: Socket;
  b: Socket;
  pending: Pending | undefined;
  held: NodeJS.Timeout | undefined;
}

let mode: Mode = 'heartline';
const couples: CoupleState[] = [];
let result: LoadResult = emptyResult();
let holdMs = 0;
let candidates = 0;
let onIdle: (couple: CoupleState) => void = () => undefined;

function emptyResult(): LoadResult {
  return { ringMs: [], acceptMs: [], signalMs: [], signals: 0, totalMs: [], started: 0, completed: 0, skipped: 0, errors: {}, elapsedMs: 0 };
}

function countError(code: string): void {
  result.errors[code] = (result.errors[code] ?? 0) + 1;
}

function finish(couple: CoupleState, error?: string): void {
  const pending = couple.pending;
  if (!pending) return;
  clearTimeout(pending.timer);
  couple.pending = undefined;
  if (error) countError(error);
  else {
    result.completed++;
    result.totalMs.push(now() - pending.t0);
  }
  onIdle(couple);
}

type AckResponse = { ok: boolean; error?: { code: string } } | undefined;
const ackError = (response: AckResponse): string | undefined => (response && !response.ok ? (response.error?.code ?? 'ACK_ERROR') : undefined);

/** Wires one couple's sockets: a always calls, b always answers. */
function wire(couple: CoupleState): void {
  const { a, b } = couple;
  const hangup = (): void => {
    const pending = couple.pending;
    if (!pending) return;
    if (mode === 'heartline') {
      a.emit('call:hangup', { callId: pending.callId }, (response: AckResponse) => {
        const error = ackError(response);
        if (error) finish(couple, `hangup:${error}`);
      });
    } else {
      a.emit('endCall', { userToCall: b.id });
    }
  };
  const hold = (): void => {
    if (holdMs > 0) couple.held = setTimeout(hangup, holdMs);
    else hangup();
  };
  // Like the shipped client, the answering device reports media flowing before anyone
  // hangs up; without it the server rightly logs the call as ended "failed".
  const talk = (): void => {
    const pending = couple.pending;
    if (!pending) return;
    if (mode !== 'heartline') return hold();
    b.emit('call:media', { callId: pending.callId }, (response: AckResponse) => {
      const error = ackError(response);
      if (error) finish(couple, `media:${error}`);
      else hold();
    });
  };
  const accepted = (): void => {
    const pending = couple.pending;
    if (!pending) return;
    result.acceptMs.push(now() - pending.tAccept);
    if (candidates === 0) talk();
    else if (mode === 'bare') sendCandidates(a, b.id);
  };
  // Heartline relays the offer and answer as call:signal too; the bare relay carried them in callUser/answerCall.
  const expectedSignals = (): number => candidates + (mode === 'heartline' ? 2 : 0);
  const relayed = (): void => {
    const pending = couple.pending;
    if (!pending) return;
    result.signals++;
    if (++pending.relayed === expectedSignals()) {
      result.signalMs.push(now() - pending.tSignal);
      talk();
    }
  };
  const sendCandidates = (from: Socket, to: string | undefined): void => {
    const pending = couple.pending;
    if (!pending) return;
    pending.tSignal ||= now();
    for (let i = 0; i < candidates / 2; i++) {
      if (mode === 'heartline') from.emit('call:signal', { callId: pending.callId, data: candidate(i) }, signalAck);
      else from.emit('iceCandidate', { to, candidate: candidate(i) });
    }
  };
  const signalAck = (response: AckResponse): void => {
    const error = ackError(response);
    if (error) finish(couple, `signal:${error}`);
  };
  const signal = (from: Socket, data: Record<string, unknown>): void => {
    const pending = couple.pending;
    if (!pending) return;
    pending.tSignal ||= now();
    from.emit('call:signal', { callId: pending.callId, data }, signalAck);
  };
  const incoming = (callId: string | undefined): void => {
    const pending = couple.pending;
    if (!pending) return;
    result.ringMs.push(now() - pending.t0);
    pending.callId = callId;
    pending.tAccept = now();
    if (mode === 'heartline') {
      b.emit('call:accept', { callId }, (response: AckResponse) => {
        const error = ackError(response);
        if (error) finish(couple, `accept:${error}`);
        // The callee's device makes the offer, then trickles its candidates.
        else if (candidates > 0) {
          signal(b, { type: 'offer', sdp: SDP });
          sendCandidates(b, a.id);
        }
      });
    } else {
      b.emit('answerCall', { to: a.id, signal: { type: 'answer', sdp: SDP } });
      if (candidates > 0) sendCandidates(b, a.id);
    }
  };
  if (mode === 'heartline') {
    b.on('call:incoming', (event: { call: { id: string } }) => incoming(event.call.id));
    a.on('call:accepted', () => accepted());
    a.on('call:signal', (event: { data: { type?: string } }) => {
      relayed();
      if (event.data.type === 'offer') {
        signal(a, { type: 'answer', sdp: SDP });
        sendCandidates(a, b.id);
      }
    });
    b.on('call:signal', () => relayed());
    b.on('call:ended', (event: { reason: string }) => {
      if (event.reason === 'hangup') finish(couple);
      else finish(couple, `ended:${event.reason}`);
    });
  } else {
    b.on('callUser', () => incoming(undefined));
    a.on('callAccepted', () => accepted());
    b.on('callEnded', () => finish(couple));
    for (const socket of [a, b]) socket.on('iceCandidate', () => relayed());
  }
  for (const socket of [a, b]) socket.on('disconnect', (reason: string) => countError(`disconnect:${reason}`));
}

function place(couple: CoupleState): void {
  const pending: Pending = {
    t0: now(),
    tAccept: 0,
    callId: undefined,
    timer: setTimeout(() => finish(couple, 'timeout'), CALL_TIMEOUT_MS),
    tSignal: 0,
    relayed: 0,
  };
  couple.pending = pending;
  result.started++;
  if (mode === 'heartline') {
    couple.a.emit('call:start', { type: 'voice' }, (response: AckResponse) => {
      const error = ackError(response);
      if (error) finish(couple, `start:${error}`);
    });
  } else {
    couple.a.emit('callUser', { userToCall: couple.b.id, signalData: { type: 'offer', sdp: SDP }, from: couple.a.id, name: 'bench' });
  }
}

function open(port: number, identity: CoupleIdentity['a']): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      auth: mode === 'heartline' ? { token: identity.token, deviceId: identity.deviceId } : {},
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error) => {
      socket.close();
      reject(error);
    });
  });
}

async function connectAll(port: number, portB: number, list: CoupleIdentity[], concurrency: number): Promise<void> {
  const started = now();
  const errors: Record<string, number> = {};
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const index = next++;
      const identity = list[index];
      if (!identity) break;
      try {
        const [a, b] = await Promise.all([open(port, identity.a), open(portB, identity.b)]);
        const couple: CoupleState = { index, a, b, pending: undefined, held: undefined };
        wire(couple);
        couples.push(couple);
      } catch (error) {
        failed += 2;
        const key = error instanceof Error ? error.message.slice(0, 60) : 'connect failed';
        errors[key] = (errors[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  send({ type: 'connected', sockets: couples.length * 2, failed, errors, ms: now() - started });
}

async function runLoad(active: number, rate: number, durationMs: number): Promise<void> {
  result = emptyResult();
  const players = couples.slice(0, Math.min(active, couples.length));
  const idle: CoupleState[] = [...players];
  const started = now();
  let stopping = false;
  let scheduled = 0;
  onIdle = (couple) => {
    if (stopping) return;
    if (rate === 0) place(couple);
    else idle.push(couple);
  };
  if (rate === 0) {
    for (const couple of idle.splice(0)) place(couple);
  }
  // Open loop on the clock: however late a tick runs, the calls due by now are placed,
  // so a slow generator does not quietly lower the offered rate.
  const tick = setInterval(() => {
    if (rate === 0) return;
    const due = Math.floor((rate * (now() - started)) / 1000);
    while (scheduled < due) {
      scheduled++;
      const couple = idle.shift();
      if (couple) place(couple);
      else result.skipped++;
    }
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  stopping = true;
  clearInterval(tick);
  result.elapsedMs = now() - started;
  // Let the calls in flight finish (bounded by their own timeouts).
  const drainUntil = now() + CALL_TIMEOUT_MS + 1_000;
  while (players.some((c) => c.pending) && now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 20));
  for (const couple of players) clearTimeout(couple.held);
  send({ type: 'result', result });
}

process.on('message', (message: ToLoad) => {
  if (message.cmd === 'connect') {
    mode = message.mode;
    void connectAll(message.port, message.portB ?? message.port, message.couples, message.concurrency).catch((error: unknown) =>
      send({ type: 'error', message: String(error) }),
    );
  } else if (message.cmd === 'load') {
    holdMs = message.holdMs;
    candidates = message.candidates;
    void runLoad(message.active, message.rate, message.durationMs).catch((error: unknown) => send({ type: 'error', message: String(error) }));
  } else if (message.cmd === 'stop') {
    for (const couple of couples) {
      couple.a.close();
      couple.b.close();
    }
    setTimeout(() => process.exit(0), 200);
  }
});
process.on('disconnect', () => process.exit(0));
// Whatever happens, this process does not outlive the bench.
setTimeout(() => process.exit(2), Number(process.env.LOAD_MAX_LIFETIME_MS ?? 30 * 60_000)).unref();
