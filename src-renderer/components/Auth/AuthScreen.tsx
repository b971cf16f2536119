import { useId, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../src-shared/ipc';
import { RegisterBody, type ErrorCode } from '../../../src-shared/protocol';
import { ApiError, type Session } from '../../api/session';
import { useDocumentAttention } from '../../hooks/useDocumentAttention';
import { useI18n } from '../../hooks/useI18n';
import { bridge } from '../../platform/bridge';
import { LanguagePicker } from '../Settings/LanguagePicker';

interface Props {
  session: Session;
  notice: ErrorCode | null;
  settings: Settings;
  onSettings: (patch: SettingsPatch) => Promise<void>;
}

export function AuthScreen({ session, notice, settings, onSettings }: Props): React.JSX.Element {
  const t = useI18n();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState<string | null>(notice ? t.error(notice) : null);
  const [busy, setBusy] = useState(false);
  const [keepSignedIn, setKeepSignedIn] = useState(true);
  const errorId = useId();
  useDocumentAttention({ ringingFrom: null, missed: 0 });

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    if (mode === 'register') {
      // The same schema the server checks with: catch what we can before the round trip.
      const parsed = RegisterBody.safeParse({ username, password, displayName: displayName.trim() || undefined });
      if (!parsed.success) {
        const field = parsed.error.issues[0]?.path[0];
        setError(field === 'password' ? t.t('passwordRule') : field === 'username' ? t.t('usernameRule') : t.error('BAD_REQUEST', { detail: parsed.error.issues[0]?.message ?? '' }));
        return;
      }
    }
    setBusy(true);
    try {
      if (mode === 'login') await session.login(username, password, keepSignedIn);
      else await session.register(username, password, displayName.trim() || undefined, keepSignedIn);
    } catch (caught) {
      if (caught instanceof ApiError) {
        setError(caught.code === 'NETWORK' ? t.t('networkError') : t.error(caught.code, { detail: caught.message }));
      } else {
        setError(t.t('genericError', { detail: String(caught) }));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="auth" data-testid="auth-screen">
      <form className="auth-card" onSubmit={(e) => void submit(e)} aria-describedby={error ? errorId : undefined} noValidate>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">♥</span>
          <h1>{t.t('appName')}</h1>
        </div>
        <p className="muted">{t.t('tagline')}</p>
        <h2>{mode === 'login' ? t.t('login') : t.t('register')}</h2>
        <label className="field">
          <span>{t.t('username')}</span>
          <input
            data-testid="auth-username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label className="field">
          <span>{t.t('password')}</span>
          <input
            data-testid="auth-password"
            type="password"
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {mode === 'register' && (
          <label className="field">
            <span>{t.t('displayName')}</span>
            <input data-testid="auth-displayname" autoComplete="nickname" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </label>
        )}
        {!bridge() && (
          <label className="field check">
            <input type="checkbox" data-testid="auth-keep" checked={keepSignedIn} onChange={(e) => setKeepSignedIn(e.target.checked)} />
            <span>
              {t.t('keepSignedIn')}
              <span className="muted small block">{t.t('keepSignedInHint')}</span>
            </span>
          </label>
        )}
        {error && (
          <p className="form-error" role="alert" id={errorId} data-testid="auth-error">
            {error}
          </p>
        )}
        <button className="btn primary wide" type="submit" disabled={busy} data-testid="auth-submit">
          {busy ? t.t('working') : mode === 'login' ? t.t('login') : t.t('register')}
        </button>
        <button
          type="button"
          className="btn link"
          data-testid="auth-toggle"
          onClick={() => {
            setMode(mode === 'login' ? 'register' : 'login');
            setError(null);
          }}
        >
          {mode === 'login' ? t.t('needAccount') : t.t('haveAccount')}
        </button>
        <LanguagePicker value={settings.language} onChange={(language) => void onSettings({ language })} />
      </form>
    </main>
  );
}
