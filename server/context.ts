// What route modules get from the app: the store, services and config.
import type { FastifyRequest } from 'fastify';
import type { LoginThrottle } from './auth/login-throttle';
import type { TokenService } from './auth/tokens';
import type { CallService, Notifier } from './calls/call-service';
import type { ServerConfig } from './config';
import type { RecordingService } from './recording/recording-service';
import type { Store, UserRecord } from './store/types';

export interface AppContext {
  config: ServerConfig;
  store: Store;
  tokens: TokenService;
  calls: CallService;
  recordings: RecordingService;
  notifier: Notifier;
  throttle: LoginThrottle;
  authenticate: (request: FastifyRequest) => Promise<UserRecord>;
}
