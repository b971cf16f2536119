// The one definition of Heartline's wire contract (REST + Socket.IO), shared by the
// server, the renderer and Electron main. Every schema here is both the runtime
// check at a boundary and, through z.infer, the static type.
import { z } from 'zod';
import { DISPLAY_NAME_MAX_GRAPHEMES, DisplayName } from './display-name';
import type { PlanServerToClientEvents } from './plans';
import {
  RecordingRequestedEventSchema,
  RecordingStateEventSchema,
  type RecordingAnswerPayload,
  type RecordingRequestedEvent,
  type RecordingRequestPayload,
  type RecordingStateEvent,
  type RecordingStopPayload,
} from './recording';

// ---------------------------------------------------------------- limits

export const MAX_SIGNAL_BYTES = 64 * 1024;
export const CALLS_PAGE_DEFAULT = 20;
export const CALLS_PAGE_MAX = 100;
export const INVITE_TTL_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------- errors

export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'USERNAME_TAKEN',
  'INVALID_CREDENTIALS',
  'RATE_LIMITED',
  'ALREADY_PAIRED',
  'INVITE_NOT_FOUND',
  'INVITE_GONE',
  'OWN_INVITE',
  'NOT_PAIRED',
  'CALL_IN_PROGRESS',
  'PARTNER_OFFLINE',
  'CALL_NOT_FOUND',
  'NOT_ALLOWED',
  'INVALID_STATE',
  'PAYLOAD_TOO_LARGE',
  'TOO_MANY_PLANS',
  'SHUTTING_DOWN',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Set with CALL_IN_PROGRESS (the call that exists) and PARTNER_OFFLINE (the call logged as missed). */
  callId?: string;
  /** Set with RATE_LIMITED: how long to wait before trying again. */
  retryAfterMs?: number;
}

/** REST error body: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: WireError;
}

// ---------------------------------------------------------------- users

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  // ASCII only, said so in every message (a-z without accents: no ç, ğ, ı, ö, ş, ü).
  .regex(/^[a-z0-9][a-z0-9_.-]{2,31}$/, 'username: 3-32 characters: letters a-z without accents, digits and _ . - (starting with a letter or digit)');
export const Password = z.string().min(8, 'password: at least 8 characters').max(256, 'password: at most 256 characters');
export { DisplayName, DISPLAY_NAME_MAX_GRAPHEMES };

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
});
export type User = z.infer<typeof UserSchema>;

// ---------------------------------------------------------------- calls

export const CALL_TYPES = ['voice', 'video'] as const;
export const CallTypeSchema = z.enum(CALL_TYPES);
export type CallType = z.infer<typeof CallTypeSchema>;

export const CALL_STATUSES = ['ringing', 'connected', 'ended', 'missed', 'declined'] as const;
export const CallStatusSchema = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof CallStatusSchema>;

export const END_REASONS = [
  'hangup',
  'declined',
  'canceled',
  'timeout',
  'answered_elsewhere',
  'connection_lost',
  'partner_offline',
  'unpaired',
  'server_restart',
  'shutdown',
  /** Answered, but media never flowed before the attempt gave up (duration 0). */
  'failed',
] as const;
export const EndReasonSchema = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReasonSchema>;

export const CallSchema = z.object({
  id: z.string(),
  callerId: z.string(),
  calleeId: z.string(),
  type: CallTypeSchema,
  status: CallStatusSchema,
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationSec: z.number().int().nonnegative(),
  endReason: EndReasonSchema.nullable(),
  /** Present (true) when both partners agreed to record this call. */
  recorded: z.literal(true).optional(),
});
export type Call = z.infer<typeof CallSchema>;

// ---------------------------------------------------------------- REST bodies and replies

export const RegisterBody = z.object({
  username: Username,
  password: Password,
  displayName: DisplayName.optional(),
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const LoginBody = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshBody = z.infer<typeof RefreshBody>;

export const AcceptInviteBody = z.object({ code: z.string().min(1).max(32) });
export type AcceptInviteBody = z.infer<typeof AcceptInviteBody>;

export const CallsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(CALLS_PAGE_MAX).default(CALLS_PAGE_DEFAULT),
  before: z.string().min(1).max(200).optional(),
});
export type CallsQuery = z.infer<typeof CallsQuery>;

export const MissedQuery = z.object({ since: z.iso.datetime({ offset: true }).optional() });
export type MissedQuery = z.infer<typeof MissedQuery>;

export interface AuthResponse {
  token: string;
  refreshToken: string;
  user: User;
}
export interface RefreshResponse {
  token: string;
  refreshToken: string;
}
export interface MeResponse {
  user: User;
  partner: User | null;
}
export interface InviteResponse {
  code: string;
  expiresAt: string;
}
export interface AcceptInviteResponse {
  partner: User;
}
export interface CallsPage {
  calls: Call[];
  nextCursor: string | null;
}
export interface MissedCallsResponse {
  calls: Call[];
}
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}
export interface IceServersResponse {
  iceServers: IceServer[];
  /** When the TURN credentials in `iceServers` stop working (absent when there are none): fetch again before. */
  expiresAt?: string;
  /** How long a connected call may go without its media connection before the devices end it (connection_lost). */
  reconnectDeadlineMs?: number;
}

// ---------------------------------------------------------------- Socket.IO

/** Handshake `auth` object. deviceId keeps one device's identity across reconnects. */
export const HandshakeAuth = z.object({
  token: z.string().min(1).max(4096),
  deviceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/**
 * The planned occurrence a call is made for, when it was started with "Call now"
 * from a plan's reminder. The server links the call to it if the plan is the
 * couple's and the call starts within the occurrence's window; otherwise the
 * call goes ahead unlinked by this (see docs/plans.md).
 */
export const PlanCallRef = z.object({ planId: z.string().min(1).max(64), occurrence: z.iso.datetime({ offset: true }) }).strict();
export type PlanCallRef = z.infer<typeof PlanCallRef>;

export const CallStartPayload = z.object({ type: CallTypeSchema, plan: PlanCallRef.optional() });
export type CallStartPayload = z.infer<typeof CallStartPayload>;

export const CallRefPayload = z.object({ callId: z.string().min(1).max(64) });
export type CallRefPayload = z.infer<typeof CallRefPayload>;

/** A hang-up; `connection_lost` when the device gave up because the media connection stayed down past the deadline. */
export const CallHangupPayload = CallRefPayload.extend({ reason: z.enum(['connection_lost']).optional() });
export type CallHangupPayload = z.infer<typeof CallHangupPayload>;

/** simple-peer signal data (SDP or ICE candidate): an object; its size is checked on the server. */
export const CallSignalPayload = z.object({
  callId: z.string().min(1).max(64),
  data: z.record(z.string(), z.unknown()),
});
export type CallSignalPayload = z.infer<typeof CallSignalPayload>;

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError };
export type AckFn<T extends object = object> = (response: Ack<T>) => void;

export interface ClientToServerEvents {
  'call:start': (payload: CallStartPayload, ack: AckFn<{ callId: string }>) => void;
  'call:accept': (payload: CallRefPayload, ack: AckFn) => void;
  'call:decline': (payload: CallRefPayload, ack: AckFn) => void;
  'call:hangup': (payload: CallHangupPayload, ack: AckFn) => void;
  'call:signal': (payload: CallSignalPayload, ack: AckFn) => void;
  /** The callee's device has the call and is ringing (the caller then shows "Ringing…"). */
  'call:ringing': (payload: CallRefPayload, ack: AckFn) => void;
  /** The answering pair's media is flowing (once per call, from either bound device). */
  'call:media': (payload: CallRefPayload, ack: AckFn) => void;
  'recording:request': (payload: RecordingRequestPayload, ack: AckFn) => void;
  'recording:answer': (payload: RecordingAnswerPayload, ack: AckFn) => void;
  'recording:stop': (payload: RecordingStopPayload, ack: AckFn) => void;
}

/** What the server really receives: nothing is trusted until parsed. */
export type UntrustedClientEvents = {
  [K in keyof ClientToServerEvents]: (payload: unknown, ack: unknown) => void;
};

export const CallIncomingEventSchema = z.object({
  call: CallSchema,
  from: UserSchema,
  /** After this instant the ring is over: a device that wakes late must not ring. */
  expiresAt: z.string(),
});
export type CallIncomingEvent = z.infer<typeof CallIncomingEventSchema>;

export const CallAcceptedEventSchema = z.object({ callId: z.string() });
export type CallAcceptedEvent = z.infer<typeof CallAcceptedEventSchema>;

export const CallSignalEventSchema = z.object({ callId: z.string(), data: z.record(z.string(), z.unknown()) });
export type CallSignalEvent = z.infer<typeof CallSignalEventSchema>;

export const CallRingingEventSchema = z.object({ callId: z.string() });
export type CallRingingEvent = z.infer<typeof CallRingingEventSchema>;

/** `call` is the final record, so a device updates its history without asking again. */
export const CallEndedEventSchema = z.object({ callId: z.string(), status: CallStatusSchema, reason: EndReasonSchema, call: CallSchema });
export type CallEndedEvent = z.infer<typeof CallEndedEventSchema>;

export const PresenceEventSchema = z.object({ userId: z.string(), online: z.boolean(), inCall: z.boolean() });
export type PresenceEvent = z.infer<typeof PresenceEventSchema>;

/** Sent to both partners when they pair or unpair, so open windows update at once. */
export const PairingChangedEventSchema = z.object({ partner: UserSchema.nullable() });
export type PairingChangedEvent = z.infer<typeof PairingChangedEventSchema>;

/** Runtime checks for every server→client event, for clients that trust nothing they receive. */
export const ServerEventSchemas = {
  'call:incoming': CallIncomingEventSchema,
  'call:accepted': CallAcceptedEventSchema,
  'call:ringing': CallRingingEventSchema,
  'call:signal': CallSignalEventSchema,
  'call:ended': CallEndedEventSchema,
  presence: PresenceEventSchema,
  'pairing:changed': PairingChangedEventSchema,
  'recording:requested': RecordingRequestedEventSchema,
  'recording:state': RecordingStateEventSchema,
} as const satisfies { [E in CallEventName]: z.ZodType<Parameters<ServerToClientEvents[E]>[0]> };

/** Plan events have their schemas beside them, in plans.ts (PlanEventSchemas). */
type CallEventName = Exclude<keyof ServerToClientEvents, keyof PlanServerToClientEvents>;

export interface ServerToClientEvents extends PlanServerToClientEvents {
  'call:incoming': (event: CallIncomingEvent) => void;
  'call:accepted': (event: CallAcceptedEvent) => void;
  'call:ringing': (event: CallRingingEvent) => void;
  'call:signal': (event: CallSignalEvent) => void;
  'call:ended': (event: CallEndedEvent) => void;
  presence: (event: PresenceEvent) => void;
  'pairing:changed': (event: PairingChangedEvent) => void;
  'recording:requested': (event: RecordingRequestedEvent) => void;
  'recording:state': (event: RecordingStateEvent) => void;
}

/** First zod issue as one readable sentence, for error messages. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = issue.path.join('.');
  return path && !issue.message.startsWith(`${path}:`) ? `${path}: ${issue.message}` : issue.message;
}
