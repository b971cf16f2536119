import { useEffect, useRef, useState } from 'react';
import type { User } from '../../../src-shared/protocol';
import { ApiError } from '../../api/session';
import { useApp } from '../../hooks/app-context';
import { useI18n } from '../../hooks/useI18n';
import { bridge } from '../../platform/bridge';
import { LanguagePicker } from './LanguagePicker';
import { RelayOnlySwitch } from './RelayOnlySwitch';
import { NotificationPermission } from './NotificationPermission';
import { ShortcutList } from './ShortcutList';

interface Props {
  partner: User | null;
  onClose: () => void;
}

export function SettingsDialog({ partner, onClose }: Props): React.JSX.Element {
  const t = useI18n();
  const { session, settings, onSettings } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const unpair = async (): Promise<void> => {
    try {
      await session.unpair();
      session.setPartner(null);
      onClose();
    } catch (caught) {
      setError(caught instanceof ApiError ? t.error(caught.code === 'NETWORK' ? 'INTERNAL' : caught.code, { detail: caught.message }) : String(caught));
    }
  };

  return (
    <dialog ref={dialog} className="settings card" data-testid="settings-dialog" aria-labelledby="settings-title" onClose={onClose}>
      <h2 id="settings-title">{t.t('settings')}</h2>
      <LanguagePicker value={settings.language} onChange={(language) => void onSettings({ language })} />
      <RelayOnlySwitch session={session} settings={settings} onSettings={onSettings} />
      {!bridge() && <NotificationPermission />}
      <ShortcutList />
      {partner &&
        (confirming ? (
          <div className="confirm">
            <p>{t.t('confirmUnpair', { name: partner.displayName })}</p>
            <button className="btn danger" type="button" data-testid="unpair-confirm" onClick={() => void unpair()}>
              {t.t('unpair')}
            </button>
            <button className="btn ghost" type="button" onClick={() => setConfirming(false)}>
              {t.t('close')}
            </button>
          </div>
        ) : (
          <button className="btn danger-outline" type="button" data-testid="unpair" onClick={() => setConfirming(true)}>
            {t.t('unpair')}
          </button>
        ))}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button className="btn ghost" type="button" data-testid="logout" onClick={() => void session.logout()}>
          {t.t('logout')}
        </button>
        <button className="btn primary" type="button" data-testid="settings-close" onClick={() => dialog.current?.close()} autoFocus>
          {t.t('close')}
        </button>
      </div>
    </dialog>
  );
}
