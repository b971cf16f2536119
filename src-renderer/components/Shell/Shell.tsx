import { useEffect, useState } from 'react';
import type { User } from '../../../src-shared/protocol';
import { rememberName } from '../../api/known-names';
import { useApp } from '../../hooks/app-context';
import { useCall } from '../../hooks/useCall';
import { useCallShortcuts } from '../../hooks/useCallShortcuts';
import { useDocumentAttention } from '../../hooks/useDocumentAttention';
import { useHistory } from '../../hooks/useHistory';
import { useI18n } from '../../hooks/useI18n';
import { usePlans } from '../../hooks/usePlans';
import { usePairingNotice } from '../../hooks/usePairingNotice';
import { publishLeaderState } from '../../platform/tab-channel';
import { initial } from '../Avatar/initial';
import { CallStage } from '../Call/CallStage';
import { HistoryPanel } from '../Home/HistoryPanel';
import { MissedGroup } from '../Home/MissedGroup';
import { PartnerTile } from '../Home/PartnerTile';
import { PairingPanel } from '../Pairing/PairingPanel';
import { PlansPanel } from '../Plans/PlansPanel';
import { ReminderNotice } from '../Plans/ReminderNotice';
import { SettingsDialog } from '../Settings/SettingsDialog';
import { Icon } from '../Icon/Icon';

interface Props {
  user: User;
  partner: User | null;
  historyVersion: number;
}

export function Shell({ user, partner, historyVersion }: Props): React.JSX.Element {
  const t = useI18n();
  const { session, controller, settings } = useApp();
  const view = useCall(controller);
  const history = useHistory(session, user.id, historyVersion, controller.onCallRecord);
  const [notice, dismissNotice] = usePairingNotice(partner);
  const [settingsOpen, setSettingsOpen] = useState(false);
  useEffect(() => {
    const open = (): void => setSettingsOpen(true);
    window.addEventListener('heartline:open-settings', open);
    return () => window.removeEventListener('heartline:open-settings', open);
  }, []);
  useEffect(() => {
    if (partner) rememberName(user.id, partner);
  }, [user.id, partner]);

  const kind = view.call.kind;
  const inCallScreen = kind !== 'idle';
  const online = view.connection === 'connected';
  // Calling back or answering means the missed calls were seen.
  const { markMissedSeen } = history;
  const missedCount = history.missed.length;
  useEffect(() => {
    if (missedCount > 0 && (kind === 'outgoing' || kind === 'connecting' || kind === 'active')) markMissedSeen();
  }, [kind, missedCount, markMissedSeen]);

  const ringingFrom = view.call.kind === 'incoming' ? view.call.from.displayName : null;
  // A ring takes the screen: the modal settings dialog must not hide it.
  useEffect(() => {
    if (kind === 'incoming') setSettingsOpen(false);
  }, [kind]);
  useDocumentAttention({ ringingFrom, missed: missedCount });
  useCallShortcuts(controller, view);

  // Other tabs of this browser follow this one (see platform/tab-channel.ts).
  const [channel] = useState(publishLeaderState);
  useEffect(() => () => channel.close(), [channel]);
  useEffect(() => {
    const call = kind === 'incoming' ? 'incoming' : kind === 'outgoing' ? 'outgoing' : kind === 'connecting' || kind === 'active' ? 'in-call' : 'idle';
    channel.publish({ call, partnerName: ringingFrom ?? partner?.displayName ?? '', missed: missedCount });
  }, [channel, kind, ringingFrom, partner, missedCount]);
  const plans = usePlans(session, controller, partner?.id ?? null);
  // A call that ended may have made a planned call: the history's planned marks come from the plans' `recent`.
  const latestCallId = history.calls[0]?.id;
  const { reload: reloadPlans } = plans;
  // A call started or answered (any way, by either partner) settles a due reminder, as in the desktop tray.
  const { reminder: dueReminder, dismissReminder } = plans;
  useEffect(() => {
    if (dueReminder && (kind === 'outgoing' || kind === 'connecting' || kind === 'active')) dismissReminder();
  }, [kind, dueReminder, dismissReminder]);
  useEffect(() => {
    if (latestCallId) reloadPlans();
  }, [latestCallId, reloadPlans]);

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
      {!online && (
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
          onCall={(type, plan) => void controller.start(type, plan)}
          onDismiss={plans.dismissReminder}
        />
      )}
      {notice && (
        <div className={`banner ${notice.kind === 'paired' ? 'good' : 'info'}`} role="status" data-testid="pairing-notice" data-kind={notice.kind}>
          <span>{notice.kind === 'paired' ? t.t('paired', { name: notice.name }) : t.t('unpairedNotice', { name: notice.name })}</span>
          <button className="btn link small" type="button" data-testid="pairing-notice-close" onClick={dismissNotice}>
            {t.t('close')}
          </button>
        </div>
      )}
      <div className={`shell-body${kind === 'connecting' || kind === 'active' ? ' in-call' : ''}`}>
        <main className="stage" aria-live="polite">
          {inCallScreen ? (
            <CallStage view={view} partner={partner} />
          ) : partner ? (
            <div className="home-main">
              <PartnerTile partner={partner} presence={view.presence} online={online} onCall={(type) => void controller.start(type)} />
              {view.problem && (
                <p className="form-error" role="alert" data-testid="call-error">
                  {view.problem}
                </p>
              )}
              <MissedGroup missed={history.missed} userId={user.id} partner={partner} onSeen={markMissedSeen} testId="home-missed" />
              <PlansPanel plans={plans} partner={partner} />
            </div>
          ) : (
            <div className="home-main">
              <PairingPanel session={session} />
            </div>
          )}
        </main>
        <HistoryPanel user={user} partner={partner} history={history} onCallBack={(type) => void controller.start(type)} callDisabled={inCallScreen || !online} planned={plans.recent} />
      </div>
      {settingsOpen && <SettingsDialog partner={partner} onClose={() => setSettingsOpen(false)} />}
    </div>
  );
}
