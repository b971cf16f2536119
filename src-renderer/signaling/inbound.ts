// Runtime checks for what the server sends, built from the shared schemas: an
// event that does not parse is dropped, never half-trusted.
import { z } from 'zod';
import {
  CallSchema,
  CallStatusSchema,
  EndReasonSchema,
  UserSchema,
  type CallAcceptedEvent,
  type CallEndedEvent,
  type CallIncomingEvent,
  type CallSignalEvent,
  type PairingChangedEvent,
  type PresenceEvent,
} from '../../src-shared/protocol';

export const inbound = {
  'call:incoming': z.object({ call: CallSchema, from: UserSchema, expiresAt: z.string() }) satisfies z.ZodType<CallIncomingEvent>,
  'call:accepted': z.object({ callId: z.string() }) satisfies z.ZodType<CallAcceptedEvent>,
  'call:signal': z.object({ callId: z.string(), data: z.record(z.string(), z.unknown()) }) satisfies z.ZodType<CallSignalEvent>,
  'call:ended': z.object({ callId: z.string(), status: CallStatusSchema, reason: EndReasonSchema }) satisfies z.ZodType<CallEndedEvent>,
  presence: z.object({ userId: z.string(), online: z.boolean(), inCall: z.boolean() }) satisfies z.ZodType<PresenceEvent>,
  'pairing:changed': z.object({ partner: UserSchema.nullable() }) satisfies z.ZodType<PairingChangedEvent>,
};
