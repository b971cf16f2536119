// The process: config from the environment, logging, listen, and a clean stop on
// SIGTERM/SIGINT (stop taking calls, end live ones, close sockets and the database).
import { buildApp } from './app';
import { loadConfig } from './config';

const config = loadConfig();
const heartline = await buildApp(config, {
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
});
const { app } = heartline;

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await heartline.close();
  process.exit(0);
}
// A library promise that nobody awaits must not take every couple's calls down with it.
process.on('unhandledRejection', (reason) => app.log.error({ err: reason }, 'unhandled rejection'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

await app.listen({ port: config.port, host: config.host });
app.log.info({ database: config.databasePath, web: config.webRoot }, 'Heartline server ready');
