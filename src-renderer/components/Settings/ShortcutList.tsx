import { useI18n } from '../../hooks/useI18n';
import type { MessageKey } from '../../i18n';
import { SHORTCUT_ACTIONS, shortcutLabel, type ShortcutAction } from '../../platform/shortcuts';

const labels: Record<ShortcutAction, MessageKey> = {
  mute: 'shortcutMute',
  camera: 'shortcutCamera',
  hangup: 'shortcutHangup',
  answer: 'shortcutAnswer',
};

/** The call's keyboard shortcuts, as the key handler knows them. */
export function ShortcutList(): React.JSX.Element {
  const t = useI18n();
  return (
    <section className="shortcuts" data-testid="shortcuts" aria-labelledby="shortcuts-title">
      <h3 id="shortcuts-title">{t.t('shortcuts')}</h3>
      <dl>
        {SHORTCUT_ACTIONS.map((action) => (
          <div key={action} className="shortcut">
            <dt>
              <kbd>{shortcutLabel(action)}</kbd>
            </dt>
            <dd>{t.t(labels[action])}</dd>
          </div>
        ))}
        <div className="shortcut">
          <dt>
            <kbd>Esc</kbd>
          </dt>
          <dd>{t.t('shortcutEscape')}</dd>
        </div>
      </dl>
    </section>
  );
}
