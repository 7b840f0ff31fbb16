// "Send parameter query" (command 0x80, spec §11.1): asks the terminal for parameters 0x01 (local
// storage period), 0x02 (normal reporting period) and 0x09 (heartbeat period) (spec §11.3).
import { useState } from 'react';
import { api } from '../api/client.js';
import type { CommandResult } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

const PARAMS = [1, 2, 9];

export function CommandButton({ vin }: { vin: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<CommandResult | null>(null);
  const [error, setError] = useState('');

  const send = (): void => {
    setBusy(true);
    setError('');
    setResult(null);
    api
      .paramQuery(vin, PARAMS)
      .then(setResult)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="command">
      <button type="button" className="btn primary" data-testid="param-query" disabled={busy} onClick={send}>
        {busy ? t('sending') : t('paramQuery')}
      </button>
      {result && (
        <div className={`cmd-result cmd-${result.status}`} data-testid="param-query-result">
          <b>{t(`cmd_${result.status}`)}</b>
          {result.reply !== undefined && <pre>{JSON.stringify(result.reply, null, 2)}</pre>}
        </div>
      )}
      {error && <div className="cmd-result cmd-error">{error}</div>}
    </div>
  );
}
