// Register, log in, refresh (rotating) and log out.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LoginBody, RefreshBody, RegisterBody, type AuthResponse, type RefreshResponse } from '../../../../src-shared/protocol';
import { weakPasswordReason } from '../../../auth/password-policy';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from '../../../auth/passwords';
import { hashRefreshToken, newRefreshToken } from '../../../auth/tokens';
import { toWireUser } from '../../../calls/call-wire';
import type { AppContext } from '../../../context';
import { HttpError, parseOr400 } from '../../../http-errors';
import { UsernameTakenError, type UserRecord } from '../../../store/types';

export default function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, tokens, config, hashGate, httpLimits, sockets } = ctx;

  async function signIn(user: UserRecord): Promise<AuthResponse> {
    const refresh = newRefreshToken();
    const familyId = randomUUID();
    await store.saveRefreshToken({
      tokenHash: refresh.hash,
      userId: user.id,
      familyId,
      expiresAt: Date.now() + config.refreshTokenTtlSec * 1000,
    });
    const wireUser = toWireUser(user);
    return { token: await tokens.issueAccess(wireUser, familyId), refreshToken: refresh.token, user: wireUser };
  }

  app.post('/api/auth/register', { config: httpLimits.perAddress(config.limits.register) }, async (request, reply) => {
    const body = parseOr400(RegisterBody, request.body);
    const weak = weakPasswordReason(body.password, body.username);
    if (weak) throw new HttpError(400, 'BAD_REQUEST', weak);
    try {
      const user = await store.createUser({
        id: randomUUID(),
        username: body.username,
        displayName: body.displayName ?? body.username,
        passwordHash: await hashGate.run(() => hashPassword(body.password)),
        createdAt: Date.now(),
      });
      return reply.code(201).send(await signIn(user));
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new HttpError(409, 'USERNAME_TAKEN', 'that username is taken');
      throw error;
    }
  });

  app.post('/api/auth/login', { config: httpLimits.perAddress(config.limits.login) }, async (request) => {
    const body = parseOr400(LoginBody, request.body);
    const user = await store.findUserByUsername(body.username);
    // Verify against a dummy hash for unknown names so timing does not reveal which names exist.
    const hash = user?.passwordHash ?? (await DUMMY_HASH_PROMISE);
    const valid = await hashGate.run(() => verifyPassword(body.password, hash));
    if (!user || !valid) throw new HttpError(401, 'INVALID_CREDENTIALS', 'wrong username or password');
    return signIn(user);
  });

  app.post('/api/auth/refresh', async (request): Promise<RefreshResponse> => {
    const body = parseOr400(RefreshBody, request.body);
    const next = newRefreshToken();
    const now = Date.now();
    const result = await store.rotateRefreshToken(
      hashRefreshToken(body.refreshToken),
      { tokenHash: next.hash, expiresAt: now + config.refreshTokenTtlSec * 1000 },
      now,
    );
    // A stolen copy was used: that whole sign-in has just been revoked; its sockets go too.
    if (result.kind === 'reused') sockets.endSession(result.familyId);
    const user = result.kind === 'rotated' ? await store.findUserById(result.userId) : undefined;
    if (!user || result.kind !== 'rotated') throw new HttpError(401, 'UNAUTHORIZED', 'this sign-in has ended; log in again');
    return { token: await tokens.issueAccess(toWireUser(user), result.familyId), refreshToken: next.token };
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const body = parseOr400(RefreshBody, request.body);
    const ended = await store.revokeRefreshToken(hashRefreshToken(body.refreshToken), Date.now());
    if (ended) sockets.endSession(ended.familyId);
    return reply.code(204).send();
  });
}
