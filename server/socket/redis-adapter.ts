// Several server nodes: the Socket.IO Redis adapter carries room broadcasts and
// fetchSockets (presence) between them.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { HeartlineServer } from './index';

/**
 * Attaches the adapter; returns a function that disconnects its Redis clients.
 * When Redis goes away the clients reconnect by themselves (and resubscribe);
 * meanwhile cross-node requests fail at once instead of queueing, so a client's
 * event gets an error answer rather than no answer.
 */
export async function attachRedisAdapter(
  io: HeartlineServer,
  url: string,
  channelPrefix: string,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> {
  const pub = createClient({ url, disableOfflineQueue: true });
  const sub = createClient({ url });
  // Without listeners, a dropped connection's 'error' event would end the process.
  let lastError = '';
  for (const client of [pub, sub]) {
    client.on('error', (error: Error) => {
      if (error.message !== lastError) onError(error);
      lastError = error.message;
    });
    client.on('ready', () => (lastError = ''));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: channelPrefix, requestsTimeout: 3000 }));
  return async () => {
    // Stop hearing other nodes first: a request that arrives while we close would be
    // answered through `pub`, and publishing on a closed client is an unhandled rejection.
    await sub.quit().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pub.quit().catch(() => undefined);
  };
}
