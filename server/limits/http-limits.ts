// REST limits with @fastify/rate-limit: per client address (IPv6 by /64) for
// login, registration and invite codes, and per user for invite codes. With
// REDIS_URL the counters live in Redis, so a limit holds across nodes. Over a
// limit: 429 RATE_LIMITED with `retryAfterMs`, before the body is even read.
import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createClient } from 'redis';
import type { ServerConfig } from '../config';
import type { WindowRule } from './limits-config';
import { rateLimitedHttp } from './rate-limited';
import { redisRateLimitStore } from './redis-rate-limit-store';

export interface HttpLimits {
  /** Route `config.rateLimit` for a per-address rule. */
  perAddress(rule: WindowRule): { rateLimit: RateLimitOptions };
  /** A check to run once the user is known; throws 429 when over `rule`. */
  perUser(name: string, rule: WindowRule): (request: FastifyRequest, userId: string) => Promise<void>;
}

const IPV6_SUBNET = 64;

export async function registerHttpLimits(app: FastifyInstance, config: ServerConfig): Promise<HttpLimits> {
  let store;
  if (config.redisUrl) {
    const client = createClient({ url: config.redisUrl });
    client.on('error', (error: unknown) => app.log.error({ err: error }, 'rate-limit redis error'));
    await client.connect();
    app.addHook('onClose', async () => {
      await client.quit().catch(() => undefined);
    });
    store = redisRateLimitStore(client, config.redisChannelPrefix);
  }
  await app.register(rateLimit, {
    global: false,
    ipv6Subnet: IPV6_SUBNET,
    ...(store ? { store } : {}),
    errorResponseBuilder: (_request, context) => rateLimitedHttp(context.ttl, 'too many attempts from here'),
  });

  const userOf = new WeakMap<FastifyRequest, string>();
  return {
    perAddress: (rule) => ({ rateLimit: { max: rule.max, timeWindow: rule.windowMs } }),
    perUser(name, rule) {
      const check = app.createRateLimit({ max: rule.max, timeWindow: rule.windowMs, keyGenerator: (request) => `${name}:${userOf.get(request) ?? ''}` });
      return async (request, userId) => {
        userOf.set(request, userId);
        const result = await check(request);
        if (!result.isAllowed && result.isExceeded) throw rateLimitedHttp(result.ttl, 'too many attempts');
      };
    },
  };
}
