import { useRef } from 'react';
import type { CallState } from '../../../src-shared/call-machine';
import { useApp } from '../../hooks/app-context';
import { useFocusTrap } from '../../hooks/useFocusTrap';
import { useI18n } from '../../hooks/useI18n';
import { shortcutLabel } from '../../platform/shortcuts';
import { initial } from '../Avatar/initial';
import { Icon } from '../Icon/Icon';

type Incoming = Extract<CallState, { kind: 'incoming' }>;

/**
 * The ring, as a modal dialog for the keyboard: focus stays inside, starts on the
 * safe choice (voice, never the camera), and Escape declines.
 */
export function IncomingCall({ call }: { call: Incoming }): React.JSX.Element {
  const t = useI18n();
  const { controller } = useApp();
  const dialog = useRef<HTMLElement>(null);
  const safeChoice = useRef<HTMLButtonElement>(null);
  useFocusTrap(dialog, safeChoice, () => controller.hangup());
  const name = call.from.displayName;
  return (
    <section
      ref={dialog}
      className="call-screen ringing"
      data-testid="call-incoming"
      data-call-type={call.callType}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="incoming-title"
      aria-describedby="incoming-keys"
    >
      <p className="eyebrow">{t.t('incomingTitle')}</p>
      <div className="avatar huge pulse" aria-hidden="true">
        {initial(name)}
      </div>
      <h2 id="incoming-title">{call.callType === 'video' ? t.t('isCallingVideo', { name }) : t.t('isCallingVoice', { name })}</h2>
      <div className="call-actions">
        <button ref={safeChoice} className="btn accept round-label" type="button" data-testid="answer-voice" aria-keyshortcuts="Alt+A" onClick={() => void controller.answer('voice')}>
          <Icon name="phone" /> {t.t('answerVoice')}
        </button>
        {call.callType === 'video' && (
          <button className="btn accept-video round-label" type="button" data-testid="answer-video" onClick={() => void controller.answer('video')}>
            <Icon name="video" /> {t.t('answerVideo')}
          </button>
        )}
        <button className="btn danger round-label" type="button" data-testid="decline" aria-keyshortcuts="Escape" onClick={() => controller.hangup()}>
          <Icon name="hangup" /> {t.t('decline')}
        </button>
      </div>
      <p className="muted small" id="incoming-keys" data-testid="incoming-keys">
        {t.t('incomingKeys', { answer: shortcutLabel('answer'), decline: 'Esc' })}
      </p>
    </section>
  );
}
