// STUN from STUN_URLS; TURN with coturn `use-auth-secret` credentials (the
// "TURN REST API": username = expiry:userId, credential = HMAC-SHA1) when configured,
// and only for paired users (a relay costs bandwidth; open sign-up must not make it
// free for anyone), valid at most TURN_CREDENTIAL_TTL_SEC (an hour or less).
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { IceServer, IceServersResponse } from '../../../../src-shared/protocol';
import type { ServerConfig } from '../../../config';
import type { AppContext } from '../../../context';

export function iceServersFor(config: ServerConfig, user: { id: string; partnerId: string | null }, nowMs: number): IceServersResponse {
  const iceServers: IceServer[] = [];
  const reconnectDeadlineMs = config.callReconnectDeadlineMs;
  if (config.stunUrls.length) iceServers.push({ urls: config.stunUrls });
  if (!config.turnUrls.length || !config.turnSecret || !user.partnerId) return { iceServers, reconnectDeadlineMs };
  const expiresAtSec = Math.floor(nowMs / 1000) + config.turnCredentialTtlSec;
  const username = `${expiresAtSec}:${user.id}`;
  const credential = createHmac('sha1', config.turnSecret).update(username).digest('base64');
  iceServers.push({ urls: config.turnUrls, username, credential });
  return { iceServers, expiresAt: new Date(expiresAtSec * 1000).toISOString(), reconnectDeadlineMs };
}

export default function iceServersRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/ice-servers', async (request): Promise<IceServersResponse> => {
    const user = await ctx.authenticate(request);
    return iceServersFor(ctx.config, user, Date.now());
  });
}
