// Invite, accept, unpair. Both partners' open windows hear about it at once.
import type { FastifyInstance } from 'fastify';
import { AcceptInviteBody, INVITE_TTL_MS, type AcceptInviteResponse, type InviteResponse } from '../../../../src-shared/protocol';
import { toWireUser } from '../../../calls/call-wire';
import type { AppContext } from '../../../context';
import { HttpError, parseOr400 } from '../../../http-errors';
import { formatInviteCode, newInviteCode, normalizeInviteCode } from './invite-code';

export default function pairingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, notifier, calls, sockets, httpLimits, config } = ctx;
  const acceptsByUser = httpLimits.perUser('invite-accept', config.limits.inviteAccept);

  app.post('/api/pairing/invite', async (request, reply) => {
    const user = await ctx.authenticate(request);
    if (user.partnerId) throw new HttpError(409, 'ALREADY_PAIRED', 'you are already paired; unpair first');
    const now = Date.now();
    const code = newInviteCode();
    await store.createInvite({ code, inviterId: user.id, createdAt: now, expiresAt: now + INVITE_TTL_MS });
    const body: InviteResponse = { code: formatInviteCode(code), expiresAt: new Date(now + INVITE_TTL_MS).toISOString() };
    return reply.code(201).send(body);
  });

  app.post('/api/pairing/accept', { config: httpLimits.perAddress(config.limits.inviteAccept) }, async (request): Promise<AcceptInviteResponse> => {
    const user = await ctx.authenticate(request);
    // Codes are short enough to read aloud, so guessing is slowed per user and per address.
    await acceptsByUser(request, user.id);
    const body = parseOr400(AcceptInviteBody, request.body);
    const code = normalizeInviteCode(body.code);
    if (!code) throw new HttpError(404, 'INVITE_NOT_FOUND', 'no invite has that code; check it and try again');
    const result = await store.acceptInvite(code, user.id, Date.now());
    switch (result.kind) {
      case 'not_found':
        throw new HttpError(404, 'INVITE_NOT_FOUND', 'no invite has that code; check it and try again');
      case 'gone':
        throw new HttpError(410, 'INVITE_GONE', 'this invite has expired or was already used; ask for a new one');
      case 'own_invite':
        throw new HttpError(400, 'OWN_INVITE', 'this is your own invite; send it to your partner');
      case 'already_paired':
        throw new HttpError(409, 'ALREADY_PAIRED', 'one of you is already paired');
      case 'paired': {
        const inviter = await store.findUserById(result.inviterId);
        if (!inviter) throw new HttpError(404, 'INVITE_NOT_FOUND', 'the inviter no longer exists');
        notifier.toUser(inviter.id, 'pairing:changed', { partner: toWireUser(user) });
        notifier.toUser(user.id, 'pairing:changed', { partner: toWireUser(inviter) });
        await calls.announcePresence(user.id, inviter.id);
        return { partner: toWireUser(inviter) };
      }
      default: {
        const unreachable: never = result;
        throw new Error(`unhandled invite result ${JSON.stringify(unreachable)}`);
      }
    }
  });

  app.delete('/api/pairing', async (request, reply) => {
    const user = await ctx.authenticate(request);
    // End the call first, while both are still partners and can be told why.
    await calls.endForUnpair(user.id);
    const formerPartner = await store.unpair(user.id);
    // A call:start that raced the unpair (on another node) committed before it: end that one too.
    await calls.endForUnpair(user.id);
    notifier.toUser(user.id, 'pairing:changed', { partner: null });
    if (formerPartner) notifier.toUser(formerPartner, 'pairing:changed', { partner: null });
    // Their sockets start over from the new state: nothing of the couple's session lingers.
    if (formerPartner) sockets.disconnectUsers(user.id, formerPartner);
    return reply.code(204).send();
  });
}
