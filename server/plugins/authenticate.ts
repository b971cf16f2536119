// `Authorization: Bearer <jwt>` for REST: attaches the user or answers 401.
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors';
import type { TokenService } from '../auth/tokens';
import type { Store, UserRecord } from '../store/types';

export function authenticator(tokens: TokenService, store: Store) {
  return async function authenticate(request: FastifyRequest): Promise<UserRecord> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    const claims = match?.[1] ? await tokens.verifyAccess(match[1]) : null;
    const user = claims && (await store.findUserById(claims.userId));
    if (!user) throw new HttpError(401, 'UNAUTHORIZED', 'sign in again: the token is missing, invalid or expired');
    return user;
  };
}
