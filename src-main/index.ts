// Electron main: the composition root. Every decision lives in the *.std.ts modules
// (tested under Node); this file only builds them from real Electron objects.
import { app, dialog, ipcMain, powerSaveBlocker, safeStorage, session } from 'electron';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ID, PROTOCOL } from './app-identity.std';
import { MemoryHistoryCache, type HistoryCache } from './cache/history-cache.std';
import { CACHE_MIGRATIONS } from './cache/migrations/index';
import { SqliteHistoryCache } from './cache/sqlite-history-cache.node.js';
import { RingController } from './calls/ring-controller.std';
import { DesktopApp } from './desktop-app.std';
import { appPaths } from './electron/paths.main';
import { registerAppScheme, serveAppProtocol } from './electron/app-protocol.main';
import { hardenSession, hardenWebContents } from './electron/hardening.main';
import { applyLoginItem } from './electron/login-item.main';
import { keptNotificationCount, notifyIncoming, notifyMissed } from './electron/notifications.main';
import { createElectronTray } from './electron/tray.main';
import { createCallBrowserWindow, PickerWindow, RingWindow } from './electron/windows.main';
import { resolveLanguage, stringsFor } from './i18n/strings.std';
import { registerIpc } from './ipc/register-ipc.std';
import { startedHidden } from './login-item.std';
import { APP_HOSTS, appOrigin, originOf, RENDERER_ENTRY } from './security/origins.std';
import { buildCsp } from './security/policy.std';
import { InviteInbox } from './invite-inbox.std';
import { inviteCodeFromArgv, inviteCodeFromLink } from './invite-link.std';
import { SessionStore } from './session/session-store.node.js';
import { SessionTokens } from './session/session-tokens.std';
import { defaultSettings } from './settings/settings.std';
import { SettingsStore } from './settings/settings-store.node.js';
import { SystemTrayService } from './tray/system-tray-service.std';
import { CallWindow } from './windows/call-window.std';
import { preventAppNap, protocolClientRegistration, ringWindowBehaviour } from './windows/platform-behaviour.std';
import { electronPlanNotifications } from './plans/plan-notification.main';
import { PlanReminderPresenter } from './plans/plan-reminder-presenter.std';
import { PlanTrayTracker } from './plans/plan-tray.std';
import { planIpcHandlers } from './plans/plan-ipc.std';
import { planReminderText } from './plans/plan-strings.std';
import { openPlanCache, startPlanReminders } from './plans/open-plan-reminders.node.js';
import { PLAN_TICK_MS, type PlanReminders } from './plans/plan-reminders.std';
import type { PlanCache } from './plans/plan-cache.std';
import { RecordingStore } from './recording/recording-store.node.js';
import { recordingIpcHandlers } from './recording/recording-ipc.std';
import { playableRecordings } from './recording/playable-recordings.node.js';
import { playbackResponse } from './recording/recording-playback.std';
import { recordingRequestNotice } from './recording/recording-request-notice.std';
import { notifyRecordingRequest } from './recording/recording-notification.main';
import { recordingStrings } from './recording/recording-strings.std';

const log = (message: string) => console.log(`[heartline] ${message}`);
const isE2E = process.env.HEARTLINE_E2E === '1';

// Windows: the same id as the installer's shortcut (build/electron-builder.yml appId),
// before any window, notification or login item, or toasts and taskbar grouping do not match.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

// Each E2E test (and anyone who wants a second profile) gets its own data folder.
if (process.env.HEARTLINE_USER_DATA) app.setPath('userData', process.env.HEARTLINE_USER_DATA);

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance shows its window (second-instance below).
  app.quit();
} else {
  start();
}

function start(): void {
  let callWindow: CallWindow | null = null;
  let desktopApp: DesktopApp | null = null;
  let cache: HistoryCache | null = null;
  let planCache: PlanCache | null = null;
  let planReminders: PlanReminders | null = null;
  let recordings: RecordingStore | null = null;

  hardenWebContents(log);

  // heartline:// links (invites) open the app.
  const registration = protocolClientRegistration({ defaultApp: Boolean(process.defaultApp), e2e: isE2E, execPath: process.execPath, argv: process.argv, resolve });
  if (registration.kind === 'packaged') app.setAsDefaultProtocolClient(PROTOCOL);
  else if (registration.kind === 'development') app.setAsDefaultProtocolClient(PROTOCOL, registration.execPath, registration.args);

  // Links wait in the inbox until the security setup, IPC, tray and window exist
  // (macOS sends open-url before 'ready'); the parse never throws.
  const invites = new InviteInbox();
  app.on('second-instance', (_event, argv) => invites.receive(inviteCodeFromArgv(argv)));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    invites.receive(inviteCodeFromLink(url));
  });
  app.on('activate', () => callWindow?.show());
  // Closing every window keeps the app in the tray: calls must still ring.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', () => callWindow?.prepareToQuit());
  app.on('will-quit', () => {
    desktopApp?.dispose();
    cache?.close();
    planReminders?.stop();
    planCache?.close();
    // A recording still open ends at its last whole chunk: it stays playable.
    void recordings?.abandonAll();
  });

  void app.whenReady().then(() => {
    const mainDir = fileURLToPath(new URL('.', import.meta.url));
    const paths = appPaths({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, mainDir });
    const userData = app.getPath('userData');
    const settings = new SettingsStore(join(userData, 'settings.json'), defaultSettings(process.env));
    const sessionStore = new SessionStore(join(userData, 'session.bin'), safeStorage, process.platform, log);
    cache = openCache(join(userData, 'history.sqlite'), paths.nativeBinding);
    const osLocale = app.getLocale();
    const language = () => resolveLanguage(settings.get().language, osLocale);
    const strings = () => stringsFor(language());
    const appIcon = join(paths.trayIconsDir, 'app.png');

    const devUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
    const mainOrigin = (devUrl && originOf(devUrl)) || appOrigin(APP_HOSTS.main);
    const defaultSession = session.defaultSession;
    let appForRecording: DesktopApp | null = null;
    const recordingStore = new RecordingStore({
      dir: join(userData, 'recordings'),
      safeStorage,
      platform: process.platform,
      now: () => new Date(),
      onActiveChange: (active) => appForRecording?.setRecording(active > 0),
    });
    recordings = recordingStore;
    const playable = playableRecordings(recordingStore);

    serveAppProtocol(
      defaultSession,
      {
        [APP_HOSTS.main]: { dir: paths.rendererDir, entry: 'index.html' },
        [APP_HOSTS.ring]: { dir: join(paths.pagesDir, 'ring'), entry: 'ring.html' },
        [APP_HOSTS.picker]: { dir: join(paths.pagesDir, 'picker'), entry: 'picker.html' },
      },
      () => buildCsp({ serverUrl: settings.get().serverUrl }),
      { [APP_HOSTS.recordings]: (request) => playbackResponse(request, (id) => playable.open(id)) },
    );
    if (devUrl) {
      // The Vite dev server's pages get the same CSP, plus what HMR needs.
      defaultSession.webRequest.onHeadersReceived({ urls: [`${mainOrigin}/*`] }, (details, callback) => {
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [buildCsp({ serverUrl: settings.get().serverUrl, devServerUrl: devUrl })] } });
      });
    }

    const window = new CallWindow({
      url: devUrl ?? RENDERER_ENTRY,
      createWindow: () => createCallBrowserWindow({ preloadDir: paths.preloadDir, icon: appIcon, title: 'Heartline' }),
      now: () => Date.now(),
      log,
    });
    callWindow = window;
    const pickerWindow = new PickerWindow({ preloadDir: paths.preloadDir, parent: () => window.browserWindow, title: 'Heartline', onCreated: () => undefined });
    hardenSession(defaultSession, {
      appOrigin: mainOrigin,
      pick: (sources) => {
        const t = strings();
        return pickerWindow.pick(sources, { title: t.pickerTitle, share: t.pickerShare, cancel: t.pickerCancel });
      },
      log,
    });

    const ringWindow = new RingWindow({
      preloadDir: paths.preloadDir,
      strings: () => ({ strings: strings(), language: language() }),
      behaviour: ringWindowBehaviour(process.platform, process.env),
      onCreated: () => undefined,
    });
    let appRef: DesktopApp | null = null;
    const ring = new RingController({
      ringWindow,
      notifyIncoming: (call) => notifyIncoming(call, strings(), appIcon, () => window.show()),
      now: () => Date.now(),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      onExpired: (callId) => appRef?.onRingExpired(callId),
      log,
    });
    let appNapBlocker: number | null = null;
    const tray = new SystemTrayService({
      createTrayInstance: createElectronTray(paths.trayIconsDir),
      handlers: { onMenu: (id, checked) => appRef?.onTrayMenu(id, checked), onClick: () => appRef?.onTrayClick() },
    });
    // The tray's planned-call line and due reminder, from main's plan cache (opened below).
    let planPartner: string | null = null;
    const planTray = new PlanTrayTracker({
      plans: () => planCache?.plans() ?? [],
      now: () => Date.now(),
      changed: () => appRef?.refreshTray(),
      partnerName: () => planPartner,
    });
    // A due reminder's notification and "Call now" (plan-reminder-presenter.std.ts, tested with fakes).
    const planReminder = new PlanReminderPresenter({
      notifications: electronPlanNotifications,
      tray: planTray,
      window,
      text: (reminder) => planReminderText(reminder, planPartner, language()),
      icon: appIcon,
      platform: process.platform,
    });
    const heartline = new DesktopApp({
      planTray: planReminder,
      settings,
      session: sessionStore,
      tokens: new SessionTokens({ store: sessionStore, serverUrl: () => settings.get().serverUrl, fetch: (url, init) => fetch(url, init), log }),
      cache,
      tray,
      ring,
      callWindow: window,
      notifyMissed: (notice, t) => notifyMissed(notice, t, appIcon, () => window.show()),
      applyLoginItem: (open) => applyLoginItem(open, log),
      quit: () => app.quit(),
      // macOS App Nap would suspend the signed-in app's socket and timers: no ring.
      setSignedIn: (signedIn) => {
        const wanted = preventAppNap(process.platform, signedIn);
        if (wanted && appNapBlocker === null) appNapBlocker = powerSaveBlocker.start('prevent-app-suspension');
        if (!wanted && appNapBlocker !== null) {
          powerSaveBlocker.stop(appNapBlocker);
          appNapBlocker = null;
        }
      },
      osLocale,
      now: () => Date.now(),
      log,
    });
    appRef = heartline;
    desktopApp = heartline;
    appForRecording = heartline;

    // Plan reminders fire from main's own cache and timer, so they come offline and with the window closed.
    planCache = openPlanCache(join(userData, 'plans.sqlite'), paths.nativeBinding, log);
    planReminders = startPlanReminders({
      cache: planCache,
      doNotDisturb: () => settings.get().doNotDisturb,
      log,
      show: (reminder) => planReminder.show(reminder),
    });
    // The tray's "next call" and a reminder going stale follow the clock, not an event.
    setInterval(() => heartline.refreshTray(), PLAN_TICK_MS).unref();
    registerIpc(
      ipcMain,
      'plans',
      planIpcHandlers(
        planReminders,
        (name) => (planPartner = name),
        () => heartline.refreshTray(),
        (key) => planReminder.dismissed(key),
      ),
      () => [mainOrigin],
      log,
    );
    registerIpc(ipcMain, 'app', heartline.apiHandlers(), () => [mainOrigin], log);
    registerIpc(
      ipcMain,
      'recordings',
      recordingIpcHandlers({
        store: recordingStore,
        chooseExportPath: async (defaultName) => {
          const options = { title: recordingStrings(language()).exportTitle, defaultPath: defaultName, filters: [{ name: 'WebM', extensions: ['webm'] }] };
          const parent = window.browserWindow;
          const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
          return result.canceled || !result.filePath ? null : result.filePath;
        },
        writeExport: (path, media) => writeFile(path, media),
        onPartnerRequest: (partnerName) => {
          const shown = window.browserWindow;
          const sight = { visible: Boolean(shown?.isVisible() && !shown.isMinimized()), focused: shown?.isFocused() ?? false };
          const text = recordingRequestNotice(sight, partnerName, language());
          if (text) notifyRecordingRequest(text, appIcon, () => window.show());
        },
        log,
      }),
      () => [mainOrigin],
      log,
    );
    registerIpc(ipcMain, 'ring', heartline.ringHandlers(), () => [appOrigin(APP_HOSTS.ring)], log);
    registerIpc(ipcMain, 'picker', { 'picker:choose': (id) => pickerWindow.choose(id) }, () => [appOrigin(APP_HOSTS.picker)], log);

    // The page's CSP names the server: a new server URL takes effect with a reload.
    settings.onChange((next, previous) => {
      if (next.serverUrl !== previous.serverUrl) window.browserWindow?.webContents.reload();
    });

    // Only now, with the security handlers, IPC, tray and window in place, do links
    // act: the launch argument (Windows, Linux) and any open-url that came early (macOS).
    const launchInvite = inviteCodeFromArgv(process.argv);
    if (launchInvite) invites.receive(launchInvite);
    invites.attach((code) => {
      window.show();
      if (code) window.sendAction({ kind: 'open-invite', code });
    });
    const hidden = startedHidden({ argv: process.argv, platform: process.platform, wasOpenedAtLogin: () => app.getLoginItemSettings().wasOpenedAtLogin });
    window.create(!hidden);

    if (isE2E) {
      // Read-only probes for the Electron E2E suite (electronApp.evaluate runs in main).
      Object.assign(globalThis, {
        __heartlineE2E: {
          tray: () => tray.state,
          trayIcon: () => tray.currentIcon,
          ringing: () => ring.ringingCallId,
          ringWindowVisible: () => ringWindow.browserWindow?.isVisible() ?? false,
          ringWindowFocused: () => ringWindow.browserWindow?.isFocused() ?? false,
          callWindowVisible: () => window.browserWindow?.isVisible() ?? false,
          keptNotifications: () => keptNotificationCount(),
          presence: () => heartline.currentPresence,
          missedCount: () => heartline.missedCount(),
          recordingCount: () => recordingStore.activeCount,
          cacheKind: () => (cache instanceof SqliteHistoryCache ? 'sqlite' : 'memory'),
        },
      });
    }
  });
}

/** The SQLite cache with the Electron build of better-sqlite3; in memory if it cannot open. */
function openCache(file: string, nativeBinding: string): HistoryCache {
  try {
    if (!existsSync(nativeBinding)) throw new Error(`${nativeBinding} is missing (run npm run rebuild:electron)`);
    return new SqliteHistoryCache(file, { nativeBinding, migrations: CACHE_MIGRATIONS });
  } catch (error) {
    log(`history cache unavailable, keeping history in memory for this run: ${(error as Error).message}`);
    return new MemoryHistoryCache();
  }
}
