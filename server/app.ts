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
import { attachSignaling, createSocketServer, socketNotifier, socketPresence, type HeartlineServer } from './socket';
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
  options: { store?: Store; logger?: FastifyServerOptions['logger'] } = {},
): Promise<Heartline> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024, trustProxy: fastifyTrustProxy(config.trustProxy) });
  const store = options.store ?? (config.databaseUrl ? await PostgresStore.open(config.databaseUrl) : new SqliteStore(config.databasePath));
  const tokens = new TokenService(config.jwtSecret, config.accessTokenTtlSec);
  const sessions = new Sessions(tokens, store);
  const io = createSocketServer(app.server, config.corsOrigins);
  const detachRedis = config.redisUrl ? await attachRedisAdapter(io, config.redisUrl, config.redisChannelPrefix) : async () => undefined;
  const notifier = socketNotifier(io);
  const calls = new CallService({
    store,
    notifier,
    presence: socketPresence(io),
    ringTimeoutMs: config.ringTimeoutMs,
    callGraceMs: config.callGraceMs,
    onError: (error) => app.log.error({ err: error }, 'call timer failed'),
  });
  const ctx: AppContext = {
    config,
    store,
    tokens,
    calls,
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
  for (const routes of [authRoutes, meRoutes, pairingRoutes, callsRoutes, iceServersRoutes]) routes(app, ctx);
  if (existsSync(config.webRoot)) await app.register(fastifyStatic, { root: config.webRoot, index: 'index.html' });

  const detachSignaling = attachSignaling({
    io,
    store,
    sessions,
    calls,
    limits: new SocketLimits(config.limits, store),
    limitsConfig: config.limits,
    log: app.log,
  });
  // One node owns every call, so whatever is live at its start was left by a crash.
  // With several nodes (Redis), only rings past expiry are orphans; sweep for them.
  const multiNode = Boolean(config.redisUrl);
  const recovered = multiNode ? await calls.closeExpiredRings() : await calls.recoverAfterRestart();
  if (recovered) app.log.warn({ recovered }, 'closed calls left open by a previous run');
  const sweeper = multiNode
    ? setInterval(() => void calls.closeExpiredRings().catch((error: unknown) => app.log.error({ err: error }, 'ring sweep failed')), Math.min(config.ringTimeoutMs, 5000))
    : undefined;
  sweeper?.unref();

  let closing: Promise<void> | undefined;
  return {
    app,
    io,
    store,
    calls,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweeper);
        detachSignaling();
        await calls.shutdown();
        io.disconnectSockets(true);
        await io.close().catch(() => undefined);
        await app.close().catch(() => undefined);
        await detachRedis();
        await store.close();
      })()),
  };
}
