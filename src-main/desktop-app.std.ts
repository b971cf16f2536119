// The desktop app's behaviour, with every Electron object behind an interface: IPC
// handlers (validated), the tray, ringing, missed-call notices and actions sent to the
// call window. index.ts builds it from real Electron objects; tests from fakes.
import type { AccessTokenReply, AppAction, CallPresence, IpcResult, Settings, SignedInUser, StoredSession } from '../src-shared/ipc';
import type { Call } from '../src-shared/protocol';
import type { IpcHandlers } from './ipc/register-ipc.std';
import type { HistoryCache } from './cache/history-cache.std';
import type { RingController } from './calls/ring-controller.std';
import { decideMissedNotice, type MissedNotice } from './calls/ring-policy.std';
import { resolveLanguage, stringsFor, type MainStrings } from './i18n/strings.std';
import type { SystemTrayService } from './tray/system-tray-service.std';
import type { TrayMenuId } from './tray/tray-state.std';
import { planCallAction, type PlanTrayTracker } from './plans/plan-tray.std';

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
  /** Deliver an action to the renderer (queued until the renderer says it is ready). */
  sendAction(action: AppAction): void;
  /** Deliver it only to a window that exists: news for a page that is not open is dropped, not a reason to open one. */
  sendActionIfOpen(action: AppAction): void;
  /** The renderer's explicit "ready" (app:ready). */
  markRendererReady(): void;
}

/** Main's side of the session's tokens (session/session-tokens.std.ts). */
export interface SessionTokensLike {
  accessToken(): Promise<AccessTokenReply>;
  logout(): Promise<void>;
}

export interface DesktopAppDeps {
  settings: SettingsStoreLike;
  session: SessionStoreLike;
  tokens: SessionTokensLike;
  cache: HistoryCache;
  tray: SystemTrayService;
  ring: RingController;
  callWindow: CallWindowLike;
  notifyMissed(notice: MissedNotice, strings: MainStrings): void;
  applyLoginItem(openAtLogin: boolean): void;
  quit(): void;
  /** Someone is signed in (may be called) or not: macOS keeps App Nap off meanwhile. */
  setSignedIn(signedIn: boolean): void;
  osLocale: string;
  /** Planned calls in the tray (main's plan cache); absent in tests that do not need them. */
  planTray?: Pick<PlanTrayTracker, 'view' | 'reminder' | 'clear'>;
  now(): number;
  log(message: string): void;
}

export class DesktopApp {
  private presence: CallPresence = { kind: 'idle' };
  private partnerName: string | null = null;
  /** A recording is being written (main's recording store says so): the tray shows it. */
  private recording = false;
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

  setRecording(recording: boolean): void {
    if (recording === this.recording) return;
    this.recording = recording;
    this.refreshTray();
  }

  /** The handlers of window.heartline; registerIpc has validated the arguments against the IPC table. */
  apiHandlers(): IpcHandlers<'app'> {
    return {
      'app:ready': () => this.deps.callWindow.markRendererReady(),
      'settings:get': () => this.deps.settings.get(),
      'settings:update': (patch) => this.deps.settings.update(patch),
      'session:load': () => this.signedInUser(),
      'session:save': (session) => this.saveSession(session),
      'session:access-token': () => this.deps.tokens.accessToken().finally(() => this.refreshTray()),
      'session:logout': () => this.deps.tokens.logout().finally(() => this.refreshTray()),
      'session:clear': () => {
        this.deps.session.clear();
        this.refreshTray();
      },
      'calls:set-presence': (presence) => this.setPresence(presence),
      'history:cached': (limit) => this.deps.cache.recent(limit),
      'history:merge': (calls, limit) => this.mergeHistory(calls, limit),
      'history:missed': (limit) => this.unseenMissed(limit),
      'history:mark-missed-seen': () => this.markMissedSeen(),
      'history:clear': () => {
        this.deps.cache.clear();
        this.refreshTray();
      },
    };
  }

  /** The ring window's handlers. */
  ringHandlers(): IpcHandlers<'ring'> {
    return {
      'ring:answer': (payload) => this.answerFromRing(payload),
      'ring:decline': (payload) => this.declineFromRing(payload.callId),
    };
  }

  /** The ring time ran out (RingController): the renderer leaves the ring on main's word. */
  onRingExpired(callId: string): void {
    this.deps.callWindow.sendAction({ kind: 'ring-expired', callId });
  }

  setPresence(presence: CallPresence): void {
    this.presence = presence;
    if (presence.kind !== 'idle') this.partnerName = presence.partnerName;
    // Calling (or answering) settles a due plan reminder: the tray stops offering it.
    if (presence.kind === 'outgoing' || presence.kind === 'in-call') this.deps.planTray?.clear();
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

  unseenMissed(limit: number): Call[] {
    const selfId = this.selfId();
    return selfId ? this.deps.cache.unseenMissed(selfId, limit) : [];
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
      case 'recording':
        this.deps.callWindow.show();
        return;
      case 'plan-next':
        this.deps.callWindow.show();
        return;
      case 'plan-call': {
        const reminder = this.deps.planTray?.reminder;
        this.deps.planTray?.clear();
        this.deps.callWindow.show();
        if (reminder?.kind === 'now') this.deps.callWindow.sendAction(planCallAction(reminder));
        return;
      }
      case 'plan-dismiss': {
        const reminder = this.deps.planTray?.reminder;
        this.deps.planTray?.clear();
        if (reminder) {
          const occurrence = new Date(reminder.occurrenceAt).toISOString();
          this.deps.callWindow.sendActionIfOpen({ kind: 'plan-reminder-dismissed', planId: reminder.planId, occurrence, reminder: reminder.kind });
        }
        return;
      }
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

  /** The renderer learns who is signed in, never the refresh token. */
  private signedInUser(): SignedInUser | null {
    const session = this.deps.session.load();
    return session ? { user: session.user } : null;
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
    this.deps.setSignedIn(this.selfId() !== null);
    this.deps.tray.update({
      presence: this.presence,
      missedCount: this.missedCount(),
      recording: this.recording,
      doNotDisturb: settings.doNotDisturb,
      language: resolveLanguage(settings.language, this.deps.osLocale),
      plan: this.deps.planTray?.view(resolveLanguage(settings.language, this.deps.osLocale)) ?? null,
    });
  }
}
