// Socket.IO: authenticates the handshake, puts each socket in its user's and its
// device's rooms, and hands every event to the CallService after validation.
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import {
  CallHangupPayload,
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
import type { PlanService } from '../plans/plan-service';
import type { RecordingService } from '../recording/recording-service';
import type { Sessions } from '../auth/sessions';
import type { AccessClaims } from '../auth/tokens';
import type { Actor, CallService, Notifier, PresenceSource, Result } from '../calls/call-service';
import { toWireCall, toWireUser } from '../calls/call-wire';
import type { LimitsConfig } from '../limits/limits-config';
import { rateLimitedError } from '../limits/rate-limited';
import type { SocketLimits } from '../limits/socket-limits';
import type { Store } from '../store/types';
import { eventGuard } from './event-guard';
import { PresenceDebounce } from './presence-debounce';
import { deviceRoom, sessionRoom, userRoom } from './rooms';

export interface SocketData {
  userId: string;
  deviceId: string;
  claims: AccessClaims;
}

export type HeartlineServer = Server<UntrustedClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HeartlineSocket = Socket<UntrustedClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export { deviceRoom, userRoom };

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
  sessions: Sessions;
  calls: CallService;
  recordings: RecordingService;
  /** Links a started call to the planned occurrence it is made for (server/plans). */
  plans: Pick<PlanService, 'linkCall'>;
  limits: SocketLimits;
  limitsConfig: LimitsConfig;
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
}

/** Attaches the event handlers; returns a stop function for shutdown. */
export function attachSignaling({ io, store, sessions, calls, recordings, plans, limits, limitsConfig, log }: Deps): () => void {
  const refusal = eventGuard(sessions, limits);
  const presenceChanges = new PresenceDebounce(
    limitsConfig.presenceDebounceMs,
    (userId) => calls.announcePresence(userId),
    (error) => log.error({ err: error }, 'presence announcement failed'),
  );

  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('UNAUTHORIZED: a token is required'));
    sessions
      .verify(auth.data.token)
      .then(async (verified) => {
        if (!verified) return next(new Error('UNAUTHORIZED: invalid or expired token'));
        // A cap on sockets per user (counted on every node), so one account cannot hold hundreds.
        const open = (await io.in(userRoom(verified.user.id)).fetchSockets()).length;
        if (open >= limitsConfig.socketsPerUser) {
          const error = rateLimitedError(5000, `at most ${limitsConfig.socketsPerUser} connections per account`);
          return next(Object.assign(new Error(`RATE_LIMITED: ${error.message}`), { data: error }));
        }
        socket.data.userId = verified.user.id;
        socket.data.deviceId = auth.data.deviceId ?? socket.id;
        socket.data.claims = verified.claims;
        next();
      })
      .catch(() => next(new Error('UNAUTHORIZED: invalid token')));
  });

  io.on('connection', (socket: HeartlineSocket) => {
    const actor: Actor = { userId: socket.data.userId, deviceId: socket.data.deviceId };
    void socket.join([userRoom(actor.userId), deviceRoom(actor.userId, actor.deviceId), sessionRoom(socket.data.claims.sessionId)]);
    void onConnected(socket, actor).catch((error: unknown) => log.error({ err: error }, 'socket connect handling failed'));

    /** Registers a handler that validates its payload and always answers its ack. */
    const handle = <S extends z.ZodType>(
      event: keyof UntrustedClientEvents,
      schema: S,
      run: (payload: z.infer<S>) => Promise<Result<object>>,
    ): void => {
      socket.on(event, (payload: unknown, ack: unknown) => {
        const respond = ackOf(ack);
        refusal(socket.id, socket.data.claims)
          .then((refused) => {
            if (refused) {
              respond({ ok: false, error: refused });
              if (refused.code === 'UNAUTHORIZED') socket.disconnect(true);
              return undefined;
            }
            const parsed = schema.safeParse(payload);
            if (!parsed.success) return respond({ ok: false, error: { code: 'BAD_REQUEST', message: describeIssues(parsed.error) } });
            return run(parsed.data).then((result) => respond(toAck(result)));
          })
          .catch((error: unknown) => {
            log.error({ err: error, event }, 'socket event failed');
            respond({ ok: false, error: { code: 'INTERNAL', message: 'something went wrong on the server' } });
          });
      });
    };

    handle('call:start', CallStartPayload, async (p) => {
      const wait = await limits.callStart(actor.userId);
      if (wait) return { ok: false, error: rateLimitedError(wait, 'too many calls started') };
      const started = await calls.start(actor, p.type);
      if (started.ok) {
        // Before the ack, so the caller's next history read already shows the link; a failure only leaves the call unlinked.
        await plans.linkCall(actor.userId, started.value.callId, p.plan).catch((error: unknown) => log.error({ err: error }, 'linking a call to its plan failed'));
      }
      return started;
    });
    handle('call:accept', CallRefPayload, (p) => calls.accept(actor, p.callId));
    handle('call:decline', CallRefPayload, (p) => calls.decline(actor, p.callId));
    handle('call:hangup', CallHangupPayload, (p) => calls.hangup(actor, p.callId, p.reason));
    handle('call:signal', CallSignalPayload, (p) => calls.signal(actor, p.callId, p.data));
    handle('call:ringing', CallRefPayload, (p) => calls.ringing(actor, p.callId));
    handle('call:media', CallRefPayload, (p) => calls.media(actor, p.callId));
    handle('recording:request', RecordingRequestPayload, (p) => recordings.request(actor, p.callId));
    handle('recording:answer', RecordingAnswerPayload, (p) => recordings.answer(actor, p.callId, p.accept));
    handle('recording:stop', RecordingStopPayload, (p) => recordings.stop(actor, p.callId, p.failed));

    // Nor does an idle socket outlive its token: it is ended when the token expires (the client reconnects with a fresh one).
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, socket.data.claims.expiresAt - Date.now()));
    expiry.unref();

    socket.on('disconnect', () => {
      clearTimeout(expiry);
      limits.socketGone(socket.id);
      void onDisconnected(actor).catch((error: unknown) => log.error({ err: error }, 'socket disconnect handling failed'));
    });
  });

  async function onConnected(socket: HeartlineSocket, actor: Actor): Promise<void> {
    await calls.deviceBack(actor.userId, actor.deviceId);
    const user = await store.findUserById(actor.userId);
    if (!user) return;
    // This device learns where its partner stands, and the partner learns this user is here.
    if (user.partnerId) {
      const online = await socketPresence(io).isUserOnline(user.partnerId);
      socket.emit('presence', { userId: user.partnerId, online, inCall: await calls.isInCall(user.partnerId) });
    }
    presenceChanges.schedule(actor.userId);
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
    if (!(await presence.isUserOnline(actor.userId))) presenceChanges.schedule(actor.userId);
  }

  return () => presenceChanges.stop();
}
