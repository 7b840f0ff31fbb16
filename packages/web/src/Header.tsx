// Top bar: brand, live-connection indicator, language toggle, sign out.
import { useI18n } from './i18n/i18n.js';
import type { SocketState } from './live/liveSocket.js';

export function LangToggle() {
  const { lang, setLang } = useI18n();
  return (
    <button
      type="button"
      className="btn ghost lang"
      data-testid="lang-toggle"
      title={lang === 'zh' ? 'English' : '中文'}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {lang === 'zh' ? 'EN' : '中文'}
    </button>
  );
}

export function Header({ socketState, onLogout }: { socketState: SocketState; onLogout: () => void }) {
  const { t } = useI18n();
  const label = socketState === 'open' ? t('live') : socketState === 'connecting' ? t('connecting') : t('disconnected');
  return (
    <header className="topbar">
      <a className="brand" href="#/">
        <span className="brand-mark" />
        {t('appTitle')}
        <span className="brand-sub">{t('appSubtitle')}</span>
      </a>
      <div className="topbar-right">
        <span className={`conn conn-${socketState}`} data-testid="conn-state">
          <span className="conn-dot" />
          {label}
        </span>
        <LangToggle />
        <button type="button" className="btn ghost" onClick={onLogout}>
          {t('logout')}
        </button>
      </div>
    </header>
  );
}
