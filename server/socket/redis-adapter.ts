// Several server nodes: the Socket.IO Redis adapter carries room broadcasts and
// fetchSockets (presence) between them.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { HeartlineServer } from './index';

/** Attaches the adapter; returns a function that disconnects its Redis clients. */
export async function attachRedisAdapter(io: HeartlineServer, url: string, channelPrefix: string): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
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
