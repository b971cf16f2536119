// The planned-call endpoints, on behalf of the signed-in session.
import type { CreatePlanBody, PlanResponse, PlansResponse, UpdatePlanBody } from '../../src-shared/plans';
import { PLAN_LIMITS } from '../../src-shared/plans';
import type { Session } from './session';

export const plansApi = (session: Session) => ({
  list: (limit: number = PLAN_LIMITS.listDefault): Promise<PlansResponse> => session.request('GET', `/api/plans?limit=${limit}`),
  create: (body: CreatePlanBody): Promise<PlanResponse> => session.request('POST', '/api/plans', body),
  update: (id: string, body: UpdatePlanBody): Promise<PlanResponse> => session.request('PATCH', `/api/plans/${encodeURIComponent(id)}`, body),
  skip: (id: string, occurrence: string): Promise<PlanResponse> => session.request('POST', `/api/plans/${encodeURIComponent(id)}/skip`, { occurrence }),
  cancel: (id: string): Promise<void> => session.request('DELETE', `/api/plans/${encodeURIComponent(id)}`),
  reportTimeZone: (timeZone: string): Promise<void> => session.request('PUT', '/api/me/time-zone', { timeZone }),
});
export type PlansApi = ReturnType<typeof plansApi>;
