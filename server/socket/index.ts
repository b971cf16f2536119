// Socket.IO: authenticates the handshake, puts each socket in its user's and its
// device's rooms, and hands every event to the CallService after validation.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  CallRefPayload,
  CallSignalPayload,
  CallStartPayload,
  HandshakeAuth,
  describeIssues,
  type Ack,
  type ServerToClientEvents,
  type UntrustedClientEvents,
} from '../../src-shared/protocol';
import { RecordingAnswerPayload, RecordingRequestPayload, RecordingStopPayload } from '../../src-shared/recording';
import type { RecordingService } from '../recording/recording-service';
import type { Actor, CallService, Notifier, PresenceSource, Result } from '../calls/call-service';
import { toWireCall, toWireUser } from '../calls/call-wire';
import type { TokenService } from '../auth/tokens';
import type { Store } from '../store/types';

export interface SocketData {
  userId: string;
  deviceId: string;
}

export type HeartlineServer = Server<UntrustedClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HeartlineSocket = Socket<UntrustedClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const userRoom = (userId: string): string => `user:${userId}`;
export const deviceRoom = (userId: string, deviceId: string): string => `device:${userId}:${deviceId}`;

export function createSocketServer(httpServer: HttpServer, corsOrigins: string[]): HeartlineServer {
  return new Server(httpServer, {
    cors: { origin: corsOrigins },
    // Above the 64 KiB signal limit, so an oversized signal gets an error ack instead of a dropped connection.
    maxHttpBufferSize: 1_000_000,
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
}

export function socketNotifier(io: HeartlineServer): Notifier {
  return {
    toUser(userId, event, payload, exceptDevice) {
      const target = io.to(userRoom(userId));
      const scoped = exceptDevice ? target.except(deviceRoom(userId, exceptDevice)) : target;
      (scoped.emit as (e: string, p: unknown) => boolean)(event, payload);
    },
    toDevice(userId, deviceId, event, payload) {
      (io.to(deviceRoom(userId, deviceId)).emit as (e: string, p: unknown) => boolean)(event, payload);
    },
  };
}

export function socketPresence(io: HeartlineServer): PresenceSource {
  return {
    async isUserOnline(userId) {
      return (await io.in(userRoom(userId)).fetchSockets()).length > 0;
    },
    async isDeviceOnline(userId, deviceId) {
      return (await io.in(deviceRoom(userId, deviceId)).fetchSockets()).length > 0;
    },
  };
}

/** The acknowledgement callback, if the client sent one; a missing one is tolerated. */
function ackOf(ack: unknown): (response: Ack<object>) => void {
  return typeof ack === 'function' ? (response) => (ack as (r: unknown) => void)(response) : () => undefined;
}

function toAck<T extends object>(result: Result<T>): Ack<T> {
  return result.ok ? { ok: true, ...result.value } : { ok: false, error: result.error };
}

interface Deps {
  io: HeartlineServer;
  store: Store;
  tokens: TokenService;
  calls: CallService;
  recordings: RecordingService;
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}

export function attachSignaling({ io, store, tokens, calls, recordings, log }: Deps): void {
  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('UNAUTHORIZED: a token is required'));
    tokens
      .verifyAccess(auth.data.token)
      .then(async (claims) => {
        const user = claims && (await store.findUserById(claims.userId));
        if (!user) return next(new Error('UNAUTHORIZED: invalid or expired token'));
        socket.data.userId = user.id;
        socket.data.deviceId = auth.data.deviceId ?? socket.id;
        next();
      })
      .catch(() => next(new Error('UNAUTHORIZED: invalid token')));
  });

  io.on('connection', (socket: HeartlineSocket) => {
    const actor: Actor = { userId: socket.data.userId, deviceId: socket.data.deviceId };
    void socket.join([userRoom(actor.userId), deviceRoom(actor.userId, actor.deviceId)]);
    calls.deviceBack(actor.userId, actor.deviceId);
    void onConnected(socket, actor).catch((error: unknown) => log.error({ err: error }, 'socket connect handling failed'));

    /** Registers a handler that validates its payload and always answers its ack. */
    const handle = <S extends z.ZodType>(
      event: keyof UntrustedClientEvents,
      schema: S,
      run: (payload: z.infer<S>) => Promise<Result<object>>,
    ): void => {
      socket.on(event, (payload: unknown, ack: unknown) => {
        const respond = ackOf(ack);
        const parsed = schema.safeParse(payload);
        if (!parsed.success) {
          respond({ ok: false, error: { code: 'BAD_REQUEST', message: describeIssues(parsed.error) } });
          return;
        }
        run(parsed.data)
          .then((result) => respond(toAck(result)))
          .catch((error: unknown) => {
            log.error({ err: error, event }, 'socket event failed');
            respond({ ok: false, error: { code: 'INTERNAL', message: 'something went wrong on the server' } });
          });
      });
    };

    handle('call:start', CallStartPayload, (p) => calls.start(actor, p.type));
    handle('call:accept', CallRefPayload, (p) => calls.accept(actor, p.callId));
    handle('call:decline', CallRefPayload, (p) => calls.decline(actor, p.callId));
    handle('call:hangup', CallRefPayload, (p) => calls.hangup(actor, p.callId));
    handle('call:signal', CallSignalPayload, (p) => calls.signal(actor, p.callId, p.data));
    handle('recording:request', RecordingRequestPayload, (p) => recordings.request(actor, p.callId));
    handle('recording:answer', RecordingAnswerPayload, (p) => recordings.answer(actor, p.callId, p.accept));
    handle('recording:stop', RecordingStopPayload, (p) => recordings.stop(actor, p.callId, p.failed));

    socket.on('disconnect', () => {
      void onDisconnected(actor).catch((error: unknown) => log.error({ err: error }, 'socket disconnect handling failed'));
    });
  });

  async function onConnected(socket: HeartlineSocket, actor: Actor): Promise<void> {
    const user = await store.findUserById(actor.userId);
    if (!user) return;
    // This device learns where its partner stands, and the partner learns this user is here.
    if (user.partnerId) {
      const online = await socketPresence(io).isUserOnline(user.partnerId);
      socket.emit('presence', { userId: user.partnerId, online, inCall: await calls.isInCall(user.partnerId) });
    }
    await calls.announcePresence(actor.userId);
    await recordings.deviceChanged(actor);
    // A device that comes online while its user is being called rings too, until the ring expires.
    const ringing = await calls.ringingFor(actor.userId);
    const caller = ringing && (await store.findUserById(ringing.callerId));
    if (ringing && caller) {
      socket.emit('call:incoming', { call: toWireCall(ringing), from: toWireUser(caller), expiresAt: calls.ringExpiresAt(ringing) });
    }
  }

  async function onDisconnected(actor: Actor): Promise<void> {
    const presence = socketPresence(io);
    if (!(await presence.isDeviceOnline(actor.userId, actor.deviceId))) {
      await calls.deviceGone(actor.userId, actor.deviceId);
      await recordings.deviceChanged(actor);
    }
    if (!(await presence.isUserOnline(actor.userId))) await calls.announcePresence(actor.userId);
  }
}
