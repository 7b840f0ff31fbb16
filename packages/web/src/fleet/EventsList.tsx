// Recent live events (alarms, logins, logouts, disconnects) from the WebSocket.
import { fmtTime } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { useEvents, useLive } from '../live/LiveProvider.js';

export function EventsList() {
  const events = useEvents();
  const { store } = useLive();
  const { t, locale } = useI18n();
  return (
    <section className="panel events">
      <header className="panel-head">
        <h2>{t('recentEvents')}</h2>
      </header>
      {events.length === 0 && <div className="muted empty">{t('noEvents')}</div>}
      <ul className="event-list" data-testid="events">
        {events.slice(0, 30).map((e, i) => (
          <li key={`${e.at}-${e.vin}-${i}`} className={`event event-${e.kind}`}>
            <span className="event-time">{fmtTime(e.at, locale)}</span>
            <span className="event-kind">
              {t(`ev_${e.kind}`)}
              {e.kind === 'alarm' && e.level != null ? ` · ${t('level')} ${e.level}` : ''}
            </span>
            <a className="event-vin" href={`#/vehicle/${encodeURIComponent(e.vin)}`}>
              {store.get(e.vin)?.plate ?? e.vin}
            </a>
            {e.flags && e.flags.length > 0 && <span className="event-flags">{e.flags.join(', ')}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
