// Shown when no token is stored (or the API answered 401).
import { useState } from 'react';
import { useI18n } from './i18n/i18n.js';
import { LangToggle } from './Header.js';

export function Login({ onToken }: { onToken: (token: string) => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  return (
    <div className="login-wrap">
      <div className="login-lang">
        <LangToggle />
      </div>
      <form
        className="login"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) onToken(value.trim());
        }}
      >
        <div className="brand big">
          <span className="brand-mark" />
          nevhub
        </div>
        <h1>{t('loginTitle')}</h1>
        <p className="muted">{t('loginHint')}</p>
        <input
          type="password"
          autoFocus
          data-testid="login-token"
          placeholder={t('token')}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="btn primary">
          {t('signIn')}
        </button>
      </form>
    </div>
  );
}
