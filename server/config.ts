// Server configuration from the environment (docs/protocol.md, "Environment"). Pure: give it an
// env object, get a validated config or a readable error.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RECORDING_REQUEST_TTL_MS } from '../src-shared/recording';
import { isIP } from 'node:net';
import { loadLimits, type LimitsConfig } from './limits/limits-config';

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
  /** How long a connected call's media connection may stay down before the devices end it (connection_lost); sent to them with the ICE servers. */
  callReconnectDeadlineMs: number;
  /** How often each node sweeps the calls' ring and grace deadlines (any node ends an expired one). */
  callSweepMs: number;
  /** How long an end's publisher has to confirm it told the devices before a sweep re-sends the end. */
  callEndResendMs: number;
  /** How long a recording request waits for the partner's answer. */
  recordingRequestTtlMs: number;
  stunUrls: string[];
  turnUrls: string[];
  turnSecret: string | undefined;
  /** Origins other than the server's own that may call the API: the desktop app, plus CORS_ORIGINS. */
  corsOrigins: string[];
  /**
   * Behind reverse proxies: how many hops of X-Forwarded-For to trust, or the
   * proxies' addresses. Never "trust everything": a client could pick its own address.
   */
  trustProxy: false | number | string[];
  /** Folder holding the built web client, served at `/` when it exists. */
  webRoot: string;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  /** TURN credentials' lifetime (at most one hour). */
  turnCredentialTtlSec: number;
  limits: LimitsConfig;
  /** How often this node sweeps for due plan reminders. */
  planSweepMs: number;
}

export const DEFAULT_STUN = 'stun:stun.l.google.com:19302';
/** The desktop app's own origin (its app: protocol): always allowed to call the API. */
export const DESKTOP_APP_ORIGIN = 'app://heartline';

export function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function listFrom(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** TRUST_PROXY: unset/false, a hop count, or a comma-separated list of proxy addresses (CIDR allowed). */
function trustProxyFrom(raw: string | undefined): ServerConfig['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const proxies = listFrom(raw);
  const bad = proxies.find((entry) => !isIP(entry.split('/')[0] ?? ''));
  if (bad !== undefined) {
    throw new Error(`TRUST_PROXY must be a hop count or proxy addresses (e.g. "1" or "10.0.0.5,10.0.0.0/24"), got "${raw}"; "true" would let clients choose their own address`);
  }
  return proxies;
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
    callReconnectDeadlineMs: intFrom(env, 'CALL_RECONNECT_DEADLINE_MS', 30_000, 1_000),
    callSweepMs: intFrom(env, 'CALL_SWEEP_MS', 1000, 10),
    callEndResendMs: intFrom(env, 'CALL_END_RESEND_MS', 5000, 100),
    recordingRequestTtlMs: intFrom(env, 'RECORDING_REQUEST_TTL_MS', RECORDING_REQUEST_TTL_MS, 1),
    stunUrls: env.STUN_URLS === undefined ? [DEFAULT_STUN] : listFrom(env.STUN_URLS),
    turnUrls: listFrom(env.TURN_URLS),
    turnSecret: env.TURN_SECRET || undefined,
    corsOrigins: [DESKTOP_APP_ORIGIN, ...listFrom(env.CORS_ORIGINS)],
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    webRoot: resolve(env.WEB_ROOT || 'out/renderer'),
    accessTokenTtlSec: intFrom(env, 'ACCESS_TOKEN_TTL_SEC', 15 * 60, 1),
    refreshTokenTtlSec: intFrom(env, 'REFRESH_TOKEN_TTL_SEC', 30 * 24 * 3600, 1),
    turnCredentialTtlSec: intFrom(env, 'TURN_CREDENTIAL_TTL_SEC', 3600, 60, 3600),
    limits: loadLimits(env),
    planSweepMs: intFrom(env, 'PLAN_SWEEP_MS', 2000, 100),
  };
}
