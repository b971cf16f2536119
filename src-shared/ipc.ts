// The main <-> renderer contract: the one type the preload bridge satisfies
// (`api satisfies HeartlineApi`) and the renderer reads as `window.heartline`.
// Channel names are 'domain:verb'. The renderer works without it (plain browser).
import { z } from 'zod';
import { CallSchema, CallTypeSchema, UserSchema, type Call, type CallType, type PlanCallRef, type User } from './protocol';
import { PlanReminderEventSchema, PlansSyncSchema } from './plans';
import { RecordingChunkSchema, RecordingDurationSchema, RecordingIdSchema, RecordingOpenSchema, type RecordingOpen, type RecordingSummary, type RecordingWriteResult } from './recordings';

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

/** What the renderer may know of the kept session: never the refresh token (main refreshes). */
export interface SignedInUser {
  user: User;
}

/** A fresh access token from main; null when signed out (the refresh token was refused). */
export type AccessTokenReply = IpcResult<{ token: string } | null>;

/** The renderer tells main where the call stands; main drives the tray, ring window and ringtone from it. */
export const CallPresenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('idle') }),
  z.object({ kind: z.literal('incoming'), callId: z.string(), callType: CallTypeSchema, partnerName: z.string(), expiresAt: z.string() }),
  z.object({ kind: z.literal('outgoing'), callId: z.string().nullable(), callType: CallTypeSchema, partnerName: z.string() }),
  z.object({ kind: z.literal('in-call'), callId: z.string(), callType: CallTypeSchema, partnerName: z.string() }),
]);
export type CallPresence = z.infer<typeof CallPresenceSchema>;

export const HistoryCallsSchema = z.array(CallSchema).max(500);

/** Actions that start outside the call window (tray menu, ring window, main's timers) and that the renderer carries out. */
export type AppAction =
  /** `plan`: started with "Call now" from a plan's reminder (the server links the call to that occurrence). */
  | { kind: 'start-call'; callType: CallType; plan?: PlanCallRef }
  | { kind: 'answer'; callId: string; callType: CallType }
  | { kind: 'decline'; callId: string }
  /** Main's ring timer ran out (main owns ring expiry in the desktop app). */
  | { kind: 'ring-expired'; callId: string }
  | { kind: 'open-settings' }
  /** A heartline://invite/CODE link was opened: offer to pair with that code. */
  | { kind: 'open-invite'; code: string }
  /** The tray's "Dismiss reminder": the page's notice of that reminder goes too. */
  | { kind: 'plan-reminder-dismissed'; planId: string; occurrence: string; reminder: 'lead' | 'now' };

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: string };

// ---------------------------------------------------------------- the IPC table
// Every invoke channel: its arguments (checked by main before any handler runs) and
// its result type. Main registers handlers typed from it, the preloads invoke through
// it, and HeartlineApi below is written in its terms. Channel names are 'domain:verb'.

/** One channel's contract; `result` exists only in the type. */
export interface IpcContract<Args extends z.ZodTuple, Result> {
  args: Args;
  readonly result?: Result;
}
const request = <Args extends z.ZodTuple>(args: Args) => ({
  returns: <Result>(): IpcContract<Args, Result> => ({ args }),
});
const none = z.tuple([]);
const Limit = z.number().int().min(1).max(500);
const CallId = z.string().min(1).max(64);

export const IPC = {
  // The call window (window.heartline).
  'app:ready': request(none).returns<void>(),
  'settings:get': request(none).returns<Settings>(),
  /** The patch is checked by main's settings rules, which answer with a readable error. */
  'settings:update': request(z.tuple([z.unknown()])).returns<IpcResult<Settings>>(),
  'session:load': request(none).returns<SignedInUser | null>(),
  'session:save': request(z.tuple([z.unknown()])).returns<IpcResult<null>>(),
  'session:access-token': request(none).returns<AccessTokenReply>(),
  'session:logout': request(none).returns<void>(),
  'session:clear': request(none).returns<void>(),
  'calls:set-presence': request(z.tuple([CallPresenceSchema])).returns<void>(),
  'history:cached': request(z.tuple([Limit])).returns<Call[]>(),
  'history:merge': request(z.tuple([HistoryCallsSchema, Limit])).returns<Call[]>(),
  'history:missed': request(z.tuple([Limit])).returns<Call[]>(),
  'history:mark-missed-seen': request(none).returns<void>(),
  'history:clear': request(none).returns<void>(),
  // The ring window (window.heartlineRing).
  'ring:answer': request(z.tuple([z.object({ callId: CallId, audioOnly: z.boolean() }).strict()])).returns<void>(),
  'ring:decline': request(z.tuple([z.object({ callId: CallId }).strict()])).returns<void>(),
  // The screen-share picker (window.heartlinePicker); null cancels.
  'picker:choose': request(z.tuple([z.string().max(256).nullable()])).returns<void>(),
  // Planned calls (the call window): main keeps the plans and fires their reminders.
  'plans:sync': request(z.tuple([PlansSyncSchema])).returns<void>(),
  'plans:reminded': request(z.tuple([PlanReminderEventSchema])).returns<void>(),
  /** The page's reminder notice was dismissed: main settles that reminder too (tray, notification). */
  'plans:dismissed': request(z.tuple([PlanReminderEventSchema])).returns<void>(),
  // Recordings (the call window): main encrypts each chunk as it comes; no plaintext on disk.
  'recording:open': request(z.tuple([RecordingOpenSchema])).returns<RecordingWriteResult<{ id: string }>>(),
  'recording:append': request(z.tuple([RecordingIdSchema, RecordingChunkSchema])).returns<RecordingWriteResult<null>>(),
  'recording:finish': request(z.tuple([RecordingIdSchema, RecordingDurationSchema])).returns<RecordingWriteResult<null>>(),
  /** After a failure: closes the file without its sealed end (what was written stays playable). */
  'recording:abort': request(z.tuple([RecordingIdSchema])).returns<void>(),
  /** The partner asks to record: main raises a notification when the window is hidden. */
  'recording:requested': request(z.tuple([z.object({ partnerName: z.string().max(100) }).strict()])).returns<void>(),
  'recordings:list': request(none).returns<RecordingSummary[]>(),
  /** Writes plain WebM where the user chooses (save dialog); false when cancelled. */
  'recordings:export': request(z.tuple([RecordingIdSchema])).returns<IpcResult<{ saved: boolean }>>(),
  'recordings:delete': request(z.tuple([RecordingIdSchema])).returns<IpcResult<null>>(),
} as const;

export type IpcChannel = keyof typeof IPC;
type ContractOf<C extends IpcChannel> = (typeof IPC)[C];
/** What a caller passes (before validation). */
export type IpcArgs<C extends IpcChannel> = z.input<ContractOf<C>['args']>;
/** What a handler receives (after validation). */
export type IpcParsedArgs<C extends IpcChannel> = z.output<ContractOf<C>['args']>;
export type IpcReply<C extends IpcChannel> = Exclude<ContractOf<C>['result'], undefined>;

/** Which page may use which channels (main checks the sender's origin per group). */
export const IPC_GROUPS = {
  app: ['app:ready', 'settings:get', 'settings:update', 'session:load', 'session:save', 'session:access-token', 'session:logout', 'session:clear', 'calls:set-presence', 'history:cached', 'history:merge', 'history:missed', 'history:mark-missed-seen', 'history:clear'],
  ring: ['ring:answer', 'ring:decline'],
  picker: ['picker:choose'],
  plans: ['plans:sync', 'plans:reminded', 'plans:dismissed'],
  recordings: ['recording:open', 'recording:append', 'recording:finish', 'recording:abort', 'recording:requested', 'recordings:list', 'recordings:export', 'recordings:delete'],
} as const satisfies Record<string, readonly IpcChannel[]>;
export type IpcGroup = keyof typeof IPC_GROUPS;
export type IpcChannelOf<G extends IpcGroup> = (typeof IPC_GROUPS)[G][number];

/** main -> page messages (send, not invoke). */
export const ACTION_CHANNEL = 'app:action';
export const RING_SHOW_CHANNEL = 'ring:show';
export const PICKER_SOURCES_CHANNEL = 'picker:sources';

export interface HeartlineApi {
  readonly platform: 'electron';
  app: {
    /** The page's action listeners are attached: main delivers the actions it queued. */
    ready(): Promise<IpcReply<'app:ready'>>;
  };
  settings: {
    get(): Promise<IpcReply<'settings:get'>>;
    update(patch: SettingsPatch): Promise<IpcReply<'settings:update'>>;
  };
  session: {
    /** Who is signed in on this computer (never the refresh token: it stays in main). */
    load(): Promise<IpcReply<'session:load'>>;
    /** Hands a new sign-in to main, which keeps the refresh token from then on. */
    save(session: StoredSession): Promise<IpcReply<'session:save'>>;
    /** Main refreshes (rotating the refresh token it keeps) and returns a fresh access token. */
    accessToken(): Promise<IpcReply<'session:access-token'>>;
    /** Main signs out at the server and forgets the session. */
    logout(): Promise<IpcReply<'session:logout'>>;
    clear(): Promise<IpcReply<'session:clear'>>;
  };
  calls: {
    /** Report the call state; main rings, shows the ring window, sets the tray. */
    setPresence(presence: CallPresence): Promise<IpcReply<'calls:set-presence'>>;
  };
  history: {
    /** The cached history, newest first: shown at once, even offline. */
    cached(limit: number): Promise<IpcReply<'history:cached'>>;
    /** Merge a page from the server (by id; the server wins); returns the merged newest-first list. */
    merge(calls: Call[], limit: number): Promise<IpcReply<'history:merge'>>;
    /** Missed calls to me not yet seen, newest first: main decides "seen" (the tray badge counts these). */
    missed(limit: number): Promise<IpcReply<'history:missed'>>;
    /** Marks missed calls as seen (clears the tray badge). */
    markMissedSeen(): Promise<IpcReply<'history:mark-missed-seen'>>;
    clear(): Promise<IpcReply<'history:clear'>>;
  };
  plans: {
    /** The couple's plans as the server sent them: main keeps them and fires their reminders, also offline. */
    sync(payload: z.input<typeof PlansSyncSchema>): Promise<IpcReply<'plans:sync'>>;
    /** A plan:reminder from the server: main shows it unless this device already did. */
    reminded(event: z.input<typeof PlanReminderEventSchema>): Promise<IpcReply<'plans:reminded'>>;
    /** The page's notice of that reminder was dismissed: the tray and the notification let it go too. */
    dismissed(event: z.input<typeof PlanReminderEventSchema>): Promise<IpcReply<'plans:dismissed'>>;
  };
  recordings: {
    /** Starts an encrypted file for a recording that has just been agreed to. */
    open(meta: RecordingOpen): Promise<IpcReply<'recording:open'>>;
    append(id: string, chunk: Uint8Array<ArrayBuffer>): Promise<IpcReply<'recording:append'>>;
    finish(id: string, durationMs: number): Promise<IpcReply<'recording:finish'>>;
    abort(id: string): Promise<IpcReply<'recording:abort'>>;
    /** The partner asked to record (a notification when the window is hidden). */
    requested(request: { partnerName: string }): Promise<IpcReply<'recording:requested'>>;
    list(): Promise<IpcReply<'recordings:list'>>;
    exportFile(id: string): Promise<IpcReply<'recordings:export'>>;
    remove(id: string): Promise<IpcReply<'recordings:delete'>>;
  };
  /** Subscribe to actions from the tray, the ring window and main; returns an unsubscribe function. */
  onAction(listener: (action: AppAction) => void): () => void;
}

export type { Call, CallType, User };
