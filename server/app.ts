// The application: REST routes, Socket.IO signaling and the web client, wired to
// one store. No process concerns here (see server.ts), so tests build it directly.
import { existsSync } from 'node:fs';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ApiErrorBody } from '../src-shared/protocol';
import { HashGate } from './auth/hash-gate';
import { Sessions } from './auth/sessions';
import { TokenService } from './auth/tokens';
import { CallService } from './calls/call-service';
import { CallSweeper } from './calls/call-sweeper';
import { endFaultFromEnv } from './calls/end-fault';
import type { ServerConfig } from './config';
import type { AppContext } from './context';
import { HttpError } from './http-errors';
import { registerHttpLimits } from './limits/http-limits';
import { SocketLimits } from './limits/socket-limits';
import { authenticator } from './plugins/authenticate';
import authRoutes from './routes/api/auth';
import callsRoutes from './routes/api/calls';
import iceServersRoutes from './routes/api/ice-servers';
import meRoutes from './routes/api/me';
import pairingRoutes from './routes/api/pairing';
import plansRoutes from './routes/api/plans';
import { attachPlans, type Plans } from './plans';
import { recordingLogFor } from './recording/recording-log';
import { RecordingService } from './recording/recording-service';
import { attachSignaling, createSocketServer, socketNotifier, socketPresence, type HeartlineServer } from './socket';
import { connectedDevices } from './socket/connected-devices';
import { attachRedisAdapter } from './socket/redis-adapter';
import { socketControl } from './socket/socket-control';
import { registerWebSecurity } from './web-security';
import { PostgresStore } from './store/postgres-store';
import { SqliteStore } from './store/sqlite-store';
import type { Store } from './store/types';

export interface Heartline {
  app: FastifyInstance;
  io: HeartlineServer;
  store: Store;
  calls: CallService;
  /** Planned calls and their reminder sweep. */
  plans: Plans;
  /** Ends live calls, closes sockets, the HTTP server and the store. */
  close(): Promise<void>;
}

const errorBody = (code: ApiErrorBody['error']['code'], message: string, retryAfterMs?: number): ApiErrorBody => ({
  error: retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs },
});

/** A hop count as a function (the same rule as proxy-addr's number form, which Fastify's types omit). */
const fastifyTrustProxy = (trust: ServerConfig['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) =>
  typeof trust === 'number' ? (_address, hop) => hop < trust : trust;

export async function buildApp(
  config: ServerConfig,
  options: { store?: Store; logger?: FastifyServerOptions['logger']; /** The plans' clock (tests move it). */ now?: () => number } = {},
): Promise<Heartline> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024, trustProxy: fastifyTrustProxy(config.trustProxy) });
  const store = options.store ?? (config.databaseUrl ? await PostgresStore.open(config.databaseUrl) : new SqliteStore(config.databasePath));
  const tokens = new TokenService(config.jwtSecret, config.accessTokenTtlSec);
  const sessions = new Sessions(tokens, store);
  const io = createSocketServer(app.server, config.corsOrigins);
  const detachRedis = config.redisUrl ? await attachRedisAdapter(io, config.redisUrl, config.redisChannelPrefix, (error) => app.log.warn({ err: error }, 'redis connection')) : async () => undefined;
  const notifier = socketNotifier(io);
  const recordings = new RecordingService({
    store,
    log: recordingLogFor(store),
    notifier,
    presence: socketPresence(io),
    requestTtlMs: config.recordingRequestTtlMs,
    onError: (error) => app.log.error({ err: error }, 'recording timer failed'),
  });
  const calls = new CallService({
    onEnded: (call) => recordings.callEnded(call),
    recordedAmong: (callIds) => recordings.recordedAmong(callIds),
    onError: (error) => app.log.error({ err: error }, 'after-call work failed'),
    store,
    notifier,
    presence: socketPresence(io),
    ringTimeoutMs: config.ringTimeoutMs,
    callGraceMs: config.callGraceMs,
    endResendMs: config.callEndResendMs,
    faultPoint: endFaultFromEnv(process.env),
  });
  const sweeper = new CallSweeper({
    store,
    calls,
    connectedDevices: connectedDevices(io),
    intervalMs: config.callSweepMs,
    resendLeaseMs: config.callEndResendMs,
    onError: (error) => app.log.error({ err: error }, 'call sweep failed'),
  });
  const plans = attachPlans({
    io,
    store,
    notifier,
    now: options.now ?? Date.now,
    sweepMs: config.planSweepMs,
    onError: (error, what) => app.log.error({ err: error }, what),
  });
  const ctx: AppContext = {
    config,
    store,
    tokens,
    calls,
    plans: plans.service,
    recordings,
    notifier,
    hashGate: new HashGate(config.limits.hashConcurrency, config.limits.hashQueue),
    httpLimits: await registerHttpLimits(app, config),
    sockets: socketControl(io),
    authenticate: authenticator(sessions),
  };

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).headers(error.headers).send(errorBody(error.code, error.message, error.retryAfterMs));
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own rejections: malformed JSON, wrong content type, body too large.
      return reply.code(status).send(errorBody(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', (error as Error).message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', 'something went wrong on the server'));
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody('NOT_FOUND', `no route ${request.method} ${request.url}`)));

  // Bearer tokens, not cookies, authenticate the API, so CORS here only decides which pages may
  // read replies; every method the API uses must be listed, or the browser blocks it (DELETE pairing).
  await app.register(cors, { origin: config.corsOrigins, methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], maxAge: 600 });
  await registerWebSecurity(app);

  app.get('/healthz', async () => ({ ok: true }));
  for (const routes of [authRoutes, meRoutes, pairingRoutes, callsRoutes, iceServersRoutes, plansRoutes]) routes(app, ctx);
  if (existsSync(config.webRoot)) await app.register(fastifyStatic, { root: config.webRoot, index: 'index.html' });

  const detachSignaling = attachSignaling({
    io,
    store,
    sessions,
    calls,
    recordings,
    plans: plans.service,
    limits: new SocketLimits(config.limits, store),
    limitsConfig: config.limits,
    log: app.log,
  });
  // Calls left live by a crash (this node's or another's) keep their deadlines; a
  // connected one whose devices do not come back within the grace period ends.
  sweeper.start();

  let closing: Promise<void> | undefined;
  return {
    app,
    io,
    store,
    calls,
    plans,
    close: () =>
      (closing ??= (async () => {
        await sweeper.stop();
        detachSignaling();
        plans.stop();
        recordings.shutdown();
        // Of several nodes (Redis), one stopping is a rolling restart: its rings go on elsewhere.
        await calls.shutdown({ endRings: !config.redisUrl });
        // Only this node's sockets: through the Redis adapter a plain disconnectSockets reaches every node.
        io.local.disconnectSockets(true);
        await io.close().catch(() => undefined);
        await app.close().catch(() => undefined);
        await detachRedis();
        await store.close();
      })()),
  };
}
