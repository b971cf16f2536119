// `Authorization: Bearer <jwt>` for REST: attaches the user or answers 401
// (also once the token's sign-in has ended, even before the token expires).
import type { FastifyRequest } from 'fastify';
import type { Sessions } from '../auth/sessions';
import { HttpError } from '../http-errors';
import type { UserRecord } from '../store/types';

export function authenticator(sessions: Sessions) {
  return async function authenticate(request: FastifyRequest): Promise<UserRecord> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    const verified = match?.[1] ? await sessions.verify(match[1]) : null;
    if (!verified) throw new HttpError(401, 'UNAUTHORIZED', 'sign in again: the token is missing, invalid or expired');
    return verified.user;
  };
}
