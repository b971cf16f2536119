import { useEffect } from 'react';
import { applyAttention, type Attention } from '../platform/attention';
import { useI18n } from './useI18n';

/** Title and favicon: "📞 Ana is calling…", "(3) Heartline", or plain "Heartline". */
export function useDocumentAttention({ ringingFrom, missed }: Attention): void {
  const t = useI18n();
  useEffect(() => {
    const app = t.t('appName');
    const title = ringingFrom !== null ? `📞 ${t.t('notifIncoming', { name: ringingFrom })} · ${app}` : missed > 0 ? `(${missed}) ${app}` : app;
    applyAttention(title, { ringingFrom, missed });
  }, [t, ringingFrom, missed]);
}
