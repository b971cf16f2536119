import { useEffect, useRef } from 'react';
import type { CallView } from '../../call/call-controller';
import { useI18n } from '../../hooks/useI18n';

interface Props {
  view: CallView;
  partnerName: string;
  onStop: () => void;
}

/** Who is sharing a screen, on both sides; the sharer also sees what they share. */
export function ScreenShareBanner({ view, partnerName, onStop }: Props): React.JSX.Element | null {
  const t = useI18n();
  const preview = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = preview.current;
    if (element && element.srcObject !== view.screenStream) element.srcObject = view.screenStream;
  }, [view.screenStream]);

  if (view.screenSharing) {
    return (
      <div className="share-banner mine" role="status" data-testid="share-banner-mine">
        <video ref={preview} className="share-preview" data-testid="share-preview" autoPlay playsInline muted aria-label={t.t('yourScreenPreview')} />
        <span>{t.t('youAreSharing')}</span>
        <button className="btn small danger" type="button" onClick={onStop}>
          {t.t('stopShare')}
        </button>
      </div>
    );
  }
  if (view.remoteMedia?.screen) {
    return (
      <div className="share-banner theirs" role="status" data-testid="share-banner-partner">
        <span>{t.t('partnerIsSharing', { name: partnerName })}</span>
      </div>
    );
  }
  return null;
}
