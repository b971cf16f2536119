// One error type for REST handlers; the app's error handler turns it into
// `{ error: { code, message } }` with its status.
import type { z } from 'zod';
import { describeIssues, type ErrorCode } from '../src-shared/protocol';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    /** With RATE_LIMITED: sent in the body as `retryAfterMs`. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Parses untrusted input with a shared schema, or answers 400 with the first problem. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new HttpError(400, 'BAD_REQUEST', describeIssues(parsed.error));
  return parsed.data;
}
