import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../src-shared/ipc';
import type { CallType } from '../../../src-shared/protocol';
import { Session } from '../../api/session';
import { answerWhenRinging } from '../../call/answer-when-ringing';
import { CallController } from '../../call/call-controller';
import { useSession } from '../../hooks/useSession';
import { createTranslator, detectLanguage, type Translator } from '../../i18n';
import { I18nContext } from '../../i18n/context';
import { announceReady, loadSettings, preferredLanguages, saveSettings } from '../../platform/bridge';
import { AuthScreen } from '../Auth/AuthScreen';
import { AppContext, type AppServices } from '../../hooks/app-context';
import { useTabLeader } from '../../hooks/useTabLeader';
import { FollowerTab } from '../Shell/FollowerTab';
import { Shell } from '../Shell/Shell';

/** How long a tab that took the lead to answer waits for its socket to hear of the ring. */
const HANDED_OVER_RING_WAIT_MS = 10_000;

export function App(): React.JSX.Element {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    void loadSettings().then(setSettings);
  }, []);
  if (!settings) return <div className="splash" aria-busy="true" />;
  return <LoadedApp initialSettings={settings} />;
}

function LoadedApp({ initialSettings }: { initialSettings: Settings }): React.JSX.Element {
  const [settings, setSettings] = useState(initialSettings);
  const settingsRef = useRef(settings);
  settingsRef.current = settings;
  const language = settings.language ?? detectLanguage(preferredLanguages());
  const translator = useMemo(() => createTranslator(language), [language]);
  const translatorRef = useRef<Translator>(translator);
  translatorRef.current = translator;
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const session = useMemo(() => new Session(settings.serverUrl), [settings.serverUrl]);
  useEffect(() => {
    void session.restore();
  }, [session]);
  const state = useSession(session);

  const [historyVersion, setHistoryVersion] = useState(0);
  const signedInUser = state.status === 'signed-in' ? state.user.id : null;
  // Tabs of one browser are one device: only the leader tab opens the socket and rings.
  const { leader, takeOver } = useTabLeader(signedInUser);
  const leaderRef = useRef(leader);
  leaderRef.current = leader;
  // "Answer" pressed in a following tab: it takes the lead, then answers the ring its own socket hears of.
  const answerOnLead = useRef<CallType | null>(null);
  const answerHere = useCallback(
    (media: CallType) => {
      answerOnLead.current = media;
      takeOver();
    },
    [takeOver],
  );
  const [controller, setController] = useState<CallController | null>(null);
  useEffect(() => {
    if (!signedInUser || !leader) return;
    const created = new CallController({
      session,
      serverUrl: settings.serverUrl,
      settings: () => settingsRef.current,
      translator: () => translatorRef.current,
      onHistoryChanged: () => setHistoryVersion((v) => v + 1),
    });
    setController(created);
    const media = answerOnLead.current;
    answerOnLead.current = null;
    const stopAnswering = media ? answerWhenRinging(created, media, HANDED_OVER_RING_WAIT_MS) : () => undefined;
    return () => {
      stopAnswering();
      // Leadership lost while signed in: another tab took it to answer the ring there.
      created.close({ handingOver: leaderRef.current === false });
      setController(null);
    };
  }, [session, signedInUser, leader, settings.serverUrl]);

  // Desktop: main holds tray and link actions until the screen that handles them is up.
  const handlesActions = state.status === 'signed-out' || controller !== null;
  useEffect(() => {
    if (handlesActions) announceReady();
  }, [handlesActions, controller]);

  const updateSettings = useCallback(async (patch: SettingsPatch) => {
    const next = await saveSettings(settingsRef.current, patch);
    setSettings(next);
  }, []);

  const services = useMemo<AppServices | null>(
    () => (controller ? { session, controller, settings, onSettings: updateSettings } : null),
    [session, controller, settings, updateSettings],
  );

  let body: React.JSX.Element;
  if (state.status === 'loading') body = <div className="splash" aria-busy="true" />;
  else if (state.status === 'signed-out') body = <AuthScreen session={session} notice={state.notice} settings={settings} onSettings={updateSettings} />;
  else if (leader === false) body = <FollowerTab user={state.user} partner={state.partner} onAnswerHere={answerHere} />;
  else if (!services) body = <div className="splash" aria-busy="true" />;
  else
    body = (
      <AppContext.Provider value={services}>
        <Shell user={state.user} partner={state.partner} historyVersion={historyVersion} />
      </AppContext.Provider>
    );
  return <I18nContext.Provider value={translator}>{body}</I18nContext.Provider>;
}
