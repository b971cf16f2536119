// The one shape of "over a limit": RATE_LIMITED with a retry hint, as a socket
// ack error or as a REST 429 (with Retry-After).
import type { WireError } from '../../src-shared/protocol';
import { HttpError } from '../http-errors';

export function rateLimitedError(retryAfterMs: number, what = 'too many requests'): WireError {
  const wait = Math.max(1, Math.ceil(retryAfterMs));
  return { code: 'RATE_LIMITED', message: `${what}; try again in ${Math.ceil(wait / 1000)} s`, retryAfterMs: wait };
}

export function rateLimitedHttp(retryAfterMs: number, what?: string): HttpError {
  const error = rateLimitedError(retryAfterMs, what);
  return new HttpError(429, 'RATE_LIMITED', error.message, { 'retry-after': String(Math.ceil((error.retryAfterMs ?? 0) / 1000)) }, error.retryAfterMs);
}
