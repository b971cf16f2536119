// What route modules get from the app: the store, services and config.
import type { FastifyRequest } from 'fastify';
import type { LoginThrottle } from './auth/login-throttle';
import type { TokenService } from './auth/tokens';
import type { CallService, Notifier } from './calls/call-service';
import type { ServerConfig } from './config';
import type { PlanService } from './plans/plan-service';
import type { Store, UserRecord } from './store/types';

export interface AppContext {
  config: ServerConfig;
  store: Store;
  tokens: TokenService;
  calls: CallService;
  plans: PlanService;
  notifier: Notifier;
  throttle: LoginThrottle;
  authenticate: (request: FastifyRequest) => Promise<UserRecord>;
}
