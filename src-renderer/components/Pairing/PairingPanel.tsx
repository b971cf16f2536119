import { useEffect, useState } from 'react';
import type { InviteResponse } from '../../../src-shared/protocol';
import { ApiError, type Session } from '../../api/session';
import { useI18n } from '../../hooks/useI18n';
import { onInviteLink, takePendingInvite } from '../../platform/pending-invite';

export function PairingPanel({ session }: { session: Session }): React.JSX.Element {
  const t = useI18n();
  const [invite, setInvite] = useState<InviteResponse | null>(null);
  // A heartline://invite link fills the code in; pairing still takes the user's click.
  const [code, setCode] = useState(() => takePendingInvite() ?? '');
  useEffect(
    () =>
      onInviteLink((linked) => {
        takePendingInvite();
        setCode(linked);
      }),
    [],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  const explain = (caught: unknown): string =>
    caught instanceof ApiError
      ? caught.code === 'NETWORK'
        ? t.t('networkError')
        : t.error(caught.code, { detail: caught.message })
      : t.t('genericError', { detail: String(caught) });

  const create = async (): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      setInvite(await session.createInvite());
    } catch (caught) {
      setError(explain(caught));
    } finally {
      setBusy(false);
    }
  };

  const accept = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const reply = await session.acceptInvite(code.trim());
      session.setPartner(reply.partner);
    } catch (caught) {
      setError(explain(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="pairing card" data-testid="pairing" aria-labelledby="pairing-title">
      <h2 id="pairing-title">{t.t('pairTitle')}</h2>
      <p className="muted">{t.t('pairIntro')}</p>
      <div className="pairing-grid">
        <div className="pairing-col">
          {invite ? (
            <div className="invite">
              <span className="field-label">{t.t('yourCode')}</span>
              <output className="invite-code" data-testid="pair-code">
                {invite.code}
              </output>
              <p className="muted small">{t.t('codeValidUntil', { time: t.dateTime(invite.expiresAt) })}</p>
              <button
                className="btn ghost"
                type="button"
                onClick={() =>
                  void navigator.clipboard
                    ?.writeText(invite.code)
                    .then(() => setCopied(true))
                    .catch(() => undefined)
                }
              >
                {copied ? t.t('copied') : t.t('copy')}
              </button>
            </div>
          ) : (
            <button className="btn primary" type="button" data-testid="pair-create" disabled={busy} onClick={() => void create()}>
              {t.t('createInvite')}
            </button>
          )}
        </div>
        <form className="pairing-col" onSubmit={(e) => void accept(e)}>
          <label className="field">
            <span>{t.t('partnerCode')}</span>
            <input
              data-testid="pair-input"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              placeholder="ABCD-EFGH"
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              maxLength={32}
            />
          </label>
          <button className="btn primary" type="submit" data-testid="pair-submit" disabled={busy || !code.trim()}>
            {t.t('pairButton')}
          </button>
        </form>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="pair-error">
          {error}
        </p>
      )}
    </section>
  );
}
