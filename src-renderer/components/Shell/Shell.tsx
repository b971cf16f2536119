import { useEffect, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../src-shared/ipc';
import type { User } from '../../../src-shared/protocol';
import type { Session } from '../../api/session';
import type { CallController } from '../../call/call-controller';
import { useCall } from '../../hooks/useCall';
import { useI18n } from '../../hooks/useI18n';
import { usePlans } from '../../hooks/usePlans';
import { CallStage } from '../Call/CallStage';
import { HistoryPanel } from '../Home/HistoryPanel';
import { PartnerTile } from '../Home/PartnerTile';
import { PairingPanel } from '../Pairing/PairingPanel';
import { PlansPanel } from '../Plans/PlansPanel';
import { ReminderNotice } from '../Plans/ReminderNotice';
import { SettingsDialog } from '../Settings/SettingsDialog';
import { Icon } from '../Icon/Icon';

interface Props {
  session: Session;
  user: User;
  partner: User | null;
  controller: CallController;
  settings: Settings;
  onSettings: (patch: SettingsPatch) => Promise<void>;
  historyVersion: number;
}

export function Shell({ session, user, partner, controller, settings, onSettings, historyVersion }: Props): React.JSX.Element {
  const t = useI18n();
  const view = useCall(controller);
  const [settingsOpen, setSettingsOpen] = useState(false);
  useEffect(() => {
    const open = (): void => setSettingsOpen(true);
    window.addEventListener('heartline:open-settings', open);
    return () => window.removeEventListener('heartline:open-settings', open);
  }, []);
  const inCallScreen = view.call.kind !== 'idle';
  const plans = usePlans(session, controller, partner?.id ?? null);

  return (
    <div className="shell" data-testid="home">
      <header className="topbar">
        <div className="brand small">
          <span className="brand-mark" aria-hidden="true">♥</span>
          <span>{t.t('appName')}</span>
        </div>
        <div className="topbar-user">
          <span className="avatar tiny" aria-hidden="true">{initial(user.displayName)}</span>
          <span data-testid="me-name">{user.displayName}</span>
          <button className="btn ghost" type="button" data-testid="open-settings" onClick={() => setSettingsOpen(true)}>
            <Icon name="gear" size={18} /> {t.t('settings')}
          </button>
        </div>
      </header>
      {view.connection !== 'connected' && (
        <div className="banner warn" role="status" data-testid="offline-banner">
          {t.t('offlineBanner')}
        </div>
      )}
      {plans.reminder && partner && (
        <ReminderNotice
          reminder={plans.reminder}
          plan={plans.plans.find((p) => p.id === plans.reminder?.planId)}
          partner={partner}
          doNotDisturb={settings.doNotDisturb}
          onCall={(type) => void controller.start(type)}
          onDismiss={plans.dismissReminder}
        />
      )}
      <div className={`shell-body${view.call.kind === 'connecting' || view.call.kind === 'active' ? ' in-call' : ''}`}>
        <main className="stage" aria-live="polite">
          {inCallScreen ? (
            <CallStage controller={controller} view={view} partner={partner} settings={settings} onSettings={onSettings} />
          ) : (
            <div className="home-main">
              <PartnerTile partner={partner} presence={view.presence} onCall={(type) => void controller.start(type)} />
              {view.problem && (
                <p className="form-error" role="alert" data-testid="call-error">
                  {view.problem}
                </p>
              )}
              {!partner && <PairingPanel session={session} />}
              {partner && <PlansPanel plans={plans} partner={partner} />}
            </div>
          )}
        </main>
        <HistoryPanel
          session={session}
          user={user}
          partner={partner}
          version={historyVersion}
          records={controller.onCallRecord}
          onCallBack={(type) => void controller.start(type)}
          callDisabled={inCallScreen}
        />
      </div>
      {settingsOpen && (
        <SettingsDialog session={session} partner={partner} settings={settings} onSettings={onSettings} onClose={() => setSettingsOpen(false)} />
      )}
    </div>
  );
}

export function initial(name: string): string {
  return (name.trim()[0] ?? '?').toLocaleUpperCase();
}
