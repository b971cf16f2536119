// Call recording with two-key consent: the wire schemas of the recording:* events
// and the pure consent state machine that the server applies (and clients mirror).
// Nothing is captured until the partner's answering device accepts; the log that
// this machine produces is the call log's consent record, never media.
import { z } from 'zod';

/** How long a recording request waits for the partner's answer. */
export const RECORDING_REQUEST_TTL_MS = 30_000;

export const RECORDING_STATES = ['off', 'pending', 'on', 'paused'] as const;
export const RecordingStateSchema = z.enum(RECORDING_STATES);
export type RecordingState = z.infer<typeof RecordingStateSchema>;

/** Why a recording is off or paused, so each side can say it plainly. */
export const RECORDING_REASONS = ['declined', 'expired', 'stopped', 'call_ended', 'failed', 'disconnected'] as const;
export const RecordingReasonSchema = z.enum(RECORDING_REASONS);
export type RecordingReason = z.infer<typeof RecordingReasonSchema>;

// ---------------------------------------------------------------- client → server

const CallIdField = z.string().min(1).max(64);

export const RecordingRequestPayload = z.object({ callId: CallIdField });
export type RecordingRequestPayload = z.infer<typeof RecordingRequestPayload>;

export const RecordingAnswerPayload = z.object({ callId: CallIdField, accept: z.boolean() });
export type RecordingAnswerPayload = z.infer<typeof RecordingAnswerPayload>;

/**
 * Why a device's recording broke, as a code each side words in its own language:
 * the desktop writer's refusals (no key store, disk full, a write error, a file main
 * no longer holds), the browser's MediaRecorder failing, no call media to record, and
 * a recorder that stopped without having captured anything.
 */
export const RECORDING_FAILURES = ['no_encryption', 'disk_full', 'write_failed', 'unknown_recording', 'recorder_error', 'no_media', 'nothing_captured'] as const;
export const RecordingFailureSchema = z.enum(RECORDING_FAILURES);
export type RecordingFailure = z.infer<typeof RecordingFailureSchema>;

/** `failed` is sent by a recorder that broke: it stops both, and both are told why. */
export const RecordingStopPayload = z.object({ callId: CallIdField, failed: RecordingFailureSchema.optional() });
export type RecordingStopPayload = z.infer<typeof RecordingStopPayload>;

// ---------------------------------------------------------------- server → client

export const RecordingRequestedEventSchema = z.object({ callId: z.string(), by: z.string(), expiresAt: z.string() });
export type RecordingRequestedEvent = z.infer<typeof RecordingRequestedEventSchema>;

export const RecordingStateEventSchema = z.object({
  callId: z.string(),
  state: RecordingStateSchema,
  /** The partner whose action caused this state; null when the system did (expiry, a lost connection, the call's end). */
  by: z.string().nullable(),
  reason: RecordingReasonSchema.optional(),
  /** Set with `failed`: what broke, for the other side to say (a code this client does not know reads as a recorder error). */
  detail: RecordingFailureSchema.catch('recorder_error').optional(),
});
export type RecordingStateEvent = z.infer<typeof RecordingStateEventSchema>;

// ---------------------------------------------------------------- the consent log and its state machine

export const RECORDING_EVENT_KINDS = ['requested', 'accepted', 'declined', 'expired', 'paused', 'resumed', 'stopped'] as const;
export type RecordingEventKind = (typeof RECORDING_EVENT_KINDS)[number];

/** One consent event as the call log keeps it. */
export interface RecordingLogEntry {
  kind: RecordingEventKind;
  /** The user who acted; null for the system. */
  userId: string | null;
  at: number;
  /** With `requested`: when the request lapses unanswered. */
  expiresAt?: number | null;
  reason?: RecordingReason | null;
  detail?: string | null;
}

export interface RecordingStatus {
  state: RecordingState;
  /** Who asked for the pending or running recording. */
  askedBy: string | null;
  expiresAt: number | null;
  by: string | null;
  reason: RecordingReason | null;
  detail: string | null;
}

export const RECORDING_OFF: RecordingStatus = { state: 'off', askedBy: null, expiresAt: null, by: null, reason: null, detail: null };

/** The status after one logged event. */
export function applyRecordingEvent(status: RecordingStatus, entry: RecordingLogEntry): RecordingStatus {
  const by = entry.userId;
  const reason = entry.reason ?? null;
  const detail = entry.detail ?? null;
  switch (entry.kind) {
    case 'requested':
      return { state: 'pending', askedBy: by, expiresAt: entry.expiresAt ?? null, by, reason: null, detail: null };
    case 'accepted':
      return { ...status, state: 'on', by, reason: null, detail: null };
    case 'resumed':
      return { ...status, state: 'on', by: null, reason: null, detail: null };
    case 'paused':
      return { ...status, state: 'paused', by: null, reason: reason ?? 'disconnected', detail };
    case 'declined':
    case 'expired':
    case 'stopped':
      return { ...RECORDING_OFF, by, reason: reason ?? (entry.kind === 'stopped' ? 'stopped' : entry.kind), detail };
  }
}

/** Folds a call's whole consent log into its current status. */
export const recordingStatusOf = (log: readonly RecordingLogEntry[]): RecordingStatus => log.reduce(applyRecordingEvent, RECORDING_OFF);

export type RecordingCommand =
  | { type: 'request'; userId: string; ttlMs: number }
  | { type: 'answer'; userId: string; accept: boolean }
  | { type: 'stop'; userId: string; failed?: RecordingFailure }
  | { type: 'expire' }
  | { type: 'connectivity'; bothOnline: boolean }
  | { type: 'call_ended' };

export type RecordingRefusal = { code: 'INVALID_STATE' | 'NOT_ALLOWED'; message: string };
export type RecordingDecision = { ok: true; entry: RecordingLogEntry | null } | { ok: false; error: RecordingRefusal };

const refuse = (code: RecordingRefusal['code'], message: string): RecordingDecision => ({ ok: false, error: { code, message } });
const log = (entry: RecordingLogEntry): RecordingDecision => ({ ok: true, entry });
const nothing: RecordingDecision = { ok: true, entry: null };

/** A pending request whose deadline has passed counts as lapsed, timer or not. */
export const isLapsed = (status: RecordingStatus, now: number): boolean =>
  status.state === 'pending' && status.expiresAt !== null && now >= status.expiresAt;

/**
 * What a command does to a call's recording: the event to log, or why it is refused.
 * Who may act as which device (bound devices, the answering party) is the caller's
 * check; this decides only by users and states.
 */
export function decideRecording(status: RecordingStatus, command: RecordingCommand, now: number): RecordingDecision {
  const lapsed = isLapsed(status, now);
  switch (command.type) {
    case 'request':
      if (status.state === 'pending' && !lapsed) return refuse('INVALID_STATE', 'a recording request is already waiting for an answer');
      if (status.state === 'on' || status.state === 'paused') return refuse('INVALID_STATE', 'this call is already being recorded');
      return log({ kind: 'requested', userId: command.userId, at: now, expiresAt: now + command.ttlMs });
    case 'answer':
      if (status.state !== 'pending') return refuse('INVALID_STATE', 'there is no recording request to answer');
      if (status.askedBy === command.userId) return refuse('NOT_ALLOWED', 'only your partner can answer your recording request');
      if (lapsed) return refuse('INVALID_STATE', 'the recording request has expired');
      return log({ kind: command.accept ? 'accepted' : 'declined', userId: command.userId, at: now });
    case 'stop':
      if (status.state === 'off') return refuse('INVALID_STATE', 'nothing is being recorded');
      if (status.state === 'pending' && status.askedBy !== command.userId) {
        return refuse('NOT_ALLOWED', 'answer the request instead (accept or decline)');
      }
      return command.failed === undefined
        ? log({ kind: 'stopped', userId: command.userId, at: now, reason: 'stopped' })
        : log({ kind: 'stopped', userId: command.userId, at: now, reason: 'failed', detail: command.failed });
    case 'expire':
      return lapsed ? log({ kind: 'expired', userId: null, at: now, reason: 'expired' }) : nothing;
    case 'connectivity':
      if (status.state === 'on' && !command.bothOnline) return log({ kind: 'paused', userId: null, at: now, reason: 'disconnected' });
      if (status.state === 'paused' && command.bothOnline) return log({ kind: 'resumed', userId: null, at: now });
      return nothing;
    case 'call_ended':
      if (status.state === 'off') return nothing;
      return status.state === 'pending'
        ? log({ kind: 'expired', userId: null, at: now, reason: 'call_ended' })
        : log({ kind: 'stopped', userId: null, at: now, reason: 'call_ended' });
  }
}

/** The wire event for a status. */
export const toRecordingStateEvent = (callId: string, status: RecordingStatus): RecordingStateEvent => ({
  callId,
  state: status.state,
  by: status.by,
  ...(status.reason ? { reason: status.reason } : {}),
  // The log keeps the code as text; one it does not know (an older entry) reads as a recorder error.
  ...(status.detail ? { detail: RecordingFailureSchema.catch('recorder_error').parse(status.detail) } : {}),
});
