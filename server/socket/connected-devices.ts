// Which devices are connected to any node: through the Redis adapter,
// fetchSockets asks every node (and rejects if one does not answer in time).
import { deviceKey } from '../calls/call-sweeper';
import type { HeartlineServer } from './index';

export function connectedDevices(io: HeartlineServer): () => Promise<ReadonlySet<string>> {
  return async () => new Set((await io.fetchSockets()).map((socket) => deviceKey(socket.data.userId, socket.data.deviceId)));
}
