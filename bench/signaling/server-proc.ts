// The server under test, in its own process (forked by bench/signaling.ts):
//   MODE=heartline  the real app (buildApp) on a seeded SQLite file, as server.ts runs it
//   MODE=bare       the seed's relay: no auth, no validation, no logging
// It measures its own event-loop delay (perf_hooks.monitorEventLoopDelay) and
// memory, and answers the orchestrator over IPC.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { buildApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { SqliteStore } from '../../server/store/sqlite-store';
import type { FromServer, ToServer } from './messages';

const send = (message: FromServer): void => {
  process.send?.(message);
};

/** The original prototype's signaling, verbatim in behaviour: `socket.to(id).emit(...)`. */
function bareRelay(http: HttpServer): Server {
  const io = new Server(http);
  io.on('connection', (socket) => {
    socket.on('callUser', (data: { userToCall: string; signalData: unknown; from: string; name: string }) => {
      socket.to(data.userToCall).emit('callUser', { signal: data.signalData, from: data.from, name: data.name });
    });
    socket.on('answerCall', (data: { to: string; signal: unknown }) => {
      socket.to(data.to).emit('callAccepted', data.signal);
    });
    socket.on('endCall', (data: { userToCall: string }) => {
      socket.to(data.userToCall).emit('callEnded');
    });
    socket.on('iceCandidate', (data: { to: string; candidate: unknown }) => {
      socket.to(data.to).emit('iceCandidate', data.candidate);
    });
  });
  return io;
}

async function main(): Promise<void> {
  const mode = process.env.MODE === 'bare' ? 'bare' : 'heartline';
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // GC pauses, to tell them apart from other stalls of the loop.
  const gcStats = { count: 0, totalMs: 0, maxMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcStats.count++;
      gcStats.totalMs += entry.duration;
      gcStats.maxMs = Math.max(gcStats.maxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });

  const UNLIMITED_CALLS = { CALL_START_BURST: '1000000', CALL_START_PER_MIN: '1000000', CALLS_PER_COUPLE_PER_MIN: '1000000', SOCKET_EVENTS_BURST: '1000000', USER_EVENTS_BURST: '1000000' };
  let port: number;
  let sockets: () => number;
  let close: () => Promise<void>;
  if (mode === 'heartline') {
    const config = loadConfig({
      DATABASE_PATH: process.env.DATABASE_PATH,
      JWT_SECRET: process.env.JWT_SECRET,
      STUN_URLS: '',
      HOST: '127.0.0.1',
      PORT: '0',
      WEB_ROOT: '/nonexistent-heartline-bench-web-root',
      // Several nodes: Redis carries rings and signals between them (bench/signaling.ts --two-node).
      REDIS_URL: process.env.REDIS_URL,
      REDIS_CHANNEL_PREFIX: process.env.REDIS_CHANNEL_PREFIX,
      // This bench measures ring latency, not the abuse limits: each couple calls far faster than people do.
      ...UNLIMITED_CALLS,
    });
    const store = new SqliteStore(config.databasePath);
    const heartline = await buildApp(config, { store, logger: { level: process.env.LOG_LEVEL ?? 'warn' } });
    await heartline.app.listen({ port: 0, host: '127.0.0.1' });
    port = (heartline.app.server.address() as AddressInfo).port;
    sockets = () => heartline.io.engine.clientsCount;
    close = () => heartline.close();
  } else {
    const http = createServer();
    const io = bareRelay(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
    sockets = () => io.engine.clientsCount;
    close = async () => {
      io.disconnectSockets(true);
      await io.close().catch(() => undefined);
    };
  }

  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (raw: ToServer) => {
    if (raw.cmd === 'stats') {
      if (raw.gc && gc) {
        gc();
        gc();
      }
      const mem = process.memoryUsage();
      const usage = process.cpuUsage();
      const ms = (ns: number): number => ns / 1e6;
      send({
        type: 'stats',
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        external: mem.external,
        sockets: sockets(),
        loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) },
        cpuMs: (usage.user + usage.system) / 1000,
        gc: { ...gcStats },
      });
      if (raw.reset) {
        loop.reset();
        Object.assign(gcStats, { count: 0, totalMs: 0, maxMs: 0 });
      }
    } else if (raw.cmd === 'stop') {
      const force = setTimeout(() => process.exit(0), 5_000);
      force.unref();
      void close().finally(() => process.exit(0));
    }
  });
  // The orchestrator going away ends this process too: nothing outlives the bench.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
