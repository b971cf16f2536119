import { useState } from 'react';
import { barsOf, type QualitySample } from '../../webrtc/quality';
import { useI18n } from '../../hooks/useI18n';

/** Signal bars for everyone; the numbers (bitrate, loss, round trip, route) on demand. */
export function QualityIndicator({ quality }: { quality: QualitySample }): React.JSX.Element {
  const t = useI18n();
  const [open, setOpen] = useState(false);
  const bars = barsOf(quality);
  const label = quality.level === 'good' ? t.t('qualityGood') : quality.level === 'fair' ? t.t('qualityFair') : t.t('qualityPoor');
  const route = quality.route === 'relay' ? t.t('routeRelay') : quality.route === 'direct' ? t.t('routeDirect') : '–';
  return (
    <span className="quality-wrap">
      <button
        type="button"
        className={`quality quality-${quality.level}`}
        data-testid="call-quality"
        data-level={quality.level}
        data-bars={bars}
        aria-expanded={open}
        aria-controls="quality-details"
        title={t.t('qualityDetails')}
        onClick={() => setOpen(!open)}
      >
        <span className="bars" aria-hidden="true">
          {[1, 2, 3, 4].map((n) => (
            <span key={n} className={`bar${n <= bars ? ' lit' : ''}`} style={{ height: `${n * 25}%` }} />
          ))}
        </span>
        <span>{label}</span>
      </button>
      {open && (
        <dl className="quality-details" id="quality-details" data-testid="quality-details">
          <dt>{t.t('bitrate')}</dt>
          <dd>
            ↓{quality.inKbps} ↑{quality.outKbps} kbps
          </dd>
          <dt>{t.t('loss')}</dt>
          <dd>{quality.lossPct}%</dd>
          <dt>{t.t('rtt')}</dt>
          <dd>{quality.rttMs ?? '–'} ms</dd>
          <dt>{t.t('route')}</dt>
          <dd data-testid="quality-route" data-route={quality.route ?? ''}>
            {route}
          </dd>
        </dl>
      )}
    </span>
  );
}
