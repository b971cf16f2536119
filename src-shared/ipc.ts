// The main <-> renderer contract: the one type the preload bridge satisfies
// (`api satisfies HeartlineApi`) and the renderer reads as `window.heartline`.
// Channel names are 'domain:verb'. The renderer works without it (plain browser).
import { z } from 'zod';
import { CallSchema, CallTypeSchema, UserSchema, type Call, type CallType, type User } from './protocol';
import type { PlanReminderEvent, PlansSync } from './plans';

export const LANGUAGES = ['tr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const SettingsSchema = z.object({
  serverUrl: z.string().url().max(2048),
  /** null: follow the OS language. */
  language: z.enum(LANGUAGES).nullable(),
  microphoneId: z.string().max(512).nullable(),
  cameraId: z.string().max(512).nullable(),
  speakerId: z.string().max(512).nullable(),
  doNotDisturb: z.boolean(),
  startAtLogin: z.boolean(),
  /** iceTransportPolicy 'relay': hides each partner's IP address from the other. */
  relayOnly: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const SettingsPatchSchema = SettingsSchema.partial();

/** A fresh install's settings, talking to `serverUrl`. */
export function defaultSettingsFor(serverUrl: string): Settings {
  return {
    serverUrl,
    language: null,
    microphoneId: null,
    cameraId: null,
    speakerId: null,
    doNotDisturb: false,
    startAtLogin: false,
    relayOnly: false,
  };
}
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** What main keeps (encrypted with safeStorage) so the app stays signed in. */
export const StoredSessionSchema = z.object({
  refreshToken: z.string().min(1).max(512),
  user: UserSchema,
});
export type StoredSession = z.infer<typeof StoredSessionSchema>;

/** The renderer tells main where the call stands; main drives the tray, ring window and ringtone from it. */
export const CallPresenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('incoming'), callId: z.string(), callType: CallTypeSchema, partnerName: z.string(), expiresAt: z.string() }),
  z.object({ kind: z.literal('outgoing'), callId: z.string().nullable(), callType: CallTypeSchema, partnerName: z.string() }),
  z.object({ kind: z.literal('in-call'), callId: z.string(), callType: CallTypeSchema, partnerName: z.string() }),
]);
export type CallPresence = z.infer<typeof CallPresenceSchema>;

export const HistoryCallsSchema = z.array(CallSchema).max(500);

/** Actions that start outside the call window (tray menu, ring window) and that the renderer carries out. */
export type AppAction =
  | { kind: 'start-call'; callType: CallType }
  | { kind: 'answer'; callId: string; callType: CallType }
  | { kind: 'decline'; callId: string }
  | { kind: 'open-settings' }
  /** A heartline://invite/CODE link was opened: offer to pair with that code. */
  | { kind: 'open-invite'; code: string };

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface HeartlineApi {
  readonly platform: 'electron';
  settings: {
    get(): Promise<Settings>;
    update(patch: SettingsPatch): Promise<IpcResult<Settings>>;
  };
  session: {
    load(): Promise<StoredSession | null>;
    save(session: StoredSession): Promise<IpcResult<null>>;
    clear(): Promise<void>;
  };
  calls: {
    /** Report the call state; main rings, shows the ring window, sets the tray. */
    setPresence(presence: CallPresence): Promise<void>;
  };
  history: {
    /** The cached history, newest first: shown at once, even offline. */
    cached(limit: number): Promise<Call[]>;
    /** Merge a page from the server (by id; the server wins); returns the merged newest-first list. */
    merge(calls: Call[], limit: number): Promise<Call[]>;
    /** Marks missed calls as seen (clears the tray badge). */
    markMissedSeen(): Promise<void>;
    clear(): Promise<void>;
  };
  plans: {
    /** The couple's plans as the server sent them: main keeps them and fires their reminders, also offline. */
    sync(payload: PlansSync): Promise<void>;
    /** A plan:reminder from the server: main shows it unless this device already did. */
    reminded(event: PlanReminderEvent): Promise<void>;
  };
  /** Subscribe to actions from the tray and the ring window; returns an unsubscribe function. */
  onAction(listener: (action: AppAction) => void): () => void;
}

export type { Call, CallType, User };
