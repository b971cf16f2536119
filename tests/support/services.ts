// Whether this machine's shared PostgreSQL and Redis answer (the several-node,
// chaos and soak suites need them), probed once per test file.
import pg from 'pg';
import { createClient } from 'redis';

export const PG_URL = process.env.HEARTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.HEARTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

export function postgresAnswers(url = PG_URL): Promise<boolean> {
  return answers(async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
  });
}

export function redisAnswers(url = REDIS_URL): Promise<boolean> {
  return answers(async () => {
    const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    await client.connect();
    await client.quit();
  });
}
