// Ending sockets from REST handlers: a sign-out or a stolen refresh token ends
// that sign-in's sockets, an unpairing ends both partners' sockets (their
// clients reconnect and start from the new state). Rooms plus the Redis
// adapter make each of these reach the sockets on every node.
import type { HeartlineServer } from './index';
import { sessionRoom, userRoom } from './rooms';

export interface SocketControl {
  endSession(sessionId: string): void;
  disconnectUsers(...userIds: string[]): void;
}

export function socketControl(io: HeartlineServer): SocketControl {
  return {
    endSession(sessionId) {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
    },
    disconnectUsers(...userIds) {
      if (userIds.length) io.in(userIds.map(userRoom)).disconnectSockets(true);
    },
  };
}
