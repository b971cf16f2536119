// STUN from STUN_URLS; TURN with coturn `use-auth-secret` credentials (the
// "TURN REST API": username = expiry:userId, credential = HMAC-SHA1) when configured.
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { IceServer, IceServersResponse } from '../../../../src-shared/protocol';
import type { ServerConfig } from '../../../config';
import type { AppContext } from '../../../context';

const TURN_CREDENTIAL_TTL_SEC = 12 * 3600;

export function iceServersFor(config: ServerConfig, userId: string, nowMs: number): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length) servers.push({ urls: config.stunUrls });
  if (config.turnUrls.length && config.turnSecret) {
    const username = `${Math.floor(nowMs / 1000) + TURN_CREDENTIAL_TTL_SEC}:${userId}`;
    const credential = createHmac('sha1', config.turnSecret).update(username).digest('base64');
    servers.push({ urls: config.turnUrls, username, credential });
  }
  return servers;
}

export default function iceServersRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/ice-servers', async (request): Promise<IceServersResponse> => {
    const user = await ctx.authenticate(request);
    return { iceServers: iceServersFor(ctx.config, user.id, Date.now()) };
  });
}
