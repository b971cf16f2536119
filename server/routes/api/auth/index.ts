// Register, log in, refresh (rotating) and log out.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LoginBody, RefreshBody, RegisterBody, type AuthResponse, type RefreshResponse } from '../../../../src-shared/protocol';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from '../../../auth/passwords';
import { hashRefreshToken, newRefreshToken } from '../../../auth/tokens';
import { toWireUser } from '../../../calls/call-wire';
import type { AppContext } from '../../../context';
import { HttpError, parseOr400 } from '../../../http-errors';
import { UsernameTakenError, type UserRecord } from '../../../store/types';

export default function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store, tokens, config, throttle } = ctx;

  async function signIn(user: UserRecord): Promise<AuthResponse> {
    const refresh = newRefreshToken();
    await store.saveRefreshToken({
      tokenHash: refresh.hash,
      userId: user.id,
      familyId: randomUUID(),
      expiresAt: Date.now() + config.refreshTokenTtlSec * 1000,
    });
    const wireUser = toWireUser(user);
    return { token: await tokens.issueAccess(wireUser), refreshToken: refresh.token, user: wireUser };
  }

  app.post('/api/auth/register', async (request, reply) => {
    const body = parseOr400(RegisterBody, request.body);
    try {
      const user = await store.createUser({
        id: randomUUID(),
        username: body.username,
        displayName: body.displayName ?? body.username,
        passwordHash: await hashPassword(body.password),
        createdAt: Date.now(),
      });
      return reply.code(201).send(await signIn(user));
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new HttpError(409, 'USERNAME_TAKEN', 'that username is taken');
      throw error;
    }
  });

  app.post('/api/auth/login', async (request) => {
    const body = parseOr400(LoginBody, request.body);
    const key = `${request.ip}|${body.username}`;
    const waitMs = throttle.retryAfterMs(key);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new HttpError(429, 'RATE_LIMITED', `too many failed attempts; try again in ${seconds} s`, { 'retry-after': String(seconds) });
    }
    const user = await store.findUserByUsername(body.username);
    // Verify against a dummy hash for unknown names so timing does not reveal which names exist.
    const valid = await verifyPassword(body.password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !valid) {
      throttle.recordFailure(key);
      throw new HttpError(401, 'INVALID_CREDENTIALS', 'wrong username or password');
    }
    throttle.recordSuccess(key);
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
    const user = result.kind === 'rotated' ? await store.findUserById(result.userId) : undefined;
    if (!user) throw new HttpError(401, 'UNAUTHORIZED', 'this sign-in has ended; log in again');
    return { token: await tokens.issueAccess(toWireUser(user)), refreshToken: next.token };
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const body = parseOr400(RefreshBody, request.body);
    await store.revokeRefreshToken(hashRefreshToken(body.refreshToken), Date.now());
    return reply.code(204).send();
  });
}
