// The desktop app's behaviour, with every Electron object behind an interface: IPC
// handlers (validated), the tray, ringing, missed-call notices and actions sent to the
// call window. index.ts builds it from real Electron objects; tests from fakes.
import { z } from 'zod';
import {
  CallPresenceSchema,
  HistoryCallsSchema,
  type AppAction,
  type CallPresence,
  type IpcResult,
  type Settings,
  type StoredSession,
} from '../src-shared/ipc';
import type { Call } from '../src-shared/protocol';
import { describeIssues } from '../src-shared/protocol';
import { API_CHANNELS, RING_CHANNELS } from './ipc/channels.std';
import type { IpcHandlers } from './ipc/register-ipc.std';
import type { HistoryCache } from './cache/history-cache.std';
import type { RingController } from './calls/ring-controller.std';
import { decideMissedNotice, type MissedNotice } from './calls/ring-policy.std';
import { resolveLanguage, stringsFor, type MainStrings } from './i18n/strings.std';
import type { SystemTrayService } from './tray/system-tray-service.std';
import type { TrayMenuId } from './tray/tray-state.std';

export interface SettingsStoreLike {
  get(): Settings;
  update(patch: unknown): IpcResult<Settings>;
  onChange(listener: (next: Settings, previous: Settings) => void): () => void;
}

export interface SessionStoreLike {
  load(): StoredSession | null;
  save(session: unknown): IpcResult<null>;
  clear(): void;
}

export interface CallWindowLike {
  /** Show and focus the call window (from the tray, or after answering). */
  show(): void;
  /** Deliver an action to the renderer (queued until it has loaded). */
  sendAction(action: AppAction): void;
}

export interface DesktopAppDeps {
  settings: SettingsStoreLike;
  session: SessionStoreLike;
  cache: HistoryCache;
  tray: SystemTrayService;
  ring: RingController;
  callWindow: CallWindowLike;
  notifyMissed(notice: MissedNotice, strings: MainStrings): void;
  applyLoginItem(openAtLogin: boolean): void;
  quit(): void;
  osLocale: string;
  now(): number;
  log(message: string): void;
}

const LimitSchema = z.number().int().min(1).max(500);
const RingAnswerSchema = z.object({ callId: z.string().min(1).max(64), audioOnly: z.boolean() }).strict();
const RingDeclineSchema = z.object({ callId: z.string().min(1).max(64) }).strict();

/** A rejected invoke(): the renderer's promise rejects with this message. */
export class InvalidPayloadError extends Error {
  constructor(channel: string, detail: string) {
    super(`${channel}: invalid payload (${detail})`);
    this.name = 'InvalidPayloadError';
  }
}

function parseOrThrow<T>(channel: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidPayloadError(channel, describeIssues(parsed.error));
  return parsed.data;
}

export class DesktopApp {
  private presence: CallPresence = { kind: 'idle' };
  private partnerName: string | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: DesktopAppDeps) {
    this.unsubscribe = deps.settings.onChange((next, previous) => this.onSettingsChanged(next, previous));
    deps.applyLoginItem(deps.settings.get().startAtLogin);
    this.refreshTray();
  }

  get strings(): MainStrings {
    return stringsFor(resolveLanguage(this.deps.settings.get().language, this.deps.osLocale));
  }

  get currentPresence(): CallPresence {
    return this.presence;
  }

  /** The handlers of window.heartline, by channel. Arguments are untrusted. */
  apiHandlers(): IpcHandlers {
    return {
      [API_CHANNELS.settingsGet]: () => this.deps.settings.get(),
      [API_CHANNELS.settingsUpdate]: (patch) => this.deps.settings.update(patch),
      [API_CHANNELS.sessionLoad]: () => this.deps.session.load(),
      [API_CHANNELS.sessionSave]: (session) => this.saveSession(session),
      [API_CHANNELS.sessionClear]: () => {
        this.deps.session.clear();
        this.refreshTray();
      },
      [API_CHANNELS.callsSetPresence]: (presence) => this.setPresence(parseOrThrow(API_CHANNELS.callsSetPresence, CallPresenceSchema, presence)),
      [API_CHANNELS.historyCached]: (limit) => this.deps.cache.recent(parseOrThrow(API_CHANNELS.historyCached, LimitSchema, limit)),
      [API_CHANNELS.historyMerge]: (calls, limit) =>
        this.mergeHistory(
          parseOrThrow(API_CHANNELS.historyMerge, HistoryCallsSchema, calls),
          parseOrThrow(API_CHANNELS.historyMerge, LimitSchema, limit),
        ),
      [API_CHANNELS.historyMarkMissedSeen]: () => this.markMissedSeen(),
      [API_CHANNELS.historyClear]: () => {
        this.deps.cache.clear();
        this.refreshTray();
      },
    };
  }

  /** The ring window's handlers. */
  ringHandlers(): IpcHandlers {
    return {
      [RING_CHANNELS.answer]: (payload) => this.answerFromRing(parseOrThrow(RING_CHANNELS.answer, RingAnswerSchema, payload)),
      [RING_CHANNELS.decline]: (payload) => this.declineFromRing(parseOrThrow(RING_CHANNELS.decline, RingDeclineSchema, payload).callId),
    };
  }

  setPresence(presence: CallPresence): void {
    this.presence = presence;
    if (presence.kind !== 'idle') this.partnerName = presence.partnerName;
    this.deps.ring.setPresence(presence, this.deps.settings.get().doNotDisturb);
    this.refreshTray();
  }

  mergeHistory(calls: Call[], limit: number): Call[] {
    const plan = this.deps.cache.merge(calls);
    const settings = this.deps.settings.get();
    const notice = decideMissedNotice(plan.newlyMissed, {
      selfId: this.selfId(),
      doNotDisturb: settings.doNotDisturb,
      now: this.deps.now(),
      partnerName: this.partnerName,
    });
    if (notice) this.deps.notifyMissed(notice, this.strings);
    this.refreshTray();
    return this.deps.cache.recent(limit);
  }

  markMissedSeen(): void {
    const selfId = this.selfId();
    if (selfId) this.deps.cache.markMissedSeen(selfId);
    this.refreshTray();
  }

  missedCount(): number {
    const selfId = this.selfId();
    return selfId ? this.deps.cache.missedCount(selfId) : 0;
  }

  onTrayMenu(id: TrayMenuId, checked?: boolean): void {
    switch (id) {
      case 'open':
        this.deps.callWindow.show();
        return;
      case 'voice-call':
      case 'video-call':
        this.deps.callWindow.show();
        this.deps.callWindow.sendAction({ kind: 'start-call', callType: id === 'video-call' ? 'video' : 'voice' });
        return;
      case 'dnd': {
        const result = this.deps.settings.update({ doNotDisturb: checked ?? !this.deps.settings.get().doNotDisturb });
        if (!result.ok) this.deps.log(`do not disturb: ${result.error}`);
        return;
      }
      case 'settings':
        this.deps.callWindow.show();
        this.deps.callWindow.sendAction({ kind: 'open-settings' });
        return;
      case 'quit':
        this.deps.quit();
        return;
    }
  }

  onTrayClick(): void {
    this.deps.callWindow.show();
  }

  dispose(): void {
    this.unsubscribe();
    this.deps.ring.stop('quit');
    this.deps.tray.destroy();
  }

  private answerFromRing({ callId, audioOnly }: { callId: string; audioOnly: boolean }): void {
    const presence = this.presence;
    if (presence.kind !== 'incoming' || presence.callId !== callId) {
      this.deps.log(`ring window: answer for ${callId} ignored, that call is not ringing`);
      this.deps.ring.stop('stale');
      return;
    }
    this.deps.ring.stop('answered here');
    this.deps.callWindow.show();
    this.deps.callWindow.sendAction({ kind: 'answer', callId, callType: audioOnly ? 'voice' : presence.callType });
  }

  private declineFromRing(callId: string): void {
    const presence = this.presence;
    this.deps.ring.stop('declined here');
    if (presence.kind !== 'incoming' || presence.callId !== callId) return;
    this.deps.callWindow.sendAction({ kind: 'decline', callId });
  }

  private saveSession(session: unknown): IpcResult<null> {
    const previous = this.deps.session.load();
    const result = this.deps.session.save(session);
    const current = this.deps.session.load();
    // Another account on this machine: its history is not ours to show.
    if (previous && current && previous.user.id !== current.user.id) this.deps.cache.clear();
    this.refreshTray();
    return result;
  }

  private selfId(): string | null {
    return this.deps.session.load()?.user.id ?? null;
  }

  private onSettingsChanged(next: Settings, previous: Settings): void {
    if (next.doNotDisturb !== previous.doNotDisturb) this.deps.ring.setDoNotDisturb(next.doNotDisturb);
    if (next.startAtLogin !== previous.startAtLogin) this.deps.applyLoginItem(next.startAtLogin);
    this.refreshTray();
  }

  refreshTray(): void {
    const settings = this.deps.settings.get();
    this.deps.tray.update({
      presence: this.presence,
      missedCount: this.missedCount(),
      doNotDisturb: settings.doNotDisturb,
      language: resolveLanguage(settings.language, this.deps.osLocale),
    });
  }
}
