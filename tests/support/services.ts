// Whether this machine's PostgreSQL and Redis answer, for suites that need them
// (pass the answers to requireOrSkip).
import pg from 'pg';
import { createClient } from 'redis';

export const TEST_DATABASE_URL = process.env.HEARTLINE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.HEARTLINE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

export const postgresAnswers = (url = TEST_DATABASE_URL): Promise<boolean> =>
  answers(async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await client.connect();
    await client.end();
  });

export const redisAnswers = (url = TEST_REDIS_URL): Promise<boolean> =>
  answers(async () => {
    const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
    await client.connect();
    await client.quit();
  });
