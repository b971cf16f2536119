import type { FastifyInstance } from 'fastify';
import type { MeResponse } from '../../../../src-shared/protocol';
import { toWireUser } from '../../../calls/call-wire';
import type { AppContext } from '../../../context';

export default function meRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/me', async (request): Promise<MeResponse> => {
    const user = await ctx.authenticate(request);
    const partner = user.partnerId ? await ctx.store.findUserById(user.partnerId) : undefined;
    return { user: toWireUser(user), partner: partner ? toWireUser(partner) : null };
  });
}
