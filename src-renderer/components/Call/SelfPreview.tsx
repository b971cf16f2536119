import { useEffect, useRef } from 'react';
import { useI18n } from '../../hooks/useI18n';

/** Your own camera while your call rings (nothing for a voice call). */
export function SelfPreview({ stream, version }: { stream: MediaStream | null; version: number }): React.JSX.Element | null {
  const t = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const hasVideo = (stream?.getVideoTracks().length ?? 0) > 0;
  useEffect(() => {
    const element = video.current;
    if (element && element.srcObject !== stream) element.srcObject = stream;
  }, [stream, version, hasVideo]);
  if (!hasVideo) return null;
  return <video ref={video} className="self-preview" data-testid="self-preview" autoPlay playsInline muted aria-label={t.t('selfPreview')} />;
}
