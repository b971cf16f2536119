// Planned calls: list (with the next occurrences expanded), create, change,
// skip one occurrence, cancel; and the time zone each device reports.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreatePlanBody, PlansQuery, SkipPlanBody, TimeZoneBody, UpdatePlanBody, type PlanResponse, type PlansResponse } from '../../../../src-shared/plans';
import type { AppContext } from '../../../context';
import { HttpError, parseOr400 } from '../../../http-errors';

const PlanParams = z.object({ id: z.uuid() });

/** The plan id from the path; anything that is not a plan id cannot name one of the couple's plans. */
function planId(params: unknown): string {
  const parsed = PlanParams.safeParse(params);
  if (!parsed.success) throw new HttpError(404, 'NOT_FOUND', 'no such plan');
  return parsed.data.id;
}

export default function plansRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { plans } = ctx;

  app.get('/api/plans', async (request): Promise<PlansResponse> => {
    const user = await ctx.authenticate(request);
    const { limit } = parseOr400(PlansQuery, request.query);
    return plans.list(user.id, limit);
  });

  app.post('/api/plans', async (request, reply) => {
    const user = await ctx.authenticate(request);
    const body = parseOr400(CreatePlanBody, request.body);
    const response: PlanResponse = { plan: await plans.create(user.id, body) };
    return reply.code(201).send(response);
  });

  app.patch('/api/plans/:id', async (request): Promise<PlanResponse> => {
    const user = await ctx.authenticate(request);
    const id = planId(request.params);
    return { plan: await plans.update(user.id, id, parseOr400(UpdatePlanBody, request.body)) };
  });

  app.post('/api/plans/:id/skip', async (request): Promise<PlanResponse> => {
    const user = await ctx.authenticate(request);
    const id = planId(request.params);
    return { plan: await plans.skip(user.id, id, parseOr400(SkipPlanBody, request.body).occurrence) };
  });

  app.delete('/api/plans/:id', async (request, reply) => {
    const user = await ctx.authenticate(request);
    await plans.cancel(user.id, planId(request.params));
    return reply.code(204).send();
  });

  app.put('/api/me/time-zone', async (request, reply) => {
    const user = await ctx.authenticate(request);
    await plans.setTimeZone(user.id, parseOr400(TimeZoneBody, request.body).timeZone);
    return reply.code(204).send();
  });
}
