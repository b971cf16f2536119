// What route modules get from the app: the store, services and config.
import type { FastifyRequest } from 'fastify';
import type { HashGate } from './auth/hash-gate';
import type { TokenService } from './auth/tokens';
import type { CallService, Notifier } from './calls/call-service';
import type { ServerConfig } from './config';
import type { HttpLimits } from './limits/http-limits';
import type { SocketControl } from './socket/socket-control';
import type { Store, UserRecord } from './store/types';

export interface AppContext {
  config: ServerConfig;
  store: Store;
  tokens: TokenService;
  calls: CallService;
  notifier: Notifier;
  hashGate: HashGate;
  httpLimits: HttpLimits;
  sockets: SocketControl;
  authenticate: (request: FastifyRequest) => Promise<UserRecord>;
}
