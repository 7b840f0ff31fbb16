// Fuel-cell engine and on-board hydrogen system (2016 §8.3, 2025 §9.3): latest values and stack
// voltage/current and H₂ remaining over the selected period.
import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { Period } from '../api/client.js';
import type { FuelCellView } from '../api/fuelCell.js';
import { fmtNum } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';

export function FuelCellPanel({ vin, period }: { vin: string; period: Period }) {
  const { t } = useI18n();
  const [data, setData] = useState<FuelCellView | null>(null);
  useEffect(() => {
    let alive = true;
    api
      .fuelCell(vin, period)
      .then((r) => alive && setData(r))
      .catch(() => alive && setData({ latest: null, t: [], series: {} }));
    return () => {
      alive = false;
    };
  }, [vin, period]);

  const l = data?.latest;
  const conc =
    l?.h2MaxConcentrationPpm != null
      ? fmtNum(l.h2MaxConcentrationPpm, 0, 'ppm')
      : fmtNum(l?.h2MaxConcentrationPct, 2, '%');
  const kv: [string, string][] = [
    [t('stackVoltage'), fmtNum(l?.stackVoltageV, 1, 'V')],
    [t('stackCurrent'), fmtNum(l?.stackCurrentA, 1, 'A')],
    [t('h2Remaining'), fmtNum(l?.h2RemainingPct, 0, '%')],
    [t('h2Pressure'), fmtNum(l?.h2MaxPressureMpa, 1, 'MPa')],
    [t('h2Concentration'), conc],
    [t('h2Temp'), fmtNum(l?.h2MaxTempC, 0, '°C')],
    [t('dcdc'), l?.dcdcState == null ? '—' : String(l.dcdcState)],
  ];
  const s = data?.series ?? {};
  return (
    <section className="panel fuelcell" data-testid="fuel-cell">
      <header className="panel-head">
        <h2>{t('fuelCell')}</h2>
      </header>
      <div className="kv-grid">
        {kv.map(([k, v]) => (
          <div className="kv" key={k}>
            <span className="kv-k">{k}</span>
            <span className="kv-v">{v}</span>
          </div>
        ))}
      </div>
      {data && data.t.length > 0 && (
        <div className="charts-row">
          {s.stackVoltageV && (
            <TimeSeriesChart testId="chart-stack-voltage" title={t('stackVoltage')} unit="V" color="#a78bfa" t={data.t} values={s.stackVoltageV} height={130} />
          )}
          {s.stackCurrentA && (
            <TimeSeriesChart testId="chart-stack-current" title={t('stackCurrent')} unit="A" color="#f472b6" t={data.t} values={s.stackCurrentA} height={130} />
          )}
          {s.h2RemainingPct && (
            <TimeSeriesChart testId="chart-h2" title={t('h2Remaining')} unit="%" color="#22d3ee" t={data.t} values={s.h2RemainingPct} height={130} />
          )}
        </div>
      )}
    </section>
  );
}
