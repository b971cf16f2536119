// Server configuration from the environment (DESIGN.md's table). Pure: give it an
// env object, get a validated config or a readable error.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RECORDING_REQUEST_TTL_MS } from '../src-shared/recording';

export interface ServerConfig {
  port: number;
  host: string;
  databasePath: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of the Redis pub/sub channels, so several deployments can share one Redis. */
  redisChannelPrefix: string;
  jwtSecret: string;
  ringTimeoutMs: number;
  /** How long a party's answering device may be gone before a connected call ends (connection_lost). */
  callGraceMs: number;
  /** How long a recording request waits for the partner's answer. */
  recordingRequestTtlMs: number;
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | undefined;
  /** Origins other than the server's own that may call the API: the desktop app, plus CORS_ORIGINS. */
  corsOrigins: string[];
  /** Behind a reverse proxy: trust its X-Forwarded-For (else a client could pick its own address and dodge the login limit). */
  trustProxy: boolean;
  /** Folder holding the built web client, served at `/` when it exists. */
  webRoot: string;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  loginMaxFailures: number;
  loginWindowMs: number;
}

export const DEFAULT_STUN = 'stun:stun.l.google.com:19302';
/** The desktop app's own origin (its app: protocol): always allowed to call the API. */
export const DESKTOP_APP_ORIGIN = 'app://heartline';

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function listFrom(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The JWT secret: from the environment, else generated once and kept beside the database. */
function jwtSecretFor(env: NodeJS.ProcessEnv, databasePath: string): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const file = resolve(dirname(databasePath), 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const databasePath = resolve(env.DATABASE_PATH || 'data/heartline.db');
  return {
    port: intFrom(env, 'PORT', 5000),
    host: env.HOST || '0.0.0.0',
    databasePath,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX || 'heartline',
    jwtSecret: jwtSecretFor(env, databasePath),
    ringTimeoutMs: intFrom(env, 'RING_TIMEOUT_MS', 45_000, 1),
    callGraceMs: intFrom(env, 'CALL_GRACE_MS', 30_000, 0),
    recordingRequestTtlMs: intFrom(env, 'RECORDING_REQUEST_TTL_MS', RECORDING_REQUEST_TTL_MS, 1),
    stunUrls: env.STUN_URLS === undefined ? [DEFAULT_STUN] : listFrom(env.STUN_URLS),
    turnUrls: listFrom(env.TURN_URLS),
    turnSecret: env.TURN_SECRET || undefined,
    corsOrigins: [DESKTOP_APP_ORIGIN, ...listFrom(env.CORS_ORIGINS)],
    trustProxy: env.TRUST_PROXY === 'true' || env.TRUST_PROXY === '1',
    webRoot: resolve(env.WEB_ROOT || 'out/renderer'),
    accessTokenTtlSec: intFrom(env, 'ACCESS_TOKEN_TTL_SEC', 15 * 60, 1),
    refreshTokenTtlSec: intFrom(env, 'REFRESH_TOKEN_TTL_SEC', 30 * 24 * 3600, 1),
    loginMaxFailures: intFrom(env, 'LOGIN_MAX_FAILURES', 10, 1),
    loginWindowMs: intFrom(env, 'LOGIN_WINDOW_MS', 10 * 60_000, 1),
  };
}
