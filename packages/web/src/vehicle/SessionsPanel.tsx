// Login / logout / disconnect history of one vehicle.
import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { SessionRecord } from '../api/types.js';
import { fmtDateTime } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/dict.js';

export function SessionsPanel({ vin }: { vin: string }) {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<SessionRecord[] | null>(null);
  useEffect(() => {
    let alive = true;
    api
      .sessions(vin, 50)
      .then((r) => alive && setItems(r.items))
      .catch(() => alive && setItems([]));
    return () => {
      alive = false;
    };
  }, [vin]);
  const kindLabel = (k: string): string => {
    const key = `ev_${k}` as MessageKey;
    return key in { ev_login: 1, ev_logout: 1, ev_disconnect: 1, ev_alarm: 1 } ? t(key) : k;
  };
  return (
    <section className="panel sessions">
      <header className="panel-head">
        <h2>{t('sessions')}</h2>
      </header>
      {!items && <div className="muted">{t('loading')}</div>}
      {items && items.length === 0 && <div className="muted">{t('noData')}</div>}
      {items && items.length > 0 && (
        <div className="table-scroll short">
          <table className="plain" data-testid="sessions-table">
            <thead>
              <tr>
                <th>{t('at')}</th>
                <th>{t('kind')}</th>
                <th>{t('reason')}</th>
                <th>{t('peer')}</th>
                <th>{t('serial')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s, i) => (
                <tr key={i}>
                  <td>{fmtDateTime(s.at, locale)}</td>
                  <td>
                    <span className={`tag tag-${s.kind}`}>{kindLabel(s.kind)}</span>
                  </td>
                  <td>{s.reason ?? ''}</td>
                  <td className="mono">{s.peer ?? ''}</td>
                  <td className="mono">{s.serial ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
