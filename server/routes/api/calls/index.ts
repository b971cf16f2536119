// The authoritative call history, newest first, keyset-paged.
import type { FastifyInstance } from 'fastify';
import { CallsQuery, MissedQuery, type CallsPage, type MissedCallsResponse } from '../../../../src-shared/protocol';
import { toMarkedWireCall, toWireCall } from '../../../calls/call-wire';
import type { AppContext } from '../../../context';
import { HttpError, parseOr400 } from '../../../http-errors';
import { decodeCursor, encodeCursor } from './cursor';

export default function callsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/calls', async (request): Promise<CallsPage> => {
    const user = await ctx.authenticate(request);
    const query = parseOr400(CallsQuery, request.query);
    const before = query.before === undefined ? undefined : decodeCursor(query.before);
    if (before === null) throw new HttpError(400, 'BAD_REQUEST', 'before: not a cursor this server gave out');
    // One extra row tells whether another page exists without a COUNT.
    const rows = await ctx.store.listCalls(user.id, query.limit + 1, before);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const recorded = await ctx.recordings.recordedAmong(page.map((call) => call.id));
    return {
      calls: page.map((call) => toMarkedWireCall(call, recorded)),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  });

  app.get('/api/calls/missed', async (request): Promise<MissedCallsResponse> => {
    const user = await ctx.authenticate(request);
    const query = parseOr400(MissedQuery, request.query);
    const since = query.since ? Date.parse(query.since) : 0;
    return { calls: (await ctx.store.listMissed(user.id, since)).map(toWireCall) };
  });
}
