import type { Settings, SettingsPatch } from '../../../src-shared/ipc';
import type { Session } from '../../api/session';
import { useI18n } from '../../hooks/useI18n';
import { useRelayAvailable } from '../../hooks/useRelayAvailable';

interface Props {
  session: Session;
  settings: Settings;
  onSettings: (patch: SettingsPatch) => Promise<void>;
}

/**
 * "Relay only" needs a TURN server: without one it cannot be turned on, and says why.
 * It can always be turned off (it may have been set while a relay existed).
 */
export function RelayOnlySwitch({ session, settings, onSettings }: Props): React.JSX.Element {
  const t = useI18n();
  const available = useRelayAvailable(session);
  const unavailable = available === false;
  return (
    <div className="field-group">
      <label className={`field check${unavailable && !settings.relayOnly ? ' disabled' : ''}`}>
        <input
          type="checkbox"
          data-testid="settings-relay"
          checked={settings.relayOnly}
          disabled={unavailable && !settings.relayOnly}
          aria-describedby={unavailable ? 'relay-unavailable' : undefined}
          onChange={(e) => void onSettings({ relayOnly: e.target.checked })}
        />
        <span>{t.t('relayOnly')}</span>
      </label>
      {unavailable && (
        <p className="field-note" id="relay-unavailable" data-testid="relay-unavailable">
          {t.t('relayUnavailable')}
        </p>
      )}
    </div>
  );
}
